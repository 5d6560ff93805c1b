"""Build the Anhui openness-platform fixture portal (tests/fixtures/portals/openness/): the
column shell /public/column/6598771?type=4&action=list whose rows come from
/site/label/8888?…&pageIndex=N (2 pages, a 指南 among the rows), /public/{organ}/{id}.html
details, and one report only as a DOCX on a FastDFS path /group6/M00/….

    python scripts/build_openness_fixture.py tests/fixtures/corpus
"""

import html
import random
import sys
from pathlib import Path

from fixturekit.portal import Portal, pages_of

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "openness"
ORGAN, SITE_ID, CAT, PAGE_SIZE = "6598771", "6789", "3721", 3
REPORTS = (("舒城县示例局", 2023), ("舒城县示例局", 2022), ("舒城县示例办", 2021), ("舒城县示例中心", 2020))
GUIDE, GUIDE_PATH = "舒城县示例局政府信息公开指南", f"/public/{ORGAN}/35994900.html"
LABEL = (
    "IsAjax=1&dataType=html&labelName=publicInfoList&siteId={site}&organId={organ}&catId={cat}"
    "&pageSize={size}&pageIndex={page}&action=list&isDate=true&dateFormat=yyyy-MM-dd&type=4"
    "&file=/xxgk/publicInfoList_newest2020"
)

SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_舒城县人民政府</title></head><body>
<div class="xxgk_right"><div id="xxgk_lmcon"></div></div>
<script>$(function(){{ $("#xxgk_lmcon").load("/site/label/8888?{label}");
 Pager({{elem: "#page", pageCount:{pages}, pageIndex:1}}); }});</script></body></html>"""

DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}"><meta name="ContentSource" content="{agency}"><title>{title}</title></head>
<body><div class="gzk-article"><div id="zoom">{body}</div>{attachment}</div></body></html>"""


def row(title, href, date):
    return (
        f'<li class="xxgk_navli"><a href="{href}" title="{html.escape(title)}">{html.escape(title)}</a>'
        f'<span class="date">{date}</span></li>'
    )


def main(corpus):
    portal = Portal(OUT, corpus, report_keys=("path", "title", "facts"))
    rng = random.Random(6598771)
    rows = []

    for n, (agency, year) in enumerate(REPORTS, start=1):
        date = f"{year + 1}-01-1{n}"
        title, path = portal.table_report(
            portal.writer(f"/public/{ORGAN}/3599495{n}.html", DETAIL, attachment=""),
            agency,
            year,
            date,
            rng,
            signed=date,
        )
        rows.append(row(title, path, date))
        if n == 1:
            portal.non_report(GUIDE_PATH, GUIDE, "guide")
            rows.append(row(GUIDE, GUIDE_PATH, "2023-06-01"))
    title, agency, *_ = portal.seed_truth("doc000")
    file_path = "/group6/M00/0A/1B/rBABCGPq2xSAbCdEAAEn8Q.docx"
    portal.seed_file(file_path, "docx", "doc000")
    attachment = f'<p>附件：<a href="{file_path}">{html.escape(title)}.docx</a></p>'
    path = portal.writer(f"/public/{ORGAN}/35994960.html", DETAIL, attachment=attachment)(
        title, agency, "2021-01-25", f"<p>{title}，见附件。</p>"
    )
    rows.append(row(title, path, "2021-01-25"))
    portal.report(path, title)

    pages = pages_of(rows, PAGE_SIZE)
    label = LABEL.format(site=SITE_ID, organ=ORGAN, cat=CAT, size=PAGE_SIZE, page=1)
    portal.page(f"/public/column/{ORGAN}", SHELL.format(label=label, pages=len(pages)), query="type=4&action=list")
    for page, chunk in enumerate(pages, start=1):
        portal.page(
            "/site/label/8888",
            "<ul>" + "".join(chunk) + "</ul>",
            query=LABEL.format(site=SITE_ID, organ=ORGAN, cat=CAT, size=PAGE_SIZE, page=page),
        )
    portal.column(f"/public/column/{ORGAN}?type=4&action=list")
    portal.save()
    print(f"{len(rows)} rows ({len(portal.reports)} reports), {len(pages)} label pages -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
