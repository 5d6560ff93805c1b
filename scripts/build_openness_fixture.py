"""Build the Anhui openness-platform fixture portal (tests/fixtures/portals/openness/): the
column shell /public/column/6598771?type=4&action=list whose rows come from
/site/label/8888?…&pageIndex=N (2 pages, a 指南 among the rows), /public/{organ}/{id}.html
details, and one report only as a DOCX on a FastDFS path /group6/M00/….

    python scripts/build_openness_fixture.py tests/fixtures/corpus
"""

import html
import json
import random
import sys
from pathlib import Path

from fixturekit import synthetic
from fixturekit.fixture_site import FixtureSite, facts_list

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "openness"
ORGAN, SITE_ID, CAT, PAGE_SIZE = "6598771", "6789", "3721", 3
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
    site = FixtureSite(OUT)
    rng = random.Random(6598771)
    expected, rows = [], []
    for n, (agency, year) in enumerate(
        (("舒城县示例局", 2023), ("舒城县示例局", 2022), ("舒城县示例办", 2021), ("舒城县示例中心", 2020)), start=1
    ):
        layout = "2021" if year >= 2021 else "2019"
        facts = synthetic.make_facts(layout, rng)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        date = f"{year + 1}-01-1{n}"
        path = f"/public/{ORGAN}/3599495{n}.html"
        site.write(
            path,
            DETAIL.format(
                title=title,
                date=date,
                agency=agency,
                attachment="",
                body=synthetic.report_body(agency, year, layout, facts, date),
            ).encode(),
            "text/html; charset=utf-8",
        )
        rows.append(row(title, path, date))
        expected.append(
            {
                "path": path,
                "title": title,
                "facts": facts_list(facts),
            }
        )
        if n == 1:
            guide = {"path": f"/public/{ORGAN}/35994900.html", "title": "舒城县示例局政府信息公开指南", "why": "guide"}
            rows.append(row(guide["title"], guide["path"], "2023-06-01"))
    docx = (Path(corpus) / "rendered-seeds" / "docx" / "doc000.docx").read_bytes()
    gt = json.loads((Path(corpus) / "rendered-seeds" / "gt" / "doc000.gt.json").read_text())
    title = (
        gt["blocks"][0]["text"]
        if gt["blocks"][0]["type"] == "title"
        else f"{gt['agency']}2020年政府信息公开工作年度报告"
    )
    file_path = "/group6/M00/0A/1B/rBABCGPq2xSAbCdEAAEn8Q.docx"
    site.write(file_path, docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    path = f"/public/{ORGAN}/35994960.html"
    site.write(
        path,
        DETAIL.format(
            title=title,
            date="2021-01-25",
            agency=gt["agency"],
            body=f"<p>{title}，见附件。</p>",
            attachment=f'<p>附件：<a href="{file_path}">{html.escape(title)}.docx</a></p>',
        ).encode(),
        "text/html; charset=utf-8",
    )
    rows.append(row(title, path, "2021-01-25"))
    expected.append({"path": path, "title": title, "facts": None})

    pages = -(-len(rows) // PAGE_SIZE)
    label = LABEL.format(site=SITE_ID, organ=ORGAN, cat=CAT, size=PAGE_SIZE, page=1)
    site.write(
        f"/public/column/{ORGAN}",
        SHELL.format(label=label, pages=pages).encode(),
        "text/html; charset=utf-8",
        query="type=4&action=list",
    )
    for page in range(1, pages + 1):
        fragment = "<ul>" + "".join(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]) + "</ul>"
        site.write(
            "/site/label/8888",
            fragment.encode(),
            "text/html; charset=utf-8",
            query=LABEL.format(site=SITE_ID, organ=ORGAN, cat=CAT, size=PAGE_SIZE, page=page),
        )
    site.save()
    site.save_expected(expected, [guide], [f"/public/column/{ORGAN}?type=4&action=list"])
    print(f"{len(rows)} rows ({len(expected)} reports), {pages} label pages -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
