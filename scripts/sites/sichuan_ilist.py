"""A Sichuan county on a JSP 信息公开 platform in GBK: lists /info/iList.jsp?node_id=…&cat_id=…
&cur_page=N (rows div.ewb-job ul li > a[title], 下一页 links), a category tree in the left
menu (政府信息公开年报 with 县政府 / 部门 / 乡镇 children, the parent listing all of them),
details with the #symbol metadata block and div.ewb-article-detail, attachments as relative
links in #symbol. The start URL is another category of the platform (法定主动内容)."""

import html

from fixturekit.portal import Columns, attachment_only_body, esc, guide, interpretation, notice, pages_of

COUNTY = "沱山县"
NODE = "GKtsx"
PARENT, CHILDREN = 12650, ((12651, "县政府年报"), (12652, "部门年报"), (12653, "乡镇年报"))
OTHER = 12600
PER_PAGE = 4
SITE = {
    "stem": "sichuan_ilist_cats",
    "host": "www.tuoshanxian.gov.cn",
    "family": None,
    "start_paths": [f"/info/iList.jsp?node_id={NODE}&cat_id={OTHER}&cur_page=1"],
    "seen_at": [
        "lists https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1 (法定主动内容), rows body > div.container > div.ewb-white > div.ewb-job > ul > li > a[title]; details: title #main, metadata #symbol (索引号, 发布日期, 来源), body div.ewb-article-detail, attachments #symbol > div:nth-child(4) > div > span > a with hrefs relative to the site root: DIYgod/RSSHub lib/routes/gov/sichuan/deyang/govpublicinfo.ts",
        "Sichuan county list pages in .list_div li a[title] with cur_page paging, attachments #attribute span.gk.fj: docs/portals.md 2.2 G",
        "a Sichuan county 年报 category addressed by column id and year: http://www.pingwu.gov.cn/public/column/12651?type=3&nav=5&sub=4&timeFrame=2021&hasContent=true (portals.md item 38)",
    ],
    "structures": [
        "start at another category of the 信息公开 platform",
        "category tree (parent listing its children)",
        "GBK pages (charset=GBK header)",
        "cur_page pagination",
        "vague titles",
        "interpretation",
        "guide",
        "letter",
        "same report in 县政府 and 部门",
        "attachment-only (relative DOCX link, PDF from the list)",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "Every HTML page is GBK bytes with Content-Type text/html;charset=GBK. The detail URL shape "
    "(/info/iDetail.jsp?…&info_id=) is not from a seen page: the sources show lists and detail markup only.",
}

LIST = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"><title>{name}-{county}人民政府</title></head>
<body><div class="container"><div class="ewb-white"><div class="ewb-tree"><h3>政府信息公开</h3><ul>{tree}</ul></div>
<div class="ewb-job"><h4>{name}</h4><ul>{rows}</ul><div class="ewb-page">{pager}</div></div></div></div></body></html>"""

DETAIL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"><title>{title}</title></head>
<body><div id="container"><div class="ewb-location">当前位置：<a href="/">首页</a> &gt; <a href="{list_href}">{cat_name}</a></div>
<div id="main">{title}</div>
<div id="symbol"><div><div>索引号：{index}</div><div><span>文号：</span></div><div>发布日期：{date}</div></div>
<div><div>公开方式：主动公开</div><div>来源：{agency}</div><div>关键字：年度报告</div></div><div></div>
<div><div>{files}</div></div></div>
<div class="ewb-white"><div class="ewb-article-detail">{body}</div></div></div></body></html>"""


def list_href(cat, page=1):
    return f"/info/iList.jsp?node_id={NODE}&cat_id={cat}&cur_page={page}"


def tree():
    children = "".join(
        f'<li class="sub"><a href="{html.escape(list_href(cat))}">{name}</a></li>' for cat, name in CHILDREN
    )
    return (
        f'<li><a href="{html.escape(list_href(OTHER))}">法定主动内容</a></li>'
        f'<li><a href="{html.escape(list_href(PARENT))}">政府信息公开年报</a><ul>{children}</ul></li>'
    )


def build(site, rng):
    ids = iter(range(5713201, 5713300))
    names = dict(CHILDREN)

    def writer(cat, files=""):
        """write(title, agency, date, body) -> path of a new iDetail.jsp page of category cat."""

        def write(title, agency, date, body):
            info = next(ids)
            query = f"node_id={NODE}&cat_id={cat}&info_id={info}"
            site.page(
                "/info/iDetail.jsp",
                DETAIL.format(
                    title=esc(title),
                    list_href=html.escape(list_href(cat)),
                    cat_name=names.get(cat, "法定主动内容"),
                    index=f"008{info}/{date[:4]}-0{info % 97:02d}",
                    date=date,
                    agency=agency,
                    files=files,
                    body=body,
                ),
                gbk=True,
                gbk_label="GBK",
                query=query,
            )
            return f"/info/iDetail.jsp?{query}"

        return write

    columns = Columns(site, writer, rng, [cat for cat, _ in CHILDREN])

    gov, office = f"{COUNTY}人民政府", f"{COUNTY}人民政府办公室"
    columns.table_report(12651, gov, 2023, "2024-01-26")
    columns.table_report(12651, gov, 2021, "2022-01-25")
    columns.rejected(12651, "interpretation", interpretation(gov, 2023, rng), f"{COUNTY}政务公开办", "2024-01-27")
    office_title, first, second = site.report_in_two_columns(
        writer(12651), writer(12652), office, 2023, "2024-01-22", rng
    )
    columns.listed(12651, "2024-01-22", office_title, first)
    columns.listed(12652, "2024-01-22", office_title, second)
    columns.table_report(12651, gov, 2020, "2021-01-22")

    columns.table_report(12652, f"{COUNTY}统计局", 2023, "2024-01-19", list_title="统计局2023年度报告")
    title, _, year, _, _ = site.seed_truth("doc001")
    docx = "upload/2024/01/18/17055612345678.docx"
    site.seed_file("/info/" + docx, "docx", "doc001")  # where a browser resolves the relative link
    files = f'<span><a href="{docx}">{esc(title)}.docx</a></span>'
    path = writer(12652, files)(title, f"{COUNTY}财政局", "2024-01-18", attachment_only_body(title, []))
    site.report(path, title, year, None, attachment="/info/" + docx)
    columns.listed(12652, "2024-01-18", title, path)
    agency = f"{COUNTY}教育和体育局"
    images = [f"/upload/2024/01/17/1705470{n}.png" for n in (2, 3, 4)]
    columns.listed(12652, "2024-01-17", *site.picture_report(writer(12652), agency, 2023, "2024-01-17", images))
    columns.rejected(12652, "guide", guide(agency), agency, "2023-08-01")

    columns.table_report(12653, "龙门镇人民政府", 2023, "2024-01-23", list_title="龙门镇")
    columns.listed(
        12653, "2024-01-24", *site.file_report("/upload/2024/01/24/17060912340001.pdf", "pdf_libreoffice", "doc004")
    )
    columns.rejected(
        12653, "notice", notice(COUNTY, 2023, "submit", sender="石桥乡人民政府"), "石桥乡人民政府", "2024-01-20"
    )

    site.home(f"{COUNTY}人民政府", [("政府信息公开", list_href(OTHER).replace("&", "&amp;"))], gbk=True)
    # the start category: other public information (not candidates of a 年报 column)
    others = []
    for title, date in (
        ("沱山县2024年春耕生产工作方案", "2024-03-02"),
        ("沱山县人民政府关于调整部分议事协调机构的通知", "2024-02-20"),
    ):
        others.append(
            (
                title,
                writer(OTHER)(title, gov, date, f"<p>{esc(title)}。</p><p>各乡镇人民政府，县级各部门：……</p>"),
                date,
            )
        )
    write_list(site, OTHER, "法定主动内容", others)
    every = []
    for cat, name in CHILDREN:
        every += columns.items[cat]
        write_list(site, cat, name, columns.items[cat])
        site.column(list_href(cat))
    write_list(site, PARENT, "政府信息公开年报", every)
    site.column(list_href(PARENT))


def write_list(site, cat, name, items):
    items = sorted(items, key=lambda item: item[2], reverse=True)
    chunks = pages_of(items, PER_PAGE)
    for n, chunk in enumerate(chunks, 1):
        rows = "".join(
            f'<li><a href="{html.escape(p)}" title="{esc(t)}" target="_blank">{esc(t)}</a><span>{d}</span></li>'
            for t, p, d in chunk
        )
        pager = f'<a href="{html.escape(list_href(cat, n + 1))}">下一页</a>' if n < len(chunks) else ""
        pager = f"<span>第{n}页/共{len(chunks)}页</span>{pager}"
        site.page(
            "/info/iList.jsp",
            LIST.format(name=name, county=COUNTY, tree=tree(), rows=rows, pager=pager),
            gbk=True,
            gbk_label="GBK",
            query=list_href(cat, n).split("?", 1)[1],
        )
