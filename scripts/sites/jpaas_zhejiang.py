"""A Zhejiang county on JCMS with the jpaas publishing gateway: a column page renders its first
rows (li.clearfix > a.bt-left + span.bt-right) and a pagination div with count/rows/queryData;
further pages come from /api-gateway/jpaas-publish-server/front/page/build/unit?…&pageNo=N as
JSON {"success": true, "data": {"html": …}}. The start URL is one report page; its breadcrumb
leads to the 部门 column, whose left nav lists the parent 政府信息公开年报 column and its
县政府 / 部门 / 乡镇（街道） children. Details are /art/Y/M/D/art_{col}_{n}.html and
/col/col{col}/art/Y/art_{uuid}.html."""

import json

from fixturekit.portal import Columns, esc, guide, interpretation, notice, rule_of_law_report

COUNTY = "青潭县"
WEB, TPL, ROWS = "3391", "o0YcVHHq5vWtr3uiCp4SY", 5
PARENT = 1229601000
COLUMNS = ((1229601001, "县政府年报"), (1229601002, "部门年报"), (1229601003, "乡镇（街道）年报"))
SITE = {
    "stem": "jpaas_zhejiang_cols",
    "host": "www.qingtanxian.gov.cn",
    "family": "hanweb",
    "start_paths": ["/art/2024/1/24/art_1229601002_5902417.html"],
    "seen_at": [
        "JCMS column pages /col/col{id}/index.html with li.clearfix > a.bt-left[title] + span.bt-right, a pagination div count=\"…\" rows=\"…\" queryData=\"{'webId':…,'pageId':…,'tagId':'信息列表','tplSetId':…}\", further pages from /api-gateway/jpaas-publish-server/front/page/build/unit?webId&pageId&parseType=bulidstatic&pageType=column&tagId&tplSetId&rows&pageNo returning {success, data: {html}}; details /art/YYYY/M/D/art_{COL}_{NUM}.html and /col/col{COL}/art/YYYY/art_{UUID}.html with div#zoom and the 索引号/发布机构/文件编号 table: hulelan/china-governance crawlers/zhejiang.py",
        "Hanweb detail /art/… and downfile.jsp attachments: docs/portals.md 2.2 B (items 5, 6, 41)",
    ],
    "structures": [
        "start at one report page (climb by breadcrumb)",
        "parent column and 县政府/部门/乡镇 children in a left nav",
        "JSON data call paging (jpaas gateway, Chinese in the query)",
        "two detail URL shapes",
        "vague titles",
        "interpretation",
        "guide",
        "letter",
        "other yearly report",
        "same report in 县政府 and 部门",
        "attachment-only (downfile.jsp PDF)",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8. Gateway answers are query entries; their key holds the tagId 信息列表 unquoted.",
}

COL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}_{county}人民政府</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229600000/index.html">政府信息公开</a> &gt; <a href="/col/col{parent}/index.html">政府信息公开年报</a>{tail}</div>
<div class="left-menu"><a href="/col/col{parent}/index.html">政府信息公开年报</a><ul>{nav}</ul></div>
<div class="list"><ul>{rows}</ul>{pagination}</div></body></html>"""

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 17:03"><meta name="ContentSource" content="{agency}"><title>{title}</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229600000/index.html">政府信息公开</a> &gt; <a href="/col/col{parent}/index.html">政府信息公开年报</a> &gt; <a href="/col/col{column}/index.html">{column_name}</a></div>
<table class="xxgk-info"><tr><td>索引号：</td><td>001008003014/{year}-{n}</td><td>发布机构：</td><td>{agency}</td></tr>
<tr><td>文件编号：</td><td></td><td>生成日期：</td><td>{date}</td></tr></table>
<div class="content"><h1>{title}</h1><div id="zoom">{body}</div></div></body></html>"""


def rows_html(items):
    return "".join(
        f'<li class="clearfix"><a class="bt-left" title="{esc(t)}" href="{p}" target="_blank">{esc(t)}</a>'
        f'<span class="bt-right">{d}</span></li>'
        for t, p, d in items
    )


def gateway_query(column, page):
    return (
        f"webId={WEB}&pageId={column}&parseType=bulidstatic&pageType=column&tagId=信息列表&tplSetId={TPL}"
        f"&rows={ROWS}&pageNo={page}"
    )


def build(site, rng):
    ids = iter(range(5902400, 5902500))
    names = dict(COLUMNS)

    def writer(column, uuid=None, number=None):
        """write(title, agency, date, body) -> path of a new article of column (/art/… or /col/…/art/…)."""

        def write(title, agency, date, body):
            year, month, day = (int(x) for x in date.split("-"))
            path = (
                f"/col/col{column}/art/{year}/art_{uuid}.html"
                if uuid
                else f"/art/{year}/{month}/{day}/art_{column}_{number or next(ids)}.html"
            )
            site.page(
                path,
                ARTICLE.format(
                    title=esc(title),
                    date=date,
                    agency=agency,
                    parent=PARENT,
                    column=column,
                    column_name=names[column],
                    year=year,
                    n=f"{rng.randint(1, 999):03d}",
                    body=body,
                ),
            )
            return path

        return write

    columns = Columns(site, writer, rng, [column for column, _ in COLUMNS])

    gov, office = f"{COUNTY}人民政府", f"{COUNTY}人民政府办公室"
    county_col, dept_col, town_col = (column for column, _ in COLUMNS)
    columns.table_report(county_col, gov, 2023, "2024-01-30")
    columns.table_report(county_col, gov, 2022, "2023-01-29", where={"uuid": "6f3a9c2e0b7d4e18a5c1f2d3b4e5a697"})
    columns.rejected(
        county_col, "interpretation", interpretation(gov, 2023, rng, kind="图解"), f"{COUNTY}政务公开办", "2024-01-31"
    )
    office_title, first, second = site.report_in_two_columns(
        writer(county_col), writer(dept_col), office, 2023, "2024-01-23", rng
    )
    columns.listed(county_col, "2024-01-23", office_title, first)
    columns.listed(dept_col, "2024-01-23", office_title, second)

    columns.table_report(dept_col, f"{COUNTY}财政局", 2023, "2024-01-24", where={"number": 5902417})
    columns.table_report(dept_col, f"{COUNTY}教育局", 2023, "2024-01-22", list_title="教育局")
    images = [f"/picture/0/2401211{n}0355.png" for n in (2, 3, 4)]
    columns.listed(
        dept_col,
        "2024-01-21",
        *site.picture_report(writer(dept_col), f"{COUNTY}人力资源和社会保障局", 2023, "2024-01-21", images),
    )
    columns.listed(
        dept_col,
        "2024-01-20",
        *site.attachment_report(
            writer(dept_col),
            "doc003",
            "pdf_libreoffice",
            f"{COUNTY}卫生健康局",
            "2024-01-20",
            "/module/download/downfile.jsp?classid=0&filename=b7e1c0d9a8f34e2b9c6d5a4f3e2d1c0b.pdf",
        ),
    )
    columns.rejected(
        dept_col, "other_yearly", rule_of_law_report(f"{COUNTY}司法局", 2023), f"{COUNTY}司法局", "2024-03-15"
    )
    columns.table_report(dept_col, f"{COUNTY}交通运输局", 2020, "2021-01-21")
    columns.rejected(dept_col, "guide", guide(f"{COUNTY}交通运输局"), f"{COUNTY}交通运输局", "2023-07-07")

    columns.table_report(town_col, "新安镇人民政府", 2023, "2024-01-25", list_title="新安镇")
    columns.rejected(
        town_col, "notice", notice(COUNTY, 2023, "submit", sender="新安镇人民政府"), "新安镇人民政府", "2024-01-19"
    )

    site.home(f"{COUNTY}人民政府", [("政府信息公开", "/col/col1229600000/index.html")])
    site.page(
        "/col/col1229600000/index.html",
        COL_PAGE.format(name="政府信息公开", county=COUNTY, parent=PARENT, tail="", nav="", rows="", pagination=""),
    )
    nav = "".join(f'<li><a href="/col/col{column}/index.html">{name}</a></li>' for column, name in COLUMNS)
    site.page(
        f"/col/col{PARENT}/index.html",
        COL_PAGE.format(
            name="政府信息公开年报", county=COUNTY, parent=PARENT, tail="", nav=nav, rows="", pagination=""
        ),
    )
    site.column(f"/col/col{PARENT}/index.html")
    for column, name in COLUMNS:
        items = columns.newest_first(column)
        pagination = (
            f'<div id="pagination" count="{len(items)}" rows="{ROWS}" pageNo="1" '
            f'unitUrl="/api-gateway/jpaas-publish-server/front/page/build/unit" '
            f"queryData=\"{{'webId':'{WEB}','pageId':'{column}','tagId':'信息列表','tplSetId':'{TPL}'}}\"></div>"
        )
        site.page(
            f"/col/col{column}/index.html",
            COL_PAGE.format(
                name=name,
                county=COUNTY,
                parent=PARENT,
                tail=f' &gt; <a href="/col/col{column}/index.html">{name}</a>',
                nav=nav,
                rows=rows_html(items[:ROWS]),
                pagination=pagination,
            ),
        )
        site.column(f"/col/col{column}/index.html")
        for page in range(2, -(-len(items) // ROWS) + 1):
            data = {
                "success": True,
                "data": {"html": "<ul>" + rows_html(items[(page - 1) * ROWS : page * ROWS]) + "</ul>"},
            }
            site.data(
                "/api-gateway/jpaas-publish-server/front/page/build/unit",
                json.dumps(data, ensure_ascii=False).encode(),
                "application/json;charset=UTF-8",
                query=gateway_query(column, page),
            )
