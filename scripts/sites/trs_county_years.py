"""A county portal on TRS WCM with .shtml pages and a per-year column tree:
xxgk/xxgknb/ (year links) -> 2023/ (tabs 县政府 / 县直部门 / 乡镇（街道）) -> 2023/xzbm/ (two
pages). The start URL is one report page deep in the tree: the crawl climbs by its
breadcrumb and must then find every year and every sub-column."""

from fixturekit.portal import article_meta, esc, guide, interpretation, pages_of, statistical_bulletin, work_plan

COUNTY = "蓝水县"
SITE = {
    "stem": "trs_county_years",
    "host": "www.lanshuixian.gov.cn",
    "family": "trs",
    "start_paths": ["/xxgk/xxgknb/2023/xzbm/202401/t20240118_3113885.shtml"],
    "seen_at": [
        "year x kind columns xxgknb/2022/xzbm/ with .shtml TRS pages: http://www.ych.gov.cn/xxgk/xxgknb/2022/xzbm/202301/t20230113_3113885.shtml (docs/portals.md item 49)",
        "year columns gb2022/2022szbm/: http://hbdaye.gov.cn/zfxxgk/zfxxgkndbg/gb2022/2022szbm/202301/t20230129_985740.html (portals.md item 50); 2022/2022bmdnbg/: http://www.hunnan.gov.cn/zwgk/zfxxgknb/2022/2022bmdnbg/202301/t20230118_4373320.html (item 30)",
        "乡镇 / 部门 sub-columns gknb/xzbm/xzwj/: http://www.laifeng.gov.cn/xxgk/gknb/xzbm/xzwj/202201/t20220124_1239406.shtml (item 33)",
        'createPageHTML(nPageCount, nCurrIndex, "index", ext) and index_N paging: code index id 39464842799 (TRS WCM 置标) and hulelan/china-governance crawlers/chongqing.py',
    ],
    "structures": [
        "start at one report page (climb by breadcrumb)",
        "per-year columns (2023, 2022, 2020)",
        "县政府/县直部门/乡镇 tabs",
        "pagination (.shtml)",
        "vague titles (年度报告, agency name only)",
        "interpretation",
        "guide",
        "work plan",
        "statistical bulletin",
        "same report in 县政府 and 县直部门",
        "attachment-only (DOC behind a page, PDF from the list)",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8 throughout. Year and sub-column pages are index.shtml; breadcrumbs link column directories (../).",
}

ROOT = "/xxgk/xxgknb/"
HEAD = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}-{county}人民政府</title></head><body><div class="top"><a href="/">{county}人民政府门户网站</a>
<a href="/xxgk/index.shtml">信息公开</a></div>"""
KINDS = (("xzf", "县政府"), ("xzbm", "县直部门"), ("xz", "乡镇（街道）"))


def column_page(name, crumbs, tabs, items, pages=1, index=0):
    crumb = " &gt; ".join(f'<a href="{href}">{n}</a>' for n, href in crumbs)
    tab = "".join(f'<li><a href="{href}">{n}</a></li>' for n, href in tabs)
    rows = "".join(
        f'<li><a href="{href}" title="{esc(t)}" target="_blank">{esc(t)}</a><span class="date">{d}</span></li>'
        for t, href, d in items
    )
    pager = (
        f'<script language="javascript">createPageHTML({pages}, {index}, "index", "shtml");</script>'
        if pages > 1
        else ""
    )
    return (
        HEAD.format(title=name, county=COUNTY)
        + f'<div class="dqwz">您当前的位置：{crumb}</div>'
        + (f'<ul class="nav-tab">{tab}</ul>' if tab else "")
        + f'<ul class="xxgk-list">{rows}</ul>{pager}</body></html>'
    )


def detail_page(title, agency, date, body, year, kind_name):
    crumbs = (
        f'<a href="/">首页</a> &gt; <a href="/xxgk/index.shtml">信息公开</a> &gt; <a href="../../../">政府信息公开年报</a>'
        f' &gt; <a href="../../">{year}年度</a> &gt; <a href="../">{kind_name}</a>'
    )
    return (
        HEAD.format(title=title, county=COUNTY).replace(
            "</head>",
            article_meta(title, f"{date} 10:30", agency) + "</head>",
        )
        + f'<div class="dqwz">您当前的位置：{crumbs}</div><div class="xxgk-meta"><table><tr><td>索引号：</td>'
        f"<td>011000000/{date[:4]}-0{date[5:7]}{date[8:]}</td><td>发布机构：</td><td>{agency}</td></tr></table></div>"
        + f'<div class="article"><h2>{esc(title)}</h2><div class="TRS_Editor">{body}</div></div></body></html>'
    )


def build(site, rng):
    ids = iter(range(3113900, 3114000))
    lists = {}

    def writer(year, kind, docid=None):
        """write(title, agency, date, body) -> path of a new page in the column year/kind."""

        def write(title, agency, date, body):
            compact = date.replace("-", "")
            path = f"{ROOT}{year}/{kind}/{compact[:6]}/t{compact}_{docid or next(ids)}.shtml"
            site.page(path, detail_page(title, agency, date, body, year, dict(KINDS)[kind]))
            return path

        return write

    def listed(year, kind, date, title, path):
        lists.setdefault((year, kind), []).append((title, path, date))

    def table_report(year, kind, agency, report_year, date, docid=None, **titles):
        listed(
            year, kind, date, *site.table_report(writer(year, kind, docid), agency, report_year, date, rng, **titles)
        )

    def rejected(year, kind, why, content, agency, date):
        listed(year, kind, date, *site.rejected(writer(year, kind), why, content, agency, date))

    gov = f"{COUNTY}人民政府"
    office = f"{COUNTY}人民政府办公室"
    # 2023 县政府: the county report, its interpretation, next year's work plan, the office report
    table_report(2023, "xzf", gov, 2023, "2024-01-25")
    rejected(
        2023, "xzf", "interpretation", interpretation(gov, 2023, rng, kind="解读"), f"{COUNTY}政务公开办", "2024-01-26"
    )
    rejected(2023, "xzf", "plan", work_plan(COUNTY, 2024), gov, "2024-03-05")
    title, in_xzf, in_xzbm = site.report_in_two_columns(
        writer(2023, "xzf"), writer(2023, "xzbm"), office, 2023, "2024-01-19", rng
    )
    listed(2023, "xzf", "2024-01-19", title, in_xzf)
    listed(2023, "xzbm", "2024-01-19", title, in_xzbm)

    # 2023 县直部门: seven items over two pages
    table_report(2023, "xzbm", f"{COUNTY}教育局", 2023, "2024-01-18", docid=3113885)
    images = [f"./W0202401171{n}8820.png" for n in (2, 3, 4)]
    listed(
        2023,
        "xzbm",
        "2024-01-17",
        *site.picture_report(writer(2023, "xzbm"), f"{COUNTY}财政局", 2023, "2024-01-17", images),
    )
    table_report(2023, "xzbm", f"{COUNTY}卫生健康局", 2023, "2024-01-16")
    table_report(2023, "xzbm", f"{COUNTY}自然资源局", 2023, "2024-01-15", list_title="年度报告", page_title="年度报告")
    rejected(2023, "xzbm", "other_yearly", statistical_bulletin(COUNTY, 2023, rng), f"{COUNTY}统计局", "2024-03-20")
    rejected(2023, "xzbm", "guide", guide(f"{COUNTY}教育局"), f"{COUNTY}教育局", "2023-06-01")

    # 2023 乡镇（街道）: an agency-only list title and a report with picture tables
    table_report(2023, "xz", "白石镇人民政府", 2023, "2024-01-22", list_title="白石镇")
    images = [f"./W0202401231{n}0457.png" for n in (2, 3, 4)]
    listed(
        2023, "xz", "2024-01-23", *site.picture_report(writer(2023, "xz"), "青岭乡人民政府", 2023, "2024-01-23", images)
    )

    # 2022: 县政府 and 县直部门 only; a DOC behind a page and a PDF straight from the list
    table_report(2022, "xzf", gov, 2022, "2023-01-20")
    table_report(2022, "xzbm", f"{COUNTY}教育局", 2022, "2023-01-13")
    listed(
        2022,
        "xzbm",
        "2023-01-31",
        *site.attachment_report(
            writer(2022, "xzbm"),
            "doc004",
            "doc",
            f"{COUNTY}金融工作办公室",
            "2023-01-31",
            "./P020230131336019451776.doc",
            ' appendix="true"',
        ),
    )
    # 2020: the county report in the 2019 layout
    table_report(2020, "xzf", gov, 2020, "2021-01-28")
    listed(
        2022,
        "xzbm",
        "2023-01-30",
        *site.file_report(f"{ROOT}2022/xzbm/202301/P020230130581120043219.pdf", "pdf_libreoffice", "doc003"),
    )

    # column pages
    root_crumbs = (("首页", "/"), ("信息公开", "/xxgk/index.shtml"), ("政府信息公开年报", ROOT + "index.shtml"))
    site.home(f"{COUNTY}人民政府门户网站", [("信息公开", "/xxgk/index.shtml")])
    site.page(
        "/xxgk/index.shtml",
        HEAD.format(title="信息公开", county=COUNTY)
        + f'<ul class="xxgk-nav"><li><a href="/xxgk/xxgkzn/index.shtml">政府信息公开指南</a></li>'
        f'<li><a href="{ROOT}index.shtml">政府信息公开年报</a></li></ul></body></html>',
    )
    years = (2023, 2022, 2020)
    site.page(
        ROOT + "index.shtml",
        column_page("政府信息公开年报", root_crumbs, [(f"{y}年度", f"./{y}/index.shtml") for y in years], []),
    )
    site.column(ROOT + "index.shtml")
    for year in years:
        kinds = [k for k in KINDS if (year, k[0]) in lists]
        year_crumbs = root_crumbs + ((f"{year}年度", f"{ROOT}{year}/index.shtml"),)
        tabs = [(name, f"./{kind}/index.shtml") for kind, name in kinds]
        site.page(f"{ROOT}{year}/index.shtml", column_page(f"{year}年度", year_crumbs, tabs, []))
        site.column(f"{ROOT}{year}/index.shtml")
        for kind, name in kinds:
            col = f"{ROOT}{year}/{kind}/"
            items = [(t, "./" + p[len(col) :], d) for t, p, d in lists[(year, kind)]]
            pages = pages_of(items, 5)
            sibling_tabs = [(n, f"../{k}/index.shtml") for k, n in kinds]
            for index, chunk in enumerate(pages):
                name_ = "index.shtml" if index == 0 else f"index_{index}.shtml"
                site.page(
                    col + name_,
                    column_page(
                        name, year_crumbs + ((name, col + "index.shtml"),), sibling_tabs, chunk, len(pages), index
                    ),
                )
            site.column(col + "index.shtml")
