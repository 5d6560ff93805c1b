"""Build the Hanweb JCMS fixture portal (tests/fixtures/portals/hanweb/): a 信息公开 column
/col/col90231/index.html with 3 records inline in its <datastore> and 4 more from
dataproxy.jsp, /art/… detail pages with #zoom, one report only as a downfile.jsp DOCX, a
通知 among the records, and no static index_1.html (a 404, as on real Hanweb sites).

    python scripts/build_hanweb_fixture.py tests/fixtures/corpus
"""

import html
import random
import sys
from pathlib import Path

from fixturekit.portal import HANWEB_DATASTORE, HANWEB_JPAGE, HANWEB_PROXY, Portal, pages_of

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "hanweb"
COLUMN = 90231
UNIT, WEB = 6788, 1
PER_PAGE = 3
REPORTS = (
    ("江苏省示例厅", 2023),
    ("江苏省示例厅", 2022),
    ("江苏省示例局", 2021),
    ("江苏省示例办", 2020),
    ("江苏省示例中心", 2019),
)
NOTICE = "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知"

COL_PAGE = (
    """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报 江苏省示例厅</title></head><body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<div id="{unit}">
"""
    + HANWEB_DATASTORE
    + "\n</div>\n"
    + HANWEB_JPAGE
    + "\n</body></html>"
)

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 10:00"><meta name="ContentSource" content="{agency}"><title>{title}</title></head>
<body><div class="main-txt"><h1>{title}</h1><table width="100%"><tr><td><div id="zoom">{body}</div></td></tr></table>
{attachment}</div></body></html>"""


def record(title, href, date):
    # title before href on some sites, after it on others
    link = (
        f'<a title="{html.escape(title)}" href="{href}" target="_blank">{html.escape(title)}</a>'
        if sum(map(ord, href)) % 2
        else f'<a href="{href}" title="{html.escape(title)}">{html.escape(title)}</a>'
    )
    return f"<record><![CDATA[<li>{link}<span>{date}</span></li>]]></record>"


def main(corpus):
    rng = random.Random(90231)
    portal = Portal(OUT, corpus, report_keys=("path", "title", "year", "layout", "facts"))
    records = []

    for n, (agency, year) in enumerate(REPORTS, start=1):
        date = f"{year + 1}-01-{20 + n}"
        path = f"/art/{year + 1}/1/{20 + n}/art_{COLUMN}_{60350 + n}.html"
        title, _ = portal.table_report(
            portal.writer(path, ARTICLE, attachment=""), agency, year, date, rng, signed=date
        )
        records.append(record(title, path, date))
        if n == 2:
            portal.non_report(f"/art/2023/12/1/art_{COLUMN}_60340.html", NOTICE, "notice")
            records.append(record(NOTICE, f"/art/2023/12/1/art_{COLUMN}_60340.html", "2023-12-01"))
    # a report published only as a DOCX behind downfile.jsp
    download, query = "/module/download/downfile.jsp", "classid=0&filename=98ac12db3c0e41e9bf28e71c619f0581.docx"
    portal.seed_file(download, "docx", "doc003", query=query)
    title, agency, year, layout, _ = portal.seed_truth("doc003")
    path = f"/art/2023/1/16/art_{COLUMN}_60300.html"
    attachment = f'<p>附件：<a href="{html.escape(f"{download}?{query}")}">{html.escape(title)}.docx</a></p>'
    portal.writer(path, ARTICLE, attachment=attachment)(title, agency, "2023-01-16", f"<p>{title}全文见附件。</p>")
    records.append(record(title, path, "2023-01-16"))
    portal.report(path, title, year, None, layout)

    total = len(records)
    portal.page(
        f"/col/col{COLUMN}/index.html",
        COL_PAGE.format(
            unit=UNIT, web=WEB, column=COLUMN, total=total, per_page=PER_PAGE, records="\n".join(records[:PER_PAGE])
        ),
    )
    for number, chunk in enumerate(pages_of(records, PER_PAGE)[1:], start=1):
        start = number * PER_PAGE + 1
        query = (
            f"startrecord={start}&endrecord={start + len(chunk) - 1}&perpage={PER_PAGE}&col=1&appid=1&webid={WEB}&path=/"
            f"&columnid={COLUMN}&sourceContentType=1&unitid={UNIT}&webname=&permissiontype=0"
        )
        proxy = HANWEB_PROXY.format(total=total, pages=len(pages_of(records, PER_PAGE)), records="\n".join(chunk))
        portal.data("/module/web/jpage/dataproxy.jsp", proxy.encode(), "text/xml; charset=utf-8", query=query)
    portal.column(f"/col/col{COLUMN}/index.html")
    portal.save()
    print(f"{total} records ({len(portal.reports)} reports) -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
