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

from fixturekit import synthetic
from fixturekit.fixture_site import FixtureSite, facts_list

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "gkmlpt"
SID, CATEGORY, PER_PAGE = "755001", "2345", 3

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录</title>
<script>window._CONFIG = {SID: '%s', TREE: [{id: %s, name: '政府信息公开年报'}]};</script></head>
<body><div id="app"></div><script src="/gkmlpt/static/js/app.js"></script></body></html>"""

POST = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}"><meta name="ContentSource" content="{agency}"><title>{title}</title>
<script>window._CONFIG = {{SID: '{sid}', DETAIL: {{id: {id}}}}};</script></head>
<body><div class="article-content">{body}</div>{attachment}</body></html>"""


def main(corpus):
    rng = random.Random(755001)
    expected, articles = [], []

    site = FixtureSite(OUT)
    write = site.write

    for n, (agency, year) in enumerate(
        (
            ("深圳市示例区财政局", 2023),
            ("深圳市示例区教育局", 2022),
            ("深圳市示例区民政局", 2021),
            ("深圳市示例区人民政府", 2020),
        ),
        start=1,
    ):
        layout = "2021" if year >= 2021 else "2019"
        facts = synthetic.make_facts(layout, rng)
        post_id = 963140 + n
        title = f"{agency}{year}年政府信息公开工作年度报告"
        date = f"{year + 1}-01-2{n}"
        path = f"/gkmlpt/content/0/963/post_{post_id}.html"
        body = synthetic.report_body(agency, year, layout, facts, date)
        write(
            path,
            POST.format(title=title, date=date, agency=agency, sid=SID, id=post_id, body=body, attachment="").encode(),
            "text/html; charset=utf-8",
        )
        articles.append({"id": post_id, "title": title, "url": path, "created_at": f"{date} 09:00:00"})
        expected.append(
            {
                "path": path,
                "title": title,
                "facts": facts_list(facts),
            }
        )
        if n == 2:
            interpretation = {
                "path": "/gkmlpt/content/0/963/post_963100.html",
                "title": "图解：深圳市示例区2022年政府信息公开工作年度报告",
                "why": "interpretation",
            }
            articles.append(
                {
                    "id": 963100,
                    "title": interpretation["title"],
                    "url": interpretation["path"],
                    "created_at": "2023-01-30 09:00:00",
                }
            )
    # a report only as a PDF attachment
    pdf = (Path(corpus) / "rendered-seeds" / "pdf_chrome" / "doc004.pdf").read_bytes()
    write("/attachment/0/88/88389/963149.pdf", pdf, "application/pdf")
    gt = json.loads((Path(corpus) / "rendered-seeds" / "gt" / "doc004.gt.json").read_text())
    title = gt["blocks"][0]["text"]
    path = "/gkmlpt/content/0/963/post_963149.html"
    attachment = (
        '<div class="m-attachment"><a class="nfw-cms-attachment pdf" href="/attachment/0/88/88389/963149.pdf">'
        f"{html.escape(title)}.pdf</a></div>"
    )
    write(
        path,
        POST.format(
            title=title,
            date="2023-01-30",
            agency=gt["agency"],
            sid=SID,
            id=963149,
            body=f"<p>{title}详见附件。</p>",
            attachment=attachment,
        ).encode(),
        "text/html; charset=utf-8",
    )
    articles.append(
        {
            "id": 963149,
            "title": title,
            "url": path,
            "created_at": "2023-01-30 09:00:00",
            "attachment": [{"name": f"{title}.pdf", "url": "/attachment/0/88/88389/963149.pdf"}],
        }
    )
    expected.append({"path": path, "title": title, "facts": None})

    write("/gkmlpt/index", (INDEX % (SID, CATEGORY)).encode(), "text/html; charset=utf-8")
    for page in range(1, -(-len(articles) // PER_PAGE) + 1):
        chunk = articles[(page - 1) * PER_PAGE : page * PER_PAGE]
        data = {
            "total": len(articles),
            "articles": chunk,
            "classify": {"id": int(CATEGORY), "post_count": len(articles)},
        }
        write(
            f"/gkmlpt/api/all/{CATEGORY}",
            json.dumps(data, ensure_ascii=False).encode(),
            "application/json; charset=utf-8",
            query=f"page={page}&sid={SID}",
        )
    site.save()
    site.save_expected(expected, [interpretation], ["/gkmlpt/index"])
    print(f"{len(articles)} articles ({len(expected)} reports) -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
