"""A county whose home page names its 信息公开 section only in a menu script (the menu is a
JavaScript array of {name, url} objects written into the page by document.write), the section
being on a province-wide 政务公开 platform under another domain that tells its units apart by
a code in the query (unit.html?unitCode=…): the county's code is in the link. The platform's
pages are shared by every unit (one /site/ folder); a box of the latest reports of all units
and a list of the other units' columns stand beside the county's own."""

from fixturekit.portal import esc, pages_of, report_title, synthetic_report

COUNTY = "青水县"
CODE = "451122"
PLATFORM = "zwgk.beilingsheng.gov.cn"
UNITS = ((CODE, COUNTY), ("451123", "白河县"), ("451124", "东岭县"))
SITE = {
    "stem": "menu_script_platform",
    "host": "www.qingshuixian.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "unit": {"name": f"{COUNTY}人民政府", "code": CODE},
    "seen_at": [
        "a site menu held as data in a script, names mapped to URLs and written into the page: "
        "`var cfg = { menu: [[{ '…中心': 'http://…', '屯昌教育局': 'http://xxgk.hainan.gov.cn/tcxxgk/jyjxxgk/' }], …] }` "
        "(code index id 2449586498); a name -> URL object of government sites, liubeijs/liubeijs.github.io data.js",
        "a province-wide platform serving many units under one path, told apart by a unit id in the "
        "query: https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1 (绵竹市 "
        "information-disclosure list, in an RSS route's table of sites, code search result)",
    ],
    "structures": [
        "start at the home page",
        "信息公开 named only in a menu script (an array of {name, url} objects)",
        "政务公开 on another registered domain, units told apart by a code in the query",
        "other units' columns and reports on the same platform",
        "paginated column",
    ],
    "note": "The platform's files are under hosts/zwgk.beilingsheng.gov.cn/; expected.json names its pages by full URL.",
}

HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>青水县人民政府</title></head><body>
<div class="head"><img src="/images/logo.png" alt="青水县人民政府"></div><div class="nav" id="nav"></div>
<script type="text/javascript">
var navData = [
  {"name": "首页", "url": "/index.html", "target": "_self"},
  {"name": "走进青水", "url": "/zjqs/index.html", "target": "_self"},
  {"name": "信息公开", "url": "http://zwgk.beilingsheng.gov.cn/site/unit.html?unitCode=451122", "target": "_blank"},
  {"name": "互动交流", "url": "/hdjl/index.html", "target": "_self"}
];
var html = "";
for (var i = 0; i < navData.length; i++) {
  html += '<a href="' + navData[i].url + '" target="' + navData[i].target + '">' + navData[i].name + '</a>';
}
document.getElementById("nav").innerHTML = html;
</script></body></html>"""

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>
<div class="top">北岭省政务公开平台</div><div class="crumb">当前位置：{crumb}</div>
<div class="main">{content}</div>
<div class="side"><h3>各县政府信息公开年报</h3><ul>{columns}</ul></div>
<div class="latest"><h3>最新发布</h3><ul>{latest}</ul></div></body></html>"""


def build(site, rng):
    platform = site.other_host(PLATFORM)
    site.page("/index.html", HOME)
    columns = "".join(
        f'<li><a href="/site/column.html?unitCode={code}&amp;colId=nb">{esc(county)}政府信息公开年报</a></li>'
        for code, county in UNITS
    )
    units = {}
    for code, county in UNITS:
        own = code == CODE
        items = []
        plan = [
            (county, 2023),
            (f"{county}财政局", 2023),
            (county, 2022),
            (f"{county}人民政府办公室", 2022),
            (county, 2020),
        ]
        for n, (agency, year) in enumerate(plan if own else plan[:2]):
            path = f"/site/art/{year + 1}/1/{15 + n}/art_{code}_{1000 + n}.html"
            layout, facts, body = synthetic_report(agency, year, rng)
            title = report_title(agency, year)
            items.append((title, path, body, agency))
            if own:
                platform.report(path, title, year, facts, layout)
        units[code] = (county, items)
    latest = "".join(f'<li><a href="{items[0][1]}">{esc(items[0][0])}</a></li>' for _, items in units.values())

    def page(title, content, crumb, meta=""):
        return PAGE.format(title=esc(title), meta=meta, crumb=crumb, content=content, columns=columns, latest=latest)

    for code, (county, items) in units.items():
        home = f'<a href="/site/unit.html?unitCode={code}">{esc(county)}</a>'
        nav = (
            f'<ul class="menu"><li><a href="/site/column.html?unitCode={code}&amp;colId=zn">政府信息公开指南</a></li>'
            f'<li><a href="/site/column.html?unitCode={code}&amp;colId=nb">政府信息公开年报</a></li></ul>'
        )
        platform.page("/site/unit.html", page(f"{county}政务公开", nav, home), query=f"unitCode={code}")
        crumb = f'{home} &gt; <a href="/site/column.html?unitCode={code}&amp;colId=nb">政府信息公开年报</a>'
        pages = pages_of(items, 3)
        for number, rows in enumerate(pages):
            query = f"unitCode={code}&colId=nb" + (f"&page={number + 1}" if number else "")
            links = "".join(f'<li><a href="{p}" target="_blank">{esc(t)}</a></li>' for t, p, _, _ in rows)
            pager = (
                f'<a href="/site/column.html?unitCode={code}&amp;colId=nb&amp;page={number + 2}">下一页</a>'
                if number + 1 < len(pages)
                else ""
            )
            platform.page(
                "/site/column.html",
                page("政府信息公开年报", f'<ul class="list">{links}</ul>{pager}', crumb),
                query=query,
            )
        for title, path, body, agency in items:
            meta = (
                f'<meta name="ArticleTitle" content="{esc(title)}"><meta name="ContentSource" content="{esc(agency)}">'
            )
            platform.page(path, page(title, f"<h1>{esc(title)}</h1><div>{body}</div>", crumb, meta))
        if code == CODE:
            platform.column(f"/site/column.html?unitCode={code}&colId=nb")
