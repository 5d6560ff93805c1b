"""A county whose 政务公开 section lives on a province-wide disclosure platform under another
domain (xxgk.<province>.gov.cn/<county>xxgk/), the platform serving several counties side by
side. The county's home links its section there by a folder name that does not spell the
county (ndxxgk): the section's title says whose it is. Beside the county's column the platform
shows the other counties: their sections in a side menu, their latest reports in a box on
every section page, their own annual-report columns. None of theirs belongs to the county.
The home page also links "信息公开" to a news site outside .gov.cn, which is not followed."""

from fixturekit.portal import esc, interpretation, pages_of, report_title, synthetic_report

COUNTY = "南渡县"
PLATFORM = "xxgk.nanhaisheng.gov.cn"
# (folder, county): the platform's sections, the portal's first
UNITS = (("nd", COUNTY), ("ls", "流沙县"), ("bq", "北旗县"))
SITE = {
    "stem": "platform_county_sections",
    "host": "www.nanduxian.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "unit": {"name": f"{COUNTY}人民政府", "code": "469099"},
    "seen_at": [
        "a province-wide 信息公开 platform holding each county's section under its own folder: "
        "http://xxgk.hainan.gov.cn/qhxxgk/wtj/201901/t20190114_3062489.htm (琼海市) quoted in code index id "
        "17111780338; http://xxgk.hainan.gov.cn/tcxxgk/yjjxxgk/zzzxgklist.html (屯昌县) in a crawler "
        "configuration, code index id 48449648073; http://xxgk.hainan.gov.cn/wnxxgk/wsjxxgk/24880/24883/list.htm "
        "(万宁市) and …/dfxxgk/wsj/… in code index id 46211597515",
        "county sites linking their 政务公开 to that platform: a county menu pointing 屯昌教育局 at "
        "http://xxgk.hainan.gov.cn/tcxxgk/jyjxxgk/ (code index id 2449586498)",
    ],
    "structures": [
        "start at the home page",
        "政务公开 on another registered domain (a province-wide platform)",
        "the section's folder does not spell the unit: its page title names it",
        "other counties' sections, columns and reports on the same platform",
        "a 信息公开 link to a non-government domain",
        "paginated column",
        "department report",
        "interpretation",
    ],
    "note": "The platform's files are under hosts/xxgk.nanhaisheng.gov.cn/; expected.json names its pages by full URL.",
}

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>
<div class="top"><a href="/index.html">南海省政府信息公开平台</a></div>
<div class="position">当前位置：<a href="/index.html">首页</a> &gt; <a href="/{unit}xxgk/index.html">{county}</a>{crumb}</div>
<div class="main">{content}</div>
<div class="side"><h3>全省市县</h3><ul>{others}</ul></div>
<div class="latest"><h3>全省最新年报</h3><ul>{latest}</ul></div></body></html>"""


def build(site, rng):
    platform = site.other_host(PLATFORM)
    site.home(
        f"{COUNTY}人民政府",
        [
            ("首页", "/index.html"),
            ("走进南渡", "/zjnd/index.html"),
            ("政务公开", f"http://{PLATFORM}/ndxxgk/index.html"),
            ("信息公开", "http://www.nandu-zixun.com/xxgk/"),
        ],
    )
    others = "".join(f'<li><a href="/{u}xxgk/index.html">{esc(c)}</a></li>' for u, c in UNITS)
    latest = []  # (title, path) of each county's latest report, shown on every section page
    lists = {}
    for unit, county in UNITS:
        own = unit == "nd"
        reports = []
        for n, (agency, year) in enumerate(
            [(county, 2023), (f"{county}教育局", 2023), (county, 2022), (county, 2021)]
            if own
            else [(county, 2023), (county, 2022)]
        ):
            path = f"/{unit}xxgk/xxgknb/{year + 1}01/t{year + 1}0120_{n + 1}.html"
            layout, facts, body = synthetic_report(agency, year, rng)
            title = report_title(agency, year)
            reports.append((title, path, body, agency, f"{year + 1}-01-20"))
            if own:
                platform.report(path, title, year, facts, layout)
        if own:
            title, body = interpretation(county, 2023, rng, kind="解读")
            path = f"/{unit}xxgk/xxgknb/202402/t20240201_9.html"
            reports.insert(1, (title, path, body, county, "2024-02-01"))
            platform.non_report(path, title, "interpretation")
        latest.append(reports[0][:2])
        lists[unit] = (county, reports)

    latest_html = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for t, p in latest)

    def page(unit, county, title, content, crumb="", meta=""):
        return PAGE.format(
            title=esc(title),
            meta=meta,
            unit=unit,
            county=esc(county),
            crumb=crumb,
            content=content,
            others=others,
            latest=latest_html,
        )

    platform.page(
        "/index.html",
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>南海省政府信息公开平台</title></head><body>'
        f'<ul class="units">{others}</ul><ul class="latest">{latest_html}</ul></body></html>',
    )
    for unit, (county, reports) in lists.items():
        column = f"/{unit}xxgk/xxgknb/"
        crumb = f' &gt; <a href="{column}index.html">政府信息公开年报</a>'
        section = (
            f'<h2>{esc(county)}政府信息公开</h2><ul class="nav"><li><a href="/{unit}xxgk/zfxxgkzn/index.html">政府信息公开指南</a></li>'
            f'<li><a href="{column}index.html">政府信息公开年报</a></li></ul>'
        )
        platform.page(f"/{unit}xxgk/index.html", page(unit, county, f"{county}政府信息公开", section))
        pages = pages_of(reports, 3)
        for number, items in enumerate(pages):
            rows = "".join(
                f'<li><a href="{p}" title="{esc(t)}">{esc(t)}</a><span>{d}</span></li>' for t, p, _, _, d in items
            )
            pager = f'<a href="index_{number + 1}.html">下一页</a>' if number + 1 < len(pages) else ""
            name = "index.html" if number == 0 else f"index_{number}.html"
            content = (
                f'<h2>{esc(county)}政府信息公开年报</h2><ul class="list">{rows}</ul><div class="page">{pager}</div>'
            )
            platform.page(column + name, page(unit, county, f"{county}政府信息公开年报", content, crumb))
        for title, path, body, agency, date in reports:
            meta = (
                f'<meta name="ArticleTitle" content="{esc(title)}"><meta name="ContentSource" content="{esc(agency)}">'
            )
            content = f'<h1>{esc(title)}</h1><div class="info">发布日期：{date} 来源：{esc(agency)}</div><div class="article">{body}</div>'
            platform.page(path, page(unit, county, title, content, crumb, meta))
        if unit == "nd":
            platform.column(column + "index.html")
