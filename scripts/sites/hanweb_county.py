"""A county portal on Hanweb JCMS: three sibling `col` columns (县政府 / 部门 / 乡镇（街道）
信息公开年报) linked from each other's left nav; each column page embeds its first records
in a <datastore> and serves the rest from dataproxy.jsp (XML). One report is itself a `col`
page; the 县政府办公室 report is in the 县政府 and the 部门 column under two art URLs; one
report is a DOCX behind downfile.jsp; the 部门 column holds a seed Hanweb page (2019 layout)."""

import html

from fixturekit.portal import (
    HANWEB_DATASTORE,
    HANWEB_JPAGE,
    HANWEB_PROXY,
    Columns,
    esc,
    interpretation,
    notice,
    rule_of_law_report,
)

COUNTY = "松岩县"
SITE = {
    "stem": "hanweb_county_cols",
    "host": "www.songyanxian.gov.cn",
    "family": "hanweb",
    "start_paths": ["/col/col1229411/index.html"],
    "seen_at": [
        "a `col` page that is itself one report: http://jtyst.jiangsu.gov.cn/col/col90231/index.html, http://www.yingtan.gov.cn/col/col13872/index.html, http://xxgk.zhoushan.gov.cn/col/col1229485501/index.html (docs/portals.md items 7, 21, 22)",
        "column page embedding <datastore><nextgroup>…dataproxy.jsp…</nextgroup><recordset><record><![CDATA[<li><a …>]]></record>: hulelan/china-governance crawlers/trs.py; paging by dataproxy.jsp?page=N / startrecord, static index_1.html a 404: code index id 71101888413",
        "detail /art/YYYY/M/D/art_{col}_{id}.html, body div#zoom, attachments /module/download/downfile.jsp?classid=0&filename=…: docs/portals.md 2.2 B",
        "a Hanweb column linking a second col named 部门信息公开年报: issue 14 (observed on unseen portals)",
    ],
    "structures": [
        "start at the 本级 column",
        "sibling columns 县政府/部门/乡镇 by left nav",
        "XML data call (dataproxy) paging",
        "report as a col page",
        "vague titles",
        "interpretation",
        "notice",
        "other yearly report",
        "same report in 本级 and 部门",
        "attachment-only (downfile.jsp DOCX)",
        "seed page 2019 layout",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8. dataproxy.jsp answers are stored under their full query (the fixture format's query entries).",
}

WEB, UNIT = 27, 5816
COLUMNS = ((1229411, "县政府信息公开年报"), (1229412, "部门信息公开年报"), (1229413, "乡镇（街道）信息公开年报"))
PER_PAGE = 3
HOME_COL = 1229410

COL_PAGE = (
    """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}_{county}人民政府</title></head><body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{home}/index.html">政府信息公开</a> &gt; {name}</div>
<div class="left-nav"><h3>信息公开年报</h3><ul>{nav}</ul></div>
<div id="{unit}">"""
    + HANWEB_DATASTORE
    + "</div>\n"
    + HANWEB_JPAGE
    + "\n</body></html>"
)

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 15:20"><meta name="ContentSource" content="{agency}"><title>{title}</title></head><body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{home}/index.html">政府信息公开</a> &gt; <a href="/col/col{column}/index.html">{column_name}</a></div>
<table width="100%"><tr><td class="title">{title}</td></tr><tr><td>发布日期：{date} 信息来源：{agency}</td></tr>
<tr><td><div id="zoom">{body}</div></td></tr></table></body></html>"""


def record(title, href, date):
    return (
        f'<record><![CDATA[<li><a href="{href}" title="{html.escape(title)}" target="_blank">{html.escape(title)}</a>'
        f"<span>{date}</span></li>]]></record>"
    )


def nav():
    return "".join(f'<li><a href="/col/col{column}/index.html">{name}</a></li>' for column, name in COLUMNS)


def build(site, rng):
    ids = iter(range(5901201, 5901300))
    names = dict(COLUMNS)

    def writer(column, path=None):
        """write(title, agency, date, body) -> path of a new page of column (an art page, or path)."""

        def write(title, agency, date, body):
            year, month, day = (int(x) for x in date.split("-"))
            page = path or f"/art/{year}/{month}/{day}/art_{column}_{next(ids)}.html"
            site.page(
                page,
                ARTICLE.format(
                    title=esc(title),
                    date=date,
                    agency=agency,
                    body=body,
                    home=HOME_COL,
                    column=column,
                    column_name=names[column],
                ),
            )
            return page

        return write

    columns = Columns(site, writer, rng, [column for column, _ in COLUMNS])

    gov = f"{COUNTY}人民政府"
    benji, bumen, xiangzhen = (column for column, _ in COLUMNS)
    columns.table_report(benji, gov, 2023, "2024-01-29")
    columns.rejected(benji, "interpretation", interpretation(COUNTY, 2023, rng), f"{COUNTY}政务公开办", "2024-01-30")
    columns.table_report(
        benji, gov, 2022, "2023-01-31", where={"path": "/col/col1229420/index.html"}
    )  # a col page of its own
    # the office report in 本级 and 部门
    office_title, first, second = site.report_in_two_columns(
        writer(benji), writer(bumen), f"{COUNTY}人民政府办公室", 2023, "2024-01-24", rng
    )
    columns.listed(benji, "2024-01-24", office_title, first)
    columns.table_report(benji, gov, 2021, "2022-01-27", list_title="政府信息公开年报", page_title="政府信息公开年报")
    columns.table_report(benji, gov, 2020, "2021-01-26")

    # 部门: the seed page, a table report, the shared office report, a DOCX behind downfile.jsp,
    # a notice, a 法治政府 report
    seed_path = f"/art/2021/1/6/art_{bumen}_5801337.html"
    title, year, layout, facts = site.seed_page(seed_path, "doc001", f"/col/col{HOME_COL}/index.html")
    site.report(seed_path, title, year, facts, layout)
    columns.listed(bumen, "2021-01-06", title, seed_path)
    columns.table_report(bumen, f"{COUNTY}教育局", 2023, "2024-01-22")
    columns.listed(bumen, "2024-01-24", office_title, second)
    columns.listed(
        bumen,
        "2023-01-29",
        *site.attachment_report(
            writer(bumen),
            "doc003",
            "docx",
            f"{COUNTY}市场监督管理局",
            "2023-01-29",
            "/module/download/downfile.jsp?classid=0&filename=3f2c8e0b9d6a4c51a7e2b4d8c9f01a26.docx",
        ),
    )
    columns.rejected(bumen, "notice", notice(f"{COUNTY}人民政府", 2023, "prepare"), f"{COUNTY}政务公开办", "2023-12-12")
    columns.rejected(
        bumen, "other_yearly", rule_of_law_report(f"{COUNTY}司法局", 2023), f"{COUNTY}司法局", "2024-02-28"
    )

    # 乡镇（街道）: agency-only and vague list titles
    columns.table_report(xiangzhen, "城关镇人民政府", 2023, "2024-01-20", list_title="城关镇")
    columns.table_report(xiangzhen, "新塘乡人民政府", 2023, "2024-01-21", list_title="年度报告")

    site.home(f"{COUNTY}人民政府", [("政府信息公开", f"/col/col{HOME_COL}/index.html")])
    site.page(
        f"/col/col{HOME_COL}/index.html",
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开_{COUNTY}人民政府</title></head><body>'
        f'<ul class="xxgk-menu"><li><a href="/col/col1229401/index.html">政府信息公开指南</a></li>'
        f'<li><a href="/col/col1229402/index.html">法定主动公开内容</a></li>{nav()}</ul></body></html>',
    )
    for column, name in COLUMNS:
        records = [record(t, p, d) for t, p, d in columns.newest_first(column)]
        total = len(records)
        site.page(
            f"/col/col{column}/index.html",
            COL_PAGE.format(
                name=name,
                county=COUNTY,
                home=HOME_COL,
                nav=nav(),
                unit=UNIT,
                web=WEB,
                column=column,
                records="\n".join(records[:PER_PAGE]),
                total=total,
                per_page=PER_PAGE,
            ),
        )
        site.column(f"/col/col{column}/index.html")
        for page in range(1, -(-total // PER_PAGE) + 1):  # the <nextgroup> form: page=N
            query = f"page={page}&webid={WEB}&path=/&columnid={column}&unitid={UNIT}&webname=&permissiontype=0"
            site.data(
                "/module/web/jpage/dataproxy.jsp",
                HANWEB_PROXY.format(
                    total=total,
                    pages=-(-total // PER_PAGE),
                    records="\n".join(records[(page - 1) * PER_PAGE : page * PER_PAGE]),
                ).encode(),
                "text/xml; charset=utf-8",
                query=query,
            )
        for start in range(PER_PAGE + 1, total + 1, PER_PAGE):  # the jpage form: startrecord / endrecord
            end = min(start + PER_PAGE - 1, total)
            query = (
                f"startrecord={start}&endrecord={end}&perpage={PER_PAGE}&col=1&appid=1&webid={WEB}&path=/"
                f"&columnid={column}&sourceContentType=1&unitid={UNIT}&webname=&permissiontype=0"
            )
            site.data(
                "/module/web/jpage/dataproxy.jsp",
                HANWEB_PROXY.format(
                    total=total, pages=-(-total // PER_PAGE), records="\n".join(records[start - 1 : end])
                ).encode(),
                "text/xml; charset=utf-8",
                query=query,
            )
