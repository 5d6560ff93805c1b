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

from fixturekit import synthetic
from fixturekit.fixture_site import FixtureSite

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "portals" / "duplicates"
PDF = ROOT / "tests" / "fixtures" / "documents" / "chrome_doc001.pdf"
HOST = "www.shili-chongfu.gov.cn"  # tests/fixtures/portals/duplicates/site.json
HTML = "text/html; charset=utf-8"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="ArticleTitle" content="{title}"></head><body>
<div class="crumb">首页 &gt; 政府信息公开 &gt; {column}</div><p class="info">浏览次数：{visits}</p>
<div class="TRS_Editor">{body}</div>{attachment}</body></html>"""

LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{column}</title></head><body><ul>{items}</ul>
<script>createPageHTML(1, 0, "index", "html");</script></body></html>"""


def report(agency, seed):
    facts = synthetic.make_facts("2021", random.Random(seed))
    return f"{agency}2023年政府信息公开工作年度报告", synthetic.report_body(agency, 2023, "2021", facts, "2024-01-15")


def items(links):
    return "".join(
        f'<li><a href="{href}" title="{title}">{title}</a><span>2024-01-15</span></li>' for title, href in links
    )


def build():
    site = FixtureSite(OUT)
    finance_title, finance_body = report("示例县财政局", 1)
    education_title, education_body = report("示例县教育局", 2)
    office_title = "示例县人民政府办公室2023年政府信息公开工作年度报告"
    gknb, bmnb = "/xxgk/gknb/", "/xxgk/bmnb/"

    def page(path, title, body, column, visits, attachment=""):
        site.write(
            path,
            PAGE.format(title=title, body=body, column=column, visits=visits, attachment=attachment).encode(),
            HTML,
        )

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
    site.write(gknb + "202401/P020240117000000000001.pdf", PDF.read_bytes(), "application/pdf")
    page(bmnb + "202401/t20240118_4001.html", finance_title, finance_body, "部门年报", 9)

    gateway = f"http://{HOST}/gate/big5/{HOST}"
    site.write(
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
        ).encode(),
        HTML,
    )
    site.write(
        bmnb + "index.html",
        LIST.format(
            column="部门年报",
            items=items(
                [
                    (finance_title, "./202401/t20240118_4001.html"),
                ]
            ),
        ).encode(),
        HTML,
    )
    site.save()
    site.save_expected(
        [
            # the 部门 copy and the 本级 one (and its mobile twin) are one report; the gateway link is an alias
            {
                "path": bmnb + "202401/t20240118_4001.html",
                "also_at": [gknb + "202401/t20240115_3001.html"],
                "title": finance_title,
                "facts": None,
            },
            {"path": gknb + "202401/t20240116_3002.html", "title": education_title, "facts": None},
            {"path": gknb + "202401/t20240117_3003.html", "title": office_title, "facts": None},
        ],
        columns=[gknb + "index.html", bmnb + "index.html"],
    )


if __name__ == "__main__":
    build()
