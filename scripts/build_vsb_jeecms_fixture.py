"""Build the VSB and JEECMS fixture portals (tests/fixtures/portals/vsb/, …/jeecms/): list
pages chained by 下页 / 下一页 (VSB numbering counting down: nb.htm, nb/2.htm, nb/1.htm;
JEECMS index.jhtml, index_2.jhtml), details /info/{col}/{id}.htm and /{channel}/{id}.jhtml,
one attachment-only report each (VSB download.jsp DOCX, JEECMS /u/cms/www/ PDF), and a
non-report in each list.

    python scripts/build_vsb_jeecms_fixture.py tests/fixtures/corpus
"""

import html
import random
import sys
from pathlib import Path

from fixturekit.portal import Portal, pages_of

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals"

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
    portal, rng, items = Portal(out, corpus, report_keys=("path", "title", "facts")), random.Random(seed), []

    def detail(n, attachment=""):
        """write(title, agency, date, body) of detail page n."""

        return portal.writer(detail_path(n), DETAIL, site="示例县人民政府", n=n, attachment=attachment)

    for n, (agency, year) in enumerate(
        (("示例县审计局", 2023), ("示例县林业局", 2022), ("示例县水务局", 2020)), start=1
    ):
        date = f"{year + 1}-01-2{n}"
        items.append(portal.table_report(detail(n), agency, year, date, rng, signed=date))
    notice = "示例县人民政府关于2022年度政府信息公开工作年度报告编制工作的通知"
    portal.non_report(detail_path(9), notice, "notice")
    items.insert(1, (notice, detail_path(9)))
    file_path, kind, query = attachment
    title, agency, *_ = portal.seed_truth("doc001")
    link = f"{file_path}?{query}" if query else file_path
    portal.seed_file(file_path, kind, "doc001", query=query)
    anchor = f'<p>附件：<a href="{html.escape(link)}">{html.escape(title)}</a></p>'
    items.append((title, detail(4, anchor)(title, agency, None, f"<p>{title}见附件。</p>")))
    portal.report(detail_path(4), title)
    for (list_path, next_href, next_text), chunk in zip(pages, pages_of(items, 3)):
        portal.page(list_path, list_page(chunk, next_href, next_text))
    portal.column(pages[0][0])
    portal.save()
    print(f"{name}: {len(items)} items ({len(portal.reports)} reports) -> {out}")


def main(corpus):
    build(
        "vsb",
        [("/xxgk/nb.htm", "nb/1.htm", "下页"), ("/xxgk/nb/1.htm", None, None)],
        lambda n: f"/info/1667/5387{n}.htm",
        ("/system/_content/download.jsp", "docx", "urltype=news.DownloadAttachUrl&owner=1457245478&wbfileid=10251547"),
        corpus,
        1667,
    )
    build(
        "jeecms",
        [("/jdbsc/index.jhtml", "index_2.jhtml", "下一页"), ("/jdbsc/index_2.jhtml", None, None)],
        lambda n: f"/jdbsc/2497129{n}.jhtml",
        ("/u/cms/www/202301/31104512x7k9.pdf", "pdf_libreoffice", None),
        corpus,
        2497,
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
