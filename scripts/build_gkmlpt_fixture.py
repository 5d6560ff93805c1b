"""Build the Guangdong gkmlpt fixture portal (tests/fixtures/portals/gkmlpt/): the Vue index
/gkmlpt/index with window._CONFIG, the JSON API /gkmlpt/api/all/2345?page=N&sid=755001 (two
pages, a 解读 among the articles), post_{id}.html details, one report only as a PDF under
/attachment/, and page 3 of the API a 404.

    python scripts/build_gkmlpt_fixture.py tests/fixtures/corpus
"""

import html
import json
import random
import sys
from pathlib import Path

from fixturekit.portal import Portal, pages_of

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "gkmlpt"
SID, CATEGORY, PER_PAGE = "755001", "2345", 3
REPORTS = (
    ("深圳市示例区财政局", 2023),
    ("深圳市示例区教育局", 2022),
    ("深圳市示例区民政局", 2021),
    ("深圳市示例区人民政府", 2020),
)
INTERPRETATION = "图解：深圳市示例区2022年政府信息公开工作年度报告"
INTERPRETATION_PATH = "/gkmlpt/content/0/963/post_963100.html"

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录</title>
<script>window._CONFIG = {SID: '%s', TREE: [{id: %s, name: '政府信息公开年报'}]};</script></head>
<body><div id="app"></div><script src="/gkmlpt/static/js/app.js"></script></body></html>"""

POST = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}"><meta name="ContentSource" content="{agency}"><title>{title}</title>
<script>window._CONFIG = {{SID: '{sid}', DETAIL: {{id: {id}}}}};</script></head>
<body><div class="article-content">{body}</div>{attachment}</body></html>"""


def main(corpus):
    rng = random.Random(755001)
    portal = Portal(OUT, corpus, report_keys=("path", "title", "facts"))
    articles = []

    def post(post_id, attachment=""):
        """write(title, agency, date, body) of post_{post_id}.html."""
        path = f"/gkmlpt/content/0/963/post_{post_id}.html"
        return portal.writer(path, POST, sid=SID, id=post_id, attachment=attachment)

    for n, (agency, year) in enumerate(REPORTS, start=1):
        date = f"{year + 1}-01-2{n}"
        title, path = portal.table_report(post(963140 + n), agency, year, date, rng, signed=date)
        articles.append({"id": 963140 + n, "title": title, "url": path, "created_at": f"{date} 09:00:00"})
        if n == 2:
            portal.non_report(INTERPRETATION_PATH, INTERPRETATION, "interpretation")
            articles.append(
                {"id": 963100, "title": INTERPRETATION, "url": INTERPRETATION_PATH, "created_at": "2023-01-30 09:00:00"}
            )
    # a report only as a PDF attachment
    pdf = "/attachment/0/88/88389/963149.pdf"
    portal.seed_file(pdf, "pdf_chrome", "doc004")
    title, agency, *_ = portal.seed_truth("doc004")
    attachment = (
        f'<div class="m-attachment"><a class="nfw-cms-attachment pdf" href="{pdf}">{html.escape(title)}.pdf</a></div>'
    )
    path = post(963149, attachment)(title, agency, "2023-01-30", f"<p>{title}详见附件。</p>")
    articles.append(
        {
            "id": 963149,
            "title": title,
            "url": path,
            "created_at": "2023-01-30 09:00:00",
            "attachment": [{"name": f"{title}.pdf", "url": pdf}],
        }
    )
    portal.report(path, title)

    portal.page("/gkmlpt/index", INDEX % (SID, CATEGORY))
    for page, chunk in enumerate(pages_of(articles, PER_PAGE), start=1):
        data = {
            "total": len(articles),
            "articles": chunk,
            "classify": {"id": int(CATEGORY), "post_count": len(articles)},
        }
        portal.data(
            f"/gkmlpt/api/all/{CATEGORY}",
            json.dumps(data, ensure_ascii=False).encode(),
            "application/json; charset=utf-8",
            query=f"page={page}&sid={SID}",
        )
    portal.column("/gkmlpt/index")
    portal.save()
    print(f"{len(articles)} articles ({len(portal.reports)} reports) -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
