"""A Shaanxi county on the province's 集约化 platform: numbered list pages (1.html, 2.html
with maxPage in a script), 19-digit snowflake ids for detail pages, and a tree 政府信息公开年报
-> year columns (2023n, 2022n, 2020n) -> 县政府部门 (gbm) and 镇（街道） (gzj)."""

from fixturekit.portal import article_meta, esc, interpretation, notice, pages_of, statistical_bulletin

COUNTY = "洛水县"
SITE = {
    "stem": "shaanxi_jiyue_years",
    "host": "www.luoshuixian.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "seen_at": [
        "list pages {column}/1.html, 2.html …, rows div.m-lst36 ul li > a + span, total pages in `maxPage = parseInt('N')`, detail breadcrumb div.position, meta ArticleTitle/PubDate/ContentSource, body div.pure-g, metadata div.table: code index id 52110518987 (Portia spider of czj.yanan.gov.cn, incl. https://czj.yanan.gov.cn/zfxxgk/zfxxgknb/1.html)",
        "year x kind columns zfxxgknb/2022n/gbm/ with snowflake-id pages: http://cn-huaji.com/zfxxgk/zfxxgknb/2022n/gbm/1628950077923950593.html (mirror of 渭南市, docs/portals.md item 26); gknb/bmnb/: https://yangling.gov.cn/zwgk/gknb/bmnb/1619593655548706818.html (item 28)",
    ],
    "structures": [
        "start at the home page",
        "per-year columns with 部门/镇街 sub-columns",
        "numbered list pages",
        "vague titles",
        "interpretation",
        "notice",
        "statistical bulletin",
        "same report in 县政府 and 部门",
        "attachment-only (PDF behind a page)",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8. The attachment path (/uploadfiles/…) is not from a seen page: the sources show only that "
    "attachments are links inside div.pure-g.",
}

NB = "/zfxxgk/zfxxgknb/"
KINDS = {"": "县政府", "gbm/": "县政府部门", "gzj/": "镇（街道）"}
YEARS = (("2023n", ("", "gbm/", "gzj/")), ("2022n", ("", "gbm/")), ("2020n", ("",)))
PER_PAGE = 5

HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{county}人民政府</title>{meta}</head><body>
<div class="g-hd"><a href="/index.html">首页</a> <a href="/zfxxgk/index.html">政府信息公开</a></div>"""


def column_name(year, kind):
    return f"{year[:4]}年{KINDS[kind]}" if kind else f"{year[:4]}年"


def position(year, kind):
    parts = [("首页", "/index.html"), ("政府信息公开", "/zfxxgk/index.html"), ("政府信息公开年报", NB + "1.html")]
    if year:
        parts.append((f"{year[:4]}年", f"{NB}{year}/1.html"))
    if kind:
        parts.append((KINDS[kind], f"{NB}{year}/{kind}1.html"))
    return '<div class="position">' + " &gt; ".join(f'<a href="{h}">{n}</a>' for n, h in parts) + "</div>"


def build(site, rng):
    ids = iter(range(1745678901234560001, 1745678901234560999, 37))
    lists = {}

    def writer(year, kind):
        """write(title, agency, date, body) -> path of a new snowflake-id page of column year/kind."""

        def write(title, agency, date, body):
            path = f"{NB}{year}/{kind}{next(ids)}.html"
            meta = article_meta(title, f"{date} 09:12", agency)
            site.page(
                path,
                HEAD.format(title=esc(title), county=COUNTY, meta=meta)
                + position(year, kind)
                + f'<div class="table"><div class="table-tr"><div class="table-td table-p38 bd-bottom">索引号：11610000MB{date[:4]}-00{len(lists)}</div>'
                f'<div class="table-td table-p38 bd-bottom">发布日期：{date}</div></div></div>'
                + f'<h1 class="m-txt-tt">{esc(title)}</h1><div class="pure-g">{body}</div></body></html>',
            )
            return path

        return write

    def listed(year, kind, date, title, path):
        lists.setdefault((year, kind), []).append((title, path, date))

    def table_report(year, kind, agency, report_year, date, **titles):
        listed(year, kind, date, *site.table_report(writer(year, kind), agency, report_year, date, rng, **titles))

    def rejected(year, kind, why, content, agency, date):
        listed(year, kind, date, *site.rejected(writer(year, kind), why, content, agency, date))

    gov, office = f"{COUNTY}人民政府", f"{COUNTY}人民政府办公室"
    table_report("2023n", "", gov, 2023, "2024-01-29")
    rejected(
        "2023n", "", "interpretation", interpretation(gov, 2023, rng, kind="解读"), f"{COUNTY}政务公开办", "2024-01-30"
    )
    rejected("2023n", "", "notice", notice(gov, 2023, "prepare"), f"{COUNTY}政务公开办", "2023-12-20")
    office_title, first, second = site.report_in_two_columns(
        writer("2023n", ""), writer("2023n", "gbm/"), office, 2023, "2024-01-25", rng
    )
    listed("2023n", "", "2024-01-25", office_title, first)
    listed("2023n", "gbm/", "2024-01-25", office_title, second)

    table_report("2023n", "gbm/", f"{COUNTY}财政局", 2023, "2024-01-24")
    table_report("2023n", "gbm/", f"{COUNTY}教育局", 2023, "2024-01-23", list_title="年度报告", page_title="年度报告")
    listed(
        "2023n",
        "gbm/",
        "2024-01-22",
        *site.attachment_report(
            writer("2023n", "gbm/"),
            "doc001",
            "pdf_chrome",
            f"{COUNTY}发展和改革局",
            "2024-01-22",
            "/uploadfiles/2024/01/20240122093015418.pdf",
        ),
    )
    rejected("2023n", "gbm/", "other_yearly", statistical_bulletin(COUNTY, 2023, rng), f"{COUNTY}统计局", "2024-04-01")
    images = [f"/uploadfiles/2024/01/2024012114{n}.png" for n in (2, 3, 4)]
    listed(
        "2023n",
        "gbm/",
        "2024-01-21",
        *site.picture_report(writer("2023n", "gbm/"), f"{COUNTY}农业农村局", 2023, "2024-01-21", images),
    )

    table_report("2023n", "gzj/", "城关街道办事处", 2023, "2024-01-19", list_title="城关街道办事处")
    table_report("2023n", "gzj/", "东关镇人民政府", 2023, "2024-01-20")
    table_report("2022n", "", gov, 2022, "2023-01-30")
    table_report("2022n", "gbm/", f"{COUNTY}财政局", 2022, "2023-01-18")
    table_report("2020n", "", gov, 2020, "2021-01-28")

    site.page(
        "/index.html", HEAD.format(title="首页", county=COUNTY, meta="") + "<div>县政府门户网站</div></body></html>"
    )
    site.page(
        "/zfxxgk/index.html",
        HEAD.format(title="政府信息公开", county=COUNTY, meta="")
        + f'<ul class="m-nav"><li><a href="/zfxxgk/zfxxgkzn/1.html">政府信息公开指南</a></li>'
        f'<li><a href="{NB}1.html">政府信息公开年报</a></li></ul></body></html>',
    )
    list_page(site, NB, "政府信息公开年报", position("", ""), [(f"{y[:4]}年", f"{NB}{y}/1.html") for y, _ in YEARS], [])
    for year, kinds in YEARS:
        subnav = [(KINDS[k], f"{NB}{year}/{k}1.html") for k in kinds if k]
        for kind in kinds:
            items = sorted(lists[(year, kind)], key=lambda item: item[2], reverse=True)
            list_page(site, f"{NB}{year}/{kind}", column_name(year, kind), position(year, kind), subnav, items)


def list_page(site, base, name, crumb, subnav, items):
    chunks = pages_of(items, PER_PAGE)
    nav = "".join(f'<li><a href="{href}">{n}</a></li>' for n, href in subnav)
    for n, chunk in enumerate(chunks, 1):
        rows = "".join(
            f'<li><a href="{p}" target="_blank" title="{esc(t)}">{esc(t)}</a><span>{d}</span></li>' for t, p, d in chunk
        )
        site.page(
            f"{base}{n}.html",
            HEAD.format(title=name, county=COUNTY, meta="")
            + crumb
            + (f'<ul class="m-subnav">{nav}</ul>' if nav else "")
            + f'<div class="m-lst36"><ul>{rows}</ul></div><div id="page"></div>'
            + f"<script>var maxPage = parseInt('{len(chunks)}'); var curPage = parseInt('{n}');</script></body></html>",
        )
    site.column(f"{base}1.html")
