"""A city portal on TRS WCM: the 信息公开 home leads to the 政府信息公开年报 column (市政府年报,
two pages by createPageHTML), whose tabs lead to 部门年报 (an index of per-department
columns bmnb/jyj/, bmnb/czj/, bmnb/bgs/) and 县区年报. The 市政府办公室 report is in both the
本级 column and its department column; one department column holds a seed report page
(GBK, 2019 layout) and an attachment-only report (TRS appendix PDF); 县区年报 links one report
straight to a DOCX."""

from urllib.parse import urljoin

from fixturekit.portal import article_meta, esc, interpretation, notice, rule_of_law_report

CITY = "白山湖市"
SITE = {
    "stem": "trs_city_bmnb",
    "host": "www.baishanhu.gov.cn",
    "family": "trs",
    "start_paths": ["/zwgk/index.html"],
    "seen_at": [
        "per-department sub-columns zfxxgknb/bmnb/{dept}/: http://www.hld.gov.cn/zwgk/zfxxgknb/bmnb/jyj/202301/t20230128_1129303.html (docs/portals.md item 19)",
        "本级 column beside department columns: http://www.moe.gov.cn/jyb_xxgk/xxgk/nianbao/jiguan/ (portals.md item 1)",
        'TRS list li.clearfix > a[title] + span date, createPage(N, 0, "index", "html") paging, index_N.html: code index id 56114329353 (Chongqing TRS list fixture) and hulelan/china-governance crawlers/chongqing.py',
        "TRS attachments a[appendix=true] ./P0….pdf: docs/portals.md 2.2 A (code index ids 60778709716, 69548291903)",
        "信息公开 home with a 政府信息公开年报 entry among 指南/制度/法定主动公开内容: code index id 3228589627 (hd.gov.cn xxgk sidebar) and topie/topiecms src/main/webapp/template/jh-zwgk-fzr.ftl",
    ],
    "structures": [
        "start at 信息公开 home",
        "本级/部门/县区 tabs",
        "per-department columns",
        "pagination",
        "vague titles",
        "interpretation",
        "notice",
        "letter",
        "other yearly report",
        "same report in 本级 and 部门",
        "attachment-only (PDF behind a page, DOCX from the list)",
        "seed page GBK 2019 layout",
        "2019 and 2021 layouts",
        "image tables",
    ],
    "note": "All pages UTF-8 except the seed report page (GB18030 bytes declaring gb2312). Column first pages are "
    "index.html; the breadcrumbs of detail pages point at column directories (../), as on TRS sites.",
}

ON = ' class="on"'
BASE = "/zwgk/zfxxgknb/"
TABS = (
    ("市政府年报", BASE + "index.html"),
    ("部门年报", BASE + "bmnb/index.html"),
    ("县区年报", BASE + "xqnb/index.html"),
)
DEPTS = (("jyj", "市教育局"), ("czj", "市财政局"), ("bgs", "市政府办公室"))

HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{city}人民政府</title>
<meta name="SiteName" content="{city}人民政府"><meta name="ColumnName" content="{column}"></head><body>
<div class="header"><a href="/">{city}人民政府</a> | <a href="/zwgk/index.html">政府信息公开</a></div>"""


def list_page(column, crumbs, items, page_count, page_index, tabs=TABS, subcolumns=()):
    tab_html = "".join(f'<a href="{href}"{ON if name == column else ""}>{name}</a>' for name, href in tabs)
    sub_html = "".join(f'<li><a href="{href}">{esc(name)}</a></li>' for name, href in subcolumns)
    rows = "".join(
        f'<li class="clearfix"><a href="{href}" target="_blank" title="{esc(title)}">{esc(title)}</a>'
        f"<span>{date}</span></li>"
        for title, href, date in items
    )
    pager = (
        f'<script>//wcm分页，总记录：{len(items)}\ncreatePageHTML({page_count}, {page_index}, "index", "html");</script>'
        if page_count > 1
        else ""
    )
    crumb = " &gt; ".join(f'<a href="{href}">{name}</a>' for name, href in crumbs)
    return (
        HEAD.format(title=column, city=CITY, column=column)
        + f'<div class="position">当前位置：{crumb}</div><div class="tab">{tab_html}</div>'
        + (f'<ul class="sub-columns">{sub_html}</ul>' if sub_html else "")
        + f'<ul class="list">{rows}</ul><div class="page">{pager}</div></body></html>'
    )


def detail_page(title, agency, date, body, column):
    """A TRS detail page in {column}/YYYYMM/; its breadcrumb climbs by directory (../ is the column)."""
    if column == "市政府年报":
        crumbs = '<a href="../../">政府信息公开</a> &gt; <a href="../">政府信息公开年报</a>'
    elif column == "县区年报":
        crumbs = '<a href="../../../">政府信息公开</a> &gt; <a href="../../">政府信息公开年报</a> &gt; <a href="../">县区年报</a>'
    else:  # a department column under bmnb/
        crumbs = (
            '<a href="../../../../">政府信息公开</a> &gt; <a href="../../../">政府信息公开年报</a> &gt; '
            f'<a href="../../">部门年报</a> &gt; <a href="../">{column}</a>'
        )
    return (
        HEAD.format(title=title, city=CITY, column=column).replace(
            "</head>",
            article_meta(title, f"{date} 09:00", agency) + "</head>",
        )
        + f'<div class="position">当前位置：<a href="/">首页</a> &gt; {crumbs}</div>'
        + f'<h1 class="title">{esc(title)}</h1><div class="info">发布时间：{date} 来源：{agency}</div>'
        + f'<div class="TRS_Editor">{body}</div></body></html>'
    )


def doc_path(column_dir, date, docid, ext="html"):
    compact = date.replace("-", "")
    return f"{column_dir}{compact[:6]}/t{compact}_{docid}.{ext}"


def build(site, rng):
    home = (
        HEAD.format(title="政府信息公开", city=CITY, column="政府信息公开") + '<div class="xxgk-nav"><ul>'
        '<li><a href="/zwgk/zfxxgkzn/index.html">政府信息公开指南</a></li>'
        '<li><a href="/zwgk/zfxxgkzd/index.html">政府信息公开制度</a></li>'
        '<li><a href="/zwgk/fdzdgknr/index.html">法定主动公开内容</a></li>'
        f'<li><a href="{BASE}index.html">政府信息公开年报</a></li>'
        "</ul></div></body></html>"
    )
    site.home(f"{CITY}人民政府", [("政府信息公开", "/zwgk/index.html")])
    site.page("/zwgk/index.html", home)
    ids = iter(range(1129301, 1129400))

    def writer(column_dir, column_name):
        """write(title, agency, date, body) -> path of a new page in column_dir."""

        def write(title, agency, date, body):
            path = doc_path(column_dir, date, next(ids))
            site.page(path, detail_page(title, agency, date, body, column_name))
            return path

        return write

    # 本级: the city government's reports, two list pages
    gov, office = f"{CITY}人民政府", f"{CITY}人民政府办公室"
    in_benji = writer(BASE, "市政府年报")
    benji = [(*site.table_report(in_benji, gov, 2023, "2024-01-26", rng), "2024-01-26")]
    content = interpretation(CITY, 2023, rng, image="./W020240128391204117382.png")
    title, path = site.rejected(in_benji, "interpretation", content, f"{CITY}政务公开办", "2024-01-28")
    site.image(urljoin(path, "./W020240128391204117382.png"))
    benji.append((title, path, "2024-01-28"))
    benji.append(
        (
            *site.rejected(in_benji, "notice", notice(gov, 2023, "prepare"), f"{CITY}政务公开办", "2023-12-15"),
            "2023-12-15",
        )
    )
    # 市政府办公室 2023: in the 本级 list and in its department column
    office_dept = BASE + "bmnb/bgs/202401/t20240122_1129288.html"

    def in_office_column(title, agency, date, body):
        site.page(office_dept, detail_page(title, agency, date, body, "市政府办公室"))
        return office_dept

    office_title, office_benji, _ = site.report_in_two_columns(
        in_benji, in_office_column, office, 2023, "2024-01-22", rng
    )
    benji.append((office_title, office_benji, "2024-01-22"))
    images = [f"./W0202301201{n}5520.png" for n in (2, 3, 4)]
    benji.append((*site.picture_report(in_benji, gov, 2022, "2023-01-20", images), "2023-01-20"))
    for year, date in ((2021, "2022-01-23"), (2020, "2021-01-18")):
        benji.append((*site.table_report(in_benji, gov, year, date, rng), date))
    benji.insert(
        0, (*site.rejected(in_benji, "other_yearly", rule_of_law_report(gov, 2023), gov, "2024-02-20"), "2024-02-20")
    )
    first, second = benji[:5], benji[5:]
    crumbs = (("首页", "/"), ("政府信息公开", "/zwgk/index.html"), ("政府信息公开年报", BASE + "index.html"))
    site.page(
        BASE + "index.html", list_page("市政府年报", crumbs, [(t, "./" + p[len(BASE) :], d) for t, p, d in first], 2, 0)
    )
    site.page(
        BASE + "index_1.html",
        list_page("市政府年报", crumbs, [(t, "./" + p[len(BASE) :], d) for t, p, d in second], 2, 1),
    )
    site.column(BASE + "index.html")

    # 部门年报: an index of department columns
    bm = BASE + "bmnb/"
    site.page(
        bm + "index.html",
        list_page(
            "部门年报",
            crumbs + (("部门年报", bm + "index.html"),),
            [],
            1,
            0,
            subcolumns=[(f"{name}政府信息公开年报", f"./{code}/index.html") for code, name in DEPTS],
        ),
    )
    site.column(bm + "index.html")
    dept_items = {code: [] for code, _ in DEPTS}
    # 教育局: a vague title, a plain report with picture tables, a letter
    jy = f"{CITY}教育局"
    in_jyj = writer(bm + "jyj/", "市教育局")
    dept_items["jyj"].append(
        (*site.table_report(in_jyj, jy, 2023, "2024-01-19", rng, list_title="2023年报"), "2024-01-19")
    )
    images = [f"./W0202301171{n}0041.png" for n in (2, 3, 4)]
    dept_items["jyj"].append((*site.picture_report(in_jyj, jy, 2022, "2023-01-17", images), "2023-01-17"))
    dept_items["jyj"].append(
        (*site.rejected(in_jyj, "notice", notice(CITY, 2022, "submit", sender=jy), jy, "2023-01-20"), "2023-01-20")
    )
    # 财政局: the seed page (GBK, 2019 layout) and an attachment-only 2022 report
    seed_path = bm + "czj/202101/t20210125_1129270.html"
    title, year, layout, facts = site.seed_page(seed_path, "doc000", "/zwgk/index.html")
    site.report(seed_path, title, year, facts, layout)
    dept_items["czj"].append((title, seed_path, "2021-01-25"))
    title, path = site.attachment_report(
        writer(bm + "czj/", "市财政局"),
        "doc003",
        "pdf_chrome",
        f"{CITY}财政局",
        "2023-01-18",
        "./P020230118551207713364.pdf",
        ' appendix="true" data-appendix="true" needdownload="true"',
    )
    dept_items["czj"].insert(0, (title, path, "2023-01-18"))
    # 办公室: the shared report and a vague 2022 title
    dept_items["bgs"].append((office_title, office_dept, "2024-01-22"))
    dept_items["bgs"].append(
        (
            *site.table_report(
                writer(bm + "bgs/", "市政府办公室"), office, 2022, "2023-01-16", rng, page_title="政府信息公开年报"
            ),
            "2023-01-16",
        )
    )
    for code, name in DEPTS:
        col = f"{bm}{code}/"
        items = [(t, "./" + p[len(col) :], d) for t, p, d in dept_items[code]]
        site.page(
            col + "index.html",
            list_page("部门年报", crumbs + (("部门年报", bm + "index.html"), (name, col + "index.html")), items, 1, 0),
        )
        site.column(col + "index.html")

    # 县区年报: one page report, one DOCX straight from the list
    xq = BASE + "xqnb/"
    title, path = site.table_report(writer(xq, "县区年报"), "东林县人民政府", 2023, "2024-01-25", rng)
    dtitle, docx = site.file_report(xq + "202401/P020240126402218831950.docx", "docx", "doc004")
    items = [(title, "./" + path[len(xq) :], "2024-01-25"), (dtitle, "./" + docx[len(xq) :], "2024-01-26")]
    site.page(xq + "index.html", list_page("县区年报", crumbs + (("县区年报", xq + "index.html"),), items, 1, 0))
    site.column(xq + "index.html")
