"""Build the duplicates fixture portal (tests/fixtures/portals/duplicates/): a TRS site that
publishes its reports under several URLs, as real portals do.

- /xxgk/gknb/index.html (本级 column) lists
  - 财政局 at ./202401/t20240115_3001.html and again at its mobile twin …_3001_wap.html;
  - 教育局 through the Traditional-Chinese gateway
    http://{HOST}/gate/big5/{HOST}/xxgk/gknb/202401/t20240116_3002.html;
  - 政府办公室 as a page that only points to its PDF attachment (P0….pdf).
- /xxgk/bmnb/index.html (部门 column) lists 财政局 again, republished under a new docid
  (./202401/t20240118_4001.html: same report, another visit counter and date line).

The gateway links name the host, so the portal is served at its HOST (site.json).

    python scripts/build_duplicates_fixture.py
"""

import random
from pathlib import Path

from fixturekit.portal import Portal, report_title, synthetic_report

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "portals" / "duplicates"
PDF = ROOT / "tests" / "fixtures" / "documents" / "chrome_doc001.pdf"
HOST = "www.shili-chongfu.gov.cn"  # tests/fixtures/portals/duplicates/site.json

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="ArticleTitle" content="{title}"></head><body>
<div class="crumb">首页 &gt; 政府信息公开 &gt; {column}</div><p class="info">浏览次数：{visits}</p>
<div class="TRS_Editor">{body}</div>{attachment}</body></html>"""

LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}</title></head><body><ul>{items}</ul>
<script>createPageHTML(1, 0, "index", "html");</script></body></html>"""


def report(agency, seed):
    _, _, body = synthetic_report(agency, 2023, random.Random(seed), signed="2024-01-15")
    return report_title(agency, 2023), body


def items(links):
    return "".join(
        f'<li><a href="{href}" title="{title}">{title}</a><span>2024-01-15</span></li>' for title, href in links
    )


def build():
    portal = Portal(OUT, report_keys=("path", "also_at", "title", "facts"))
    finance_title, finance_body = report("示例县财政局", 1)
    education_title, education_body = report("示例县教育局", 2)
    office_title = report_title("示例县人民政府办公室", 2023)
    gknb, bmnb = "/xxgk/gknb/", "/xxgk/bmnb/"

    def page(path, title, body, column, visits, attachment=""):
        portal.page(path, PAGE.format(title=title, body=body, column=column, visits=visits, attachment=attachment))

    page(gknb + "202401/t20240115_3001.html", finance_title, finance_body, "政府信息公开年报", 312)
    page(gknb + "202401/t20240115_3001_wap.html", finance_title, finance_body, "政府信息公开年报", 312)
    page(gknb + "202401/t20240116_3002.html", education_title, education_body, "政府信息公开年报", 45)
    page(
        gknb + "202401/t20240117_3003.html",
        office_title,
        f"<p>{office_title}全文详见附件。</p>",
        "政府信息公开年报",
        7,
        attachment=f'<p>附件：<a appendix="true" href="./P020240117000000000001.pdf">{office_title}.pdf</a></p>',
    )
    portal.data(gknb + "202401/P020240117000000000001.pdf", PDF.read_bytes(), "application/pdf")
    page(bmnb + "202401/t20240118_4001.html", finance_title, finance_body, "部门年报", 9)

    gateway = f"http://{HOST}/gate/big5/{HOST}"
    portal.page(
        gknb + "index.html",
        LIST.format(
            column="政府信息公开年报",
            items=items(
                [
                    (finance_title, "./202401/t20240115_3001.html"),
                    (finance_title, "./202401/t20240115_3001_wap.html"),
                    (education_title, f"{gateway}{gknb}202401/t20240116_3002.html"),
                    (office_title, "./202401/t20240117_3003.html"),
                ]
            ),
        ),
    )
    portal.page(
        bmnb + "index.html",
        LIST.format(column="部门年报", items=items([(finance_title, "./202401/t20240118_4001.html")])),
    )
    # the 部门 copy and the 本级 one (and its mobile twin) are one report; the gateway link is an alias
    portal.report(bmnb + "202401/t20240118_4001.html", finance_title, also_at=[gknb + "202401/t20240115_3001.html"])
    portal.report(gknb + "202401/t20240116_3002.html", education_title)
    portal.report(gknb + "202401/t20240117_3003.html", office_title)
    portal.column(gknb + "index.html")
    portal.column(bmnb + "index.html")
    portal.save()


if __name__ == "__main__":
    build()
