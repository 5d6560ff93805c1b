"""Build the VSB and JEECMS fixture portals (tests/fixtures/portals/vsb/, …/jeecms/): list
pages chained by 下页 / 下一页 (VSB numbering counting down: nb.htm, nb/2.htm, nb/1.htm;
JEECMS index.jhtml, index_2.jhtml), details /info/{col}/{id}.htm and /{channel}/{id}.jhtml,
one attachment-only report each (VSB download.jsp DOCX, JEECMS /u/cms/www/ PDF), and a
non-report in each list.

    python scripts/build_vsb_jeecms_fixture.py tests/fixtures/corpus
"""

import html
import json
import random
import sys
from pathlib import Path

from fixturekit import synthetic
from fixturekit.fixture_site import FixtureSite, facts_list

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-{site}</title></head><body>
<table class="xxgk-meta"><tr><td>索引号：</td><td>000000/2023-00{n}</td><td>发布机构：</td><td>{agency}</td></tr></table>
<form name="_newscontent_fromname"><h1 class="title">{title}</h1><div id="vsb_content"><div class="v_news_content">{body}</div></div>
{attachment}</form></body></html>"""


def list_page(items, next_href, next_text):
    rows = "".join(
        f'<li><a href="{href}" title="{html.escape(title)}">{html.escape(title)}</a></li>' for title, href in items
    )
    nxt = f'<a href="{next_href}" class="Next">{next_text}</a>' if next_href else ""
    return f'<html><head><meta charset="utf-8"></head><body><ul class="list">{rows}</ul><div class="page">{nxt}</div></body></html>'


def build(name, pages, detail_path, attachment, corpus, seed):
    out = FIXTURES / name
    site, rng, expected, items = FixtureSite(out), random.Random(seed), [], []
    for n, (agency, year) in enumerate(
        (("示例县审计局", 2023), ("示例县林业局", 2022), ("示例县水务局", 2020)), start=1
    ):
        layout = "2021" if year >= 2021 else "2019"
        facts = synthetic.make_facts(layout, rng)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        path = detail_path(n)
        body = synthetic.report_body(agency, year, layout, facts, f"{year + 1}-01-2{n}")
        site.write(
            path,
            DETAIL.format(title=title, site="示例县人民政府", n=n, agency=agency, body=body, attachment="").encode(),
            "text/html; charset=utf-8",
        )
        items.append((title, path))
        expected.append(
            {
                "path": path,
                "title": title,
                "facts": facts_list(facts),
            }
        )
    notice = {
        "path": detail_path(9),
        "title": "示例县人民政府关于2022年度政府信息公开工作年度报告编制工作的通知",
        "why": "notice",
    }
    items.insert(1, (notice["title"], notice["path"]))
    file_path, file_bytes, content_type, query = attachment(corpus)
    gt = json.loads((Path(corpus) / "rendered-seeds" / "gt" / "doc001.gt.json").read_text())
    title = gt["blocks"][0]["text"]
    path = detail_path(4)
    link = f"{file_path}?{query}" if query else file_path
    site.write(file_path, file_bytes, content_type, query=query)
    site.write(
        path,
        DETAIL.format(
            title=title,
            site="示例县人民政府",
            n=4,
            agency=gt["agency"],
            body=f"<p>{title}见附件。</p>",
            attachment=f'<p>附件：<a href="{html.escape(link)}">{html.escape(title)}</a></p>',
        ).encode(),
        "text/html; charset=utf-8",
    )
    items.append((title, path))
    expected.append({"path": path, "title": title, "facts": None})
    for i, (list_path, next_href, next_text) in enumerate(pages):
        site.write(
            list_path, list_page(items[i * 3 : (i + 1) * 3], next_href, next_text).encode(), "text/html; charset=utf-8"
        )
    site.save()
    site.save_expected(expected, [notice], [pages[0][0]])
    print(f"{name}: {len(items)} items ({len(expected)} reports) -> {out}")


def main(corpus):
    build(
        "vsb",
        [("/xxgk/nb.htm", "nb/1.htm", "下页"), ("/xxgk/nb/1.htm", None, None)],
        lambda n: f"/info/1667/5387{n}.htm",
        lambda c: (
            "/system/_content/download.jsp",
            (Path(c) / "rendered-seeds" / "docx" / "doc001.docx").read_bytes(),
            DOCX,
            "urltype=news.DownloadAttachUrl&owner=1457245478&wbfileid=10251547",
        ),
        corpus,
        1667,
    )
    build(
        "jeecms",
        [("/jdbsc/index.jhtml", "index_2.jhtml", "下一页"), ("/jdbsc/index_2.jhtml", None, None)],
        lambda n: f"/jdbsc/2497129{n}.jhtml",
        lambda c: (
            "/u/cms/www/202301/31104512x7k9.pdf",
            (Path(c) / "rendered-seeds" / "pdf_libreoffice" / "doc001.pdf").read_bytes(),
            "application/pdf",
            None,
        ),
        corpus,
        2497,
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
