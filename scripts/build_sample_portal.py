"""Build the bundled sample portal (govreports/sample_portal/) from tests/fixtures/corpus.

A TRS WCM county portal: an annual-report column paginated by createPageHTML, detail pages
./YYYYMM/tYYYYMMDD_NNNN.html with div.TRS_Editor, GBK pages that declare gb2312 only in a
<meta>, one report only as a PDF attachment and one only as DOCX, and non-report items
(通知, 指南, 图解) in the same list. Run once; the output is committed as raw bytes plus
_headers.json, and expected.json lists what a crawl must find.

    python scripts/build_sample_portal.py tests/fixtures/corpus
"""

import gzip
import html
import json
import random
import re
import sys
from pathlib import Path

import lxml.html

from fixturekit import synthetic
from fixturekit.portal import Portal, pages_of, report_title, synthetic_report

OUT = Path(__file__).resolve().parent.parent / "govreports" / "sample_portal"
COLUMN = "xxgk/zfxxgknb"
SITE = "示例县人民政府"
PER_PAGE = 5
# what expected.json says of each report, in this order
REPORT_KEYS = ("path", "title", "agency", "year", "layout", "published", "source_format", "missing_tables", "facts")

DETAIL_TEMPLATE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_{site}</title>
<meta name="SiteName" content="{site}" />
<meta name="ColumnName" content="政府信息公开年报" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{date} 09:30" />
<meta name="ContentSource" content="{source}" />
</head><body>
<div class="header"><a href="/">{site}</a> <a href="/search/">搜索</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../../">信息公开</a> &gt; <a href="../">政府信息公开年报</a></div>
<table class="xxgk_table"><tr><td>索引号：</td><td>{index_no}</td><td>发布机构：</td><td>{source}</td></tr>
<tr><td>发布日期：</td><td>{date}</td><td>文号：</td><td></td></tr></table>
<div class="article"><h1 class="title">{title}</h1>
<div class="info">发布时间：{date} 来源：{source} 浏览次数：<span id="hits">{hits}</span></div>
<div class="TRS_Editor">
{body}
</div>
{attachments}
</div>
<div class="footer">主办单位：{site} 网站标识码：0000000000 ICP备00000000号</div>
</body></html>
"""

LIST_TEMPLATE = """<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>政府信息公开年报_{site}</title></head><body>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../">信息公开</a> &gt; 政府信息公开年报</div>
<div class="list"><ul>
{items}
</ul></div>
<div class="page"><script>//wcm分页，总记录：{total}
createPageHTML({pages}, {current}, "index", "html");</script></div>
</body></html>
"""


def main(corpus):
    corpus = Path(corpus)
    entries = []
    rng = random.Random(20260101)
    portal = Portal(OUT, corpus, report_keys=REPORT_KEYS)

    def write(path, data, content_type, **extra_headers):
        portal.data("/" + path, data, content_type, **extra_headers)

    def detail(n, date, title, body, source, encoding="utf-8", attachments=""):
        folder = date.replace("-", "")[:6]
        path = f"{COLUMN}/{folder}/t{date.replace('-', '')}_{n}.html"
        charset = "gb2312" if encoding == "gb18030" else "utf-8"
        page = DETAIL_TEMPLATE.format(
            charset=charset,
            title=html.escape(title),
            site=SITE,
            date=date,
            source=source,
            index_no=f"11000000-0/{date[:4]}-{n:05d}",
            hits=100 + n,
            body=body,
            attachments=attachments,
        )
        # GBK pages carry their charset only in <meta>, as old TRS templates do.
        write(path, page.encode(encoding), "text/html" if encoding != "utf-8" else "text/html; charset=utf-8")
        entries.append((title, date, path))
        return "/" + path

    def expect(path, title, agency, year, layout, published, source_format, facts):
        portal.report(
            path,
            title,
            year,
            facts,
            layout,
            agency=agency,
            published=published,
            source_format=source_format,
            missing_tables=[],
        )

    # Seeds rendered as TRS pages (GB18030 bytes, gb2312 declared): used as published.
    for doc, n, date in (("doc000", 1001, "2021-01-25"), ("doc002", 1002, "2021-01-28")):
        raw = (corpus / "rendered-seeds" / "html" / f"{doc}.html").read_bytes()
        gt = json.loads((corpus / "rendered-seeds" / "gt" / f"{doc}.gt.json").read_text())
        text = raw.decode("gb18030")
        title = re.search(r'name="ArticleTitle" content="([^"]+)"', text).group(1)
        body = lxml.html.tostring(lxml.html.fromstring(text).xpath("//div[@class='TRS_Editor']")[0], encoding="unicode")
        path = detail(n, date, title, body, gt["agency"], encoding="gb18030")
        expect(path, title, gt["agency"], 2020, "2019", date, "html", facts=gt_facts(gt))

    # doc004's article moved into the TRS template (UTF-8).
    raw = (corpus / "rendered-seeds" / "html" / "doc004.html").read_bytes().decode("utf-8")
    gt = json.loads((corpus / "rendered-seeds" / "gt" / "doc004.gt.json").read_text())
    container = lxml.html.fromstring(raw).xpath("//div[contains(@class,'zw-content')]")[0]
    body = "".join(lxml.html.tostring(child, encoding="unicode") for child in container)
    title = "株洲市天元区金融办2022年政府信息公开工作年度报告"
    path = detail(1003, "2023-01-30", title, body, gt["agency"])
    expect(path, title, gt["agency"], 2022, "2021", "2023-01-30", "html", facts=gt_facts(gt))

    # doc001 published only as a PDF attachment; doc003 only as DOCX; a real WPS PDF whose
    # printed 表四 totals break the identities (flagged, stored as printed).
    seeds = corpus / "rendered-seeds"
    for doc, n, date, ext, name, source in (
        ("doc001", 1004, "2021-01-06", "pdf", "P020210106389613086419.pdf", seeds / "pdf_libreoffice/doc001.pdf"),
        ("doc003", 1005, "2023-01-16", "docx", "P020230116512093817724.docx", seeds / "docx/doc003.docx"),
        ("hongze", 1006, "2024-01-31", "pdf", "P020240131556021347115.pdf", corpus / "real/hongze-2023/source.pdf"),
    ):
        if doc == "hongze":
            truth = json.loads((source.parent / "truth.json").read_text())
            gt = {
                "agency": "洪泽区人民政府",
                "format": truth["layout"],
                "blocks": [{"text": "洪泽区人民政府2023年政府信息公开工作年度报告"}],
                "facts": {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]},
            }
        else:
            gt = json.loads((seeds / "gt" / f"{doc}.gt.json").read_text())
        title = gt["blocks"][0]["text"]
        folder = date.replace("-", "")[:6]
        content_type = (
            "application/pdf"
            if ext == "pdf"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        write(f"{COLUMN}/{folder}/{name}", source.read_bytes(), content_type)
        body = f"<p>{html.escape(title)}全文详见附件。</p>"
        attachment = (
            f'<div class="fj">附件：<a appendix="true" data-appendix="true" needdownload="true" '
            f'href="./{name}" title="{html.escape(title)}.{ext}">{html.escape(title)}.{ext}</a></div>'
        )
        path = detail(n, date, title, body, gt["agency"], attachments=attachment)
        year = int(re.search(r"(\d{4})年", title).group(1))
        layout = "2019" if gt["format"] == "2020" else "2021"
        published = {"doc001": date, "doc003": "2023-01-16", "hongze": date}[doc]
        expect(path, title, gt["agency"], year, layout, published, ext, facts=gt.get("facts") or gt_facts(gt))

    # Synthetic reports of both layouts, some GBK, one published late (after 31 January).
    for n, (agency, year, encoding, late) in enumerate(
        (
            ("示例县财政局", 2022, "utf-8", None),
            ("示例县教育局", 2021, "gb18030", None),
            ("示例县卫生健康局", 2020, "gb18030", None),
            ("示例县人民政府", 2020, "utf-8", None),
            ("示例县交通运输局", 2019, "gb18030", None),
            ("示例县市场监督管理局", 2023, "utf-8", None),
            ("示例县住房和城乡建设局", 2021, "utf-8", "2022-04-18"),
        ),
        start=1101,
    ):
        date = late or f"{year + 1}-01-{synthetic.rng_day(agency, year):02d}"
        layout, facts, body = synthetic_report(agency, year, rng, signed=date)
        title = report_title(agency, year)
        path = detail(n, date, title, body, agency, encoding)
        expect(path, title, agency, year, layout, date, "html", facts=facts)

    # Items in the same column that are not reports.
    for n, (title, date, why) in enumerate(
        (
            ("关于做好2022年度政府信息公开工作年度报告编制和发布工作的通知", "2022-12-20", "notice"),
            ("图解：示例县人民政府2022年政府信息公开工作年度报告", "2023-01-31", "interpretation"),
            ("示例县人民政府政府信息公开指南", "2022-06-01", "guide"),
        ),
        start=1201,
    ):
        path = detail(n, date, title, f"<p>{html.escape(title)}。</p>", SITE)
        portal.non_report(path, title, why)

    entries.sort(key=lambda e: e[1], reverse=True)
    pages = len(pages_of(entries, PER_PAGE))
    for i, chunk in enumerate(pages_of(entries, PER_PAGE)):
        items = "\n".join(
            f'<li><a href="./{path[len(COLUMN) + 1 :]}" target="_blank" title="{html.escape(title)}">'
            f"{html.escape(title)}</a><span>{date}</span></li>"
            for title, date, path in chunk
        )
        name = "index.html" if i == 0 else f"index_{i}.html"
        page = LIST_TEMPLATE.format(site=SITE, items=items, total=len(entries), pages=pages, current=i)
        if i == 1:  # one list page stored and served gzip-encoded, as many servers send pages
            write(
                f"{COLUMN}/{name}",
                gzip.compress(page.encode("utf-8"), mtime=0),
                "text/html; charset=utf-8",
                **{"Content-Encoding": "gzip"},
            )
        else:
            write(f"{COLUMN}/{name}", page.encode("utf-8"), "text/html; charset=utf-8")
    write("robots.txt", b"User-agent: *\nDisallow: /search/\n", "text/plain")

    portal.column(f"/{COLUMN}/index.html")
    portal.save()
    print(f"{len(entries)} detail pages, {len(portal.reports)} reports, {pages} list pages -> {OUT}")


def gt_facts(gt):
    """Canonical facts of a ground-truth document, read from its exact cell grid."""
    from extractors.tables import map_tables, table_from_spans

    tables = []
    for table in gt["tables"]:
        rows = [
            [(c["text"], c["rowspan"], c["colspan"]) for c in table["cells"] if c["r"] == r]
            for r in range(table["n_rows"])
        ]
        tables.append(table_from_spans(rows))
    layout = "2019" if gt["format"] == "2020" else "2021"
    return {key: fact["value"] for key, fact in map_tables(tables, layout).facts.items()}


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
