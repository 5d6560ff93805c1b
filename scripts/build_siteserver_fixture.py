"""Build the siteserver fixture portal (tests/fixtures/portals/siteserver/) from the structure
SiteServer CMS gives every site it publishes (siteserver/cms: PathManager's default
`ChannelFilePathRule` `/channels/{@ChannelID}.html` and `ContentFilePathRule`
`/contents/{@ChannelID}/{@ContentID}.html`, its pager writing page N of a channel as
`{channelId}_{N}.html`, and `<stl:pageItems>`'s 首页 / 上一页 / 下一页 / 末页 links, where the
link of the page one is on is plain text):

- /channels/1575.html, the 政府信息公开 channel its breadcrumb names, linking it;
- /channels/1583.html, the annual-report channel: three items a page, a 通知 among them;
- /channels/1583_2.html, its second page: a report published only as a PDF under
  /upload/files/2021/1/, and a 图解 of a report;
- /contents/1583/{contentId}.html, report pages in both table layouts.

    python scripts/build_siteserver_fixture.py
"""

import html
import json
import random
from pathlib import Path

from fixturekit.portal import Portal, pages_of

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "portals" / "siteserver"
PDF = ROOT / "tests" / "fixtures" / "documents" / "chrome_doc001.pdf"
CHANNEL = 1583
PER_PAGE = 3
REPORTS = (("示例区审计局", 2023), ("示例区林业局", 2022), ("示例区水务局", 2020))

CHANNEL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_示例区人民政府</title>
<link rel="stylesheet" href="/css/style.css"></head><body>
<div class="position">当前位置：首页 &gt; <a href="/channels/1575.html">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="list"><ul>{rows}</ul></div>
<div class="pager">{pager}</div></body></html>"""
PARENT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开_示例区人民政府</title></head>
<body><ul class="nav"><li><a href="/channels/1583.html">政府信息公开年报</a></li></ul></body></html>"""
CONTENT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_示例区人民政府</title></head><body>
<div class="article"><h1>{title}</h1><div class="info">发布时间：{date}　来源：{agency}</div>
<div class="content">{body}</div></div></body></html>"""


def channel_path(page):
    """/channels/1583.html, then /channels/1583_2.html …"""
    return f"/channels/{CHANNEL}.html" if page == 1 else f"/channels/{CHANNEL}_{page}.html"


def content_path(content_id):
    return f"/contents/{CHANNEL}/{content_id}.html"


def pager(page, pages):
    """<stl:pageItems>: each item a link, except the one that would lead to this page."""
    items = (("首页", 1), ("上一页", page - 1), ("下一页", page + 1), ("末页", pages))
    return " ".join(
        f'<a href="{channel_path(n)}">{text}</a>' if 1 <= n <= pages and n != page else f"<span>{text}</span>"
        for text, n in items
    )


def main():
    portal = Portal(OUT, report_keys=("path", "title", "year", "layout", "facts"))
    rng, items = random.Random(1583), []
    for n, (agency, year) in enumerate(REPORTS, start=1):
        date = f"{year + 1}-01-2{n}"
        items.append(
            (
                *portal.table_report(
                    portal.writer(content_path(27700 + n), CONTENT_PAGE), agency, year, date, rng, signed=date
                ),
                date,
            )
        )
    notice = "示例区人民政府办公室关于做好2022年度政府信息公开工作年度报告编制发布工作的通知"
    portal.non_report(content_path(27690), notice, "notice")
    items.insert(1, (notice, content_path(27690), "2022-12-20"))  # rejected by its title, never fetched
    # a report published only as a PDF under the upload folder
    golden = json.loads(PDF.with_name(PDF.name + ".expected.json").read_text(encoding="utf-8"))
    pdf_path = "/upload/files/2021/1/20210125093012345.pdf"
    portal.data(pdf_path, PDF.read_bytes(), "application/pdf")
    body = f'<p>{golden["title"]}详见附件。</p><p>附件：<a href="{pdf_path}">{html.escape(golden["title"])}.pdf</a></p>'
    path = portal.writer(content_path(27704), CONTENT_PAGE)(golden["title"], golden["agency"], "2021-01-25", body)
    items.append((golden["title"], path, "2021-01-25"))
    portal.report(path, golden["title"])
    interpretation = "图解：示例区审计局2023年政府信息公开工作年度报告"
    portal.non_report(content_path(27705), interpretation, "interpretation")
    items.append((interpretation, content_path(27705), "2024-01-22"))
    pages = pages_of(items, PER_PAGE)
    for page, chunk in enumerate(pages, start=1):
        rows = "".join(
            f'<li><a href="{path}" title="{html.escape(title)}" target="_blank">{html.escape(title)}</a><span>{date}</span></li>'
            for title, path, date in chunk
        )
        portal.page(channel_path(page), CHANNEL_PAGE.format(rows=rows, pager=pager(page, len(pages))))
    portal.page("/channels/1575.html", PARENT_PAGE)
    portal.column(channel_path(1))
    portal.save()
    print(f"siteserver: {len(items)} items ({len(portal.reports)} reports), {len(pages)} channel pages -> {OUT}")


if __name__ == "__main__":
    main()
