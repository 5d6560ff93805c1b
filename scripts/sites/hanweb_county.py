"""A county portal on Hanweb JCMS: three sibling `col` columns (县政府 / 部门 / 乡镇（街道）
信息公开年报) linked from each other's left nav; each column page embeds its first records
in a <datastore> and serves the rest from dataproxy.jsp (XML). One report is itself a `col`
page; the 县政府办公室 report is in the 县政府 and the 部门 column under two art URLs; one
report is a DOCX behind downfile.jsp; the 部门 column holds a seed Hanweb page (2019 layout)."""

import html

from .kit import (attachment_only_body, esc, interpretation, notice, rule_of_law_report, synthetic_report)

COUNTY = "松岩县"
SITE = {
    "stem": "hanweb_county_cols",
    "host": "www.songyanxian.gov.cn",
    "family": "hanweb",
    "start_paths": ["/col/col1229411/index.html"],
    "seen_at": [
        "a `col` page that is itself one report: http://jtyst.jiangsu.gov.cn/col/col90231/index.html, http://www.yingtan.gov.cn/col/col13872/index.html, http://xxgk.zhoushan.gov.cn/col/col1229485501/index.html (../shared/spec/portals.md items 7, 21, 22)",
        "column page embedding <datastore><nextgroup>…dataproxy.jsp…</nextgroup><recordset><record><![CDATA[<li><a …>]]></record>: hulelan/china-governance crawlers/trs.py; paging by dataproxy.jsp?page=N / startrecord, static index_1.html a 404: code index id 71101888413",
        "detail /art/YYYY/M/D/art_{col}_{id}.html, body div#zoom, attachments /module/download/downfile.jsp?classid=0&filename=…: ../shared/spec/portals.md 2.2 B",
        "a Hanweb column linking a second col named 部门信息公开年报: issue 14 (observed on unseen portals)",
    ],
    "structures": ["start at the 本级 column", "sibling columns 县政府/部门/乡镇 by left nav", "XML data call (dataproxy) paging",
                   "report as a col page", "vague titles", "interpretation", "notice", "other yearly report",
                   "same report in 本级 and 部门", "attachment-only (downfile.jsp DOCX)", "seed page 2019 layout",
                   "2019 and 2021 layouts"],
    "note": "UTF-8. dataproxy.jsp answers are stored under their full query (the fixture format's query entries).",
}

WEB, UNIT = 27, 5816
COLUMNS = ((1229411, "县政府信息公开年报"), (1229412, "部门信息公开年报"), (1229413, "乡镇（街道）信息公开年报"))
PER_PAGE = 3
HOME_COL = 1229410

COL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}_{county}人民政府</title></head><body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{home}/index.html">政府信息公开</a> &gt; {name}</div>
<div class="left-nav"><h3>信息公开年报</h3><ul>{nav}</ul></div>
<div id="{unit}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid={web}&path=/&columnid={column}&unitid={unit}&webname=&permissiontype=0"></a>]]></nextgroup>
<recordset>
{records}
</recordset></datastore></script></div>
<script>$(document).ready(function(){{ $('#{unit}').jpage({{ dataStore: dataStore, totalRecord: {total}, perPage: {per_page},
 proxyUrl: '/module/web/jpage/dataproxy.jsp', webid: {web}, unitid: {unit}, columnid: {column} }}); }});</script>
</body></html>"""

PROXY = """<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage>
<recordset>
{records}
</recordset></datastore>"""

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 15:20"><meta name="ContentSource" content="{agency}"><title>{title}</title></head><body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{home}/index.html">政府信息公开</a> &gt; <a href="/col/col{column}/index.html">{column_name}</a></div>
<table width="100%"><tr><td class="title">{title}</td></tr><tr><td>发布日期：{date} 信息来源：{agency}</td></tr>
<tr><td><div id="zoom">{body}</div></td></tr></table></body></html>"""


def record(title, href, date):
    return (f'<record><![CDATA[<li><a href="{href}" title="{html.escape(title)}" target="_blank">{html.escape(title)}</a>'
            f"<span>{date}</span></li>]]></record>")


def nav():
    return "".join(f'<li><a href="/col/col{column}/index.html">{name}</a></li>' for column, name in COLUMNS)


def build(site, rng):
    ids = iter(range(5901201, 5901300))
    lists = {column: [] for column, _ in COLUMNS}
    names = dict(COLUMNS)

    def art(column, title, agency, date, body):
        year, month, day = (int(x) for x in date.split("-"))
        path = f"/art/{year}/{month}/{day}/art_{column}_{next(ids)}.html"
        site.page(path, ARTICLE.format(title=esc(title), date=date, agency=agency, body=body, home=HOME_COL,
                                       column=column, column_name=names[column]))
        return path

    def table_report(column, agency, year, date, list_title=None, page_title=None):
        layout, facts, body = synthetic_report(agency, year, rng)
        title = page_title or f"{agency}{year}年政府信息公开工作年度报告"
        path = art(column, title, agency, date, body)
        site.report(path, title, year, facts, layout, list_title=list_title)
        lists[column].append((list_title or title, path, date))

    gov = f"{COUNTY}人民政府"
    benji, bumen, xiangzhen = (column for column, _ in COLUMNS)
    table_report(benji, gov, 2023, "2024-01-29")
    title, body = interpretation(COUNTY, 2023, rng)
    path = art(benji, title, f"{COUNTY}政务公开办", "2024-01-30", body)
    site.non_report(path, title, "interpretation")
    lists[benji].append((title, path, "2024-01-30"))
    # the 2022 report published as a col page of its own
    layout, facts, body = synthetic_report(gov, 2022, rng)
    title = f"{gov}2022年政府信息公开工作年度报告"
    col_report = "/col/col1229420/index.html"
    site.page(col_report, ARTICLE.format(title=esc(title), date="2023-01-31", agency=gov, body=body, home=HOME_COL,
                                         column=benji, column_name=names[benji]))
    site.report(col_report, title, 2022, facts, layout)
    lists[benji].append((title, col_report, "2023-01-31"))
    # the office report in 本级 and 部门
    office = f"{COUNTY}人民政府办公室"
    layout, facts, body = synthetic_report(office, 2023, rng)
    office_title = f"{office}2023年政府信息公开工作年度报告"
    first = art(benji, office_title, office, "2024-01-24", body)
    second = art(bumen, office_title, office, "2024-01-24", body)
    site.report(first, office_title, 2023, facts, layout, also_at=[second])
    lists[benji].append((office_title, first, "2024-01-24"))
    table_report(benji, gov, 2021, "2022-01-27", list_title="政府信息公开年报", page_title="政府信息公开年报")
    table_report(benji, gov, 2020, "2021-01-26")

    # 部门: the seed page, a table report, the shared office report, a DOCX behind downfile.jsp,
    # a notice, a 法治政府 report
    seed_path = f"/art/2021/1/6/art_{bumen}_5801337.html"
    title, year, layout, facts = site.seed_page(seed_path, "doc001", f"/col/col{HOME_COL}/index.html")
    site.report(seed_path, title, year, facts, layout)
    lists[bumen].append((title, seed_path, "2021-01-06"))
    table_report(bumen, f"{COUNTY}教育局", 2023, "2024-01-22")
    lists[bumen].append((office_title, second, "2024-01-24"))
    title, _, year, _, _ = site.seed_truth("doc003")
    query = "classid=0&filename=3f2c8e0b9d6a4c51a7e2b4d8c9f01a26.docx"
    site.seed_file("/module/download/downfile.jsp", "docx", "doc003", query=query)
    path = art(bumen, title, f"{COUNTY}市场监督管理局", "2023-01-29",
               attachment_only_body(title, [(f"/module/download/downfile.jsp?{html.escape(query)}", title + ".docx", "")]))
    site.report(path, title, year, None, attachment=f"/module/download/downfile.jsp?{query}")
    lists[bumen].append((title, path, "2023-01-29"))
    title, body = notice(f"{COUNTY}人民政府", 2023, "prepare")
    path = art(bumen, title, f"{COUNTY}政务公开办", "2023-12-12", body)
    site.non_report(path, title, "notice")
    lists[bumen].append((title, path, "2023-12-12"))
    title, body = rule_of_law_report(f"{COUNTY}司法局", 2023)
    path = art(bumen, title, f"{COUNTY}司法局", "2024-02-28", body)
    site.non_report(path, title, "other_yearly")
    lists[bumen].append((title, path, "2024-02-28"))

    # 乡镇（街道）: agency-only and vague list titles
    table_report(xiangzhen, "城关镇人民政府", 2023, "2024-01-20", list_title="城关镇")
    table_report(xiangzhen, "新塘乡人民政府", 2023, "2024-01-21", list_title="年度报告")

    site.home(f"{COUNTY}人民政府", [("政府信息公开", f"/col/col{HOME_COL}/index.html")])
    site.page(f"/col/col{HOME_COL}/index.html",
              f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开_{COUNTY}人民政府</title></head><body>'
              f'<ul class="xxgk-menu"><li><a href="/col/col1229401/index.html">政府信息公开指南</a></li>'
              f'<li><a href="/col/col1229402/index.html">法定主动公开内容</a></li>{nav()}</ul></body></html>')
    for column, name in COLUMNS:
        records = [record(t, p, d) for t, p, d in sorted(lists[column], key=lambda item: item[2], reverse=True)]
        total = len(records)
        site.page(f"/col/col{column}/index.html", COL_PAGE.format(
            name=name, county=COUNTY, home=HOME_COL, nav=nav(), unit=UNIT, web=WEB, column=column,
            records="\n".join(records[:PER_PAGE]), total=total, per_page=PER_PAGE))
        site.column(f"/col/col{column}/index.html")
        for page in range(1, -(-total // PER_PAGE) + 1):  # the <nextgroup> form: page=N
            query = f"page={page}&webid={WEB}&path=/&columnid={column}&unitid={UNIT}&webname=&permissiontype=0"
            site.data("/module/web/jpage/dataproxy.jsp", PROXY.format(
                total=total, pages=-(-total // PER_PAGE), records="\n".join(records[(page - 1) * PER_PAGE:page * PER_PAGE])).encode(),
                "text/xml; charset=utf-8", query=query)
        for start in range(PER_PAGE + 1, total + 1, PER_PAGE):  # the jpage form: startrecord / endrecord
            end = min(start + PER_PAGE - 1, total)
            query = (f"startrecord={start}&endrecord={end}&perpage={PER_PAGE}&col=1&appid=1&webid={WEB}&path=/"
                     f"&columnid={column}&sourceContentType=1&unitid={UNIT}&webname=&permissiontype=0")
            site.data("/module/web/jpage/dataproxy.jsp", PROXY.format(
                total=total, pages=-(-total // PER_PAGE), records="\n".join(records[start - 1:end])).encode(),
                "text/xml; charset=utf-8", query=query)
