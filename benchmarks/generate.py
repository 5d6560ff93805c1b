"""Synthetic reports and portals for the benchmarks: both layouts, realistic sizes (5-10k
characters of text, 198-200 facts, identity-consistent numbers), from 1k to 1M.

    python benchmarks/generate.py portal OUT_DIR --reports 2000     # a TRS portal to crawl
Also imported: `report_rows(n)` yields rows ready for storage.reports.save_reports.
"""

import argparse
import hashlib
import html
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))  # fixturekit: not in the wheel

from extractors import keys  # noqa: E402
from extractors.checks import run_checks  # noqa: E402
from fixturekit import synthetic  # noqa: E402

PROVINCES = [
    "北京市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
]
DEPARTMENTS = [
    "财政局",
    "教育局",
    "民政局",
    "司法局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "审计局",
    "市场监督管理局",
    "统计局",
    "人民政府办公室",
    "人民政府",
]
PHRASES = [
    "认真贯彻落实《中华人民共和国政府信息公开条例》",
    "进一步加强政务公开标准化规范化建设",
    "依法依规做好政府信息公开申请办理工作",
    "持续推进决策、执行、管理、服务、结果公开",
    "加强政策解读和回应关切",
    "政府网站和政务新媒体管理持续规范",
    "行政复议和行政诉讼案件依法办理",
    "主动公开政府信息",
    "依申请公开工作机制进一步健全",
    "公开平台建设不断加强",
    "存在的主要问题是公开的及时性和解读的针对性有待提高",
    "下一步将加大培训力度，提升工作人员业务能力",
]


def agency(rng, i):
    return f"{rng.choice(PROVINCES)}示例{i % 97}县{rng.choice(DEPARTMENTS)}"


def report_text(rng, name, year, layout, facts):
    paragraphs = [f"{name}{year}年政府信息公开工作年度报告", "一、总体情况"]
    for _ in range(rng.randint(25, 45)):
        paragraphs.append("，".join(rng.choice(PHRASES) for _ in range(rng.randint(3, 6))) + "。")
    paragraphs.append(f"全年收到政府信息公开申请{facts[('t3', 'new_received', 'total')]}件。")
    for table, row, col in keys.canonical_cells(layout):
        paragraphs.append(f"{row}\t{col}\t{facts[(table, row, col)]}")
    return "\n".join(paragraphs)


def report_rows(n, seed=1, start=0):
    """(report row, facts, checks) for synthetic reports start .. start+n-1, as the extractors
    would give them (each slice seeded on its own, so slices can be made in parallel)."""
    rng = random.Random(f"{seed}|{start}")
    for i in range(start, start + n):
        year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024])
        layout = "2021" if year >= 2021 else "2019"
        facts = synthetic.make_facts(layout, rng)
        name = agency(rng, i)
        text = report_text(rng, name, year, layout, facts)
        checks = run_checks(facts, layout, text)
        row = {
            "id": hashlib.sha1(f"bench|{i}".encode()).hexdigest()[:16],
            "url": f"http://bench.gov.cn/t{i}.html",
            "title": f"{name}{year}年政府信息公开工作年度报告",
            "agency": name,
            "year": year,
            "layout": layout,
            "published": f"{year + 1}-01-{rng.randint(5, 31):02d}",
            "portal_id": f"bench{i % 500}",
            "source_format": "html",
            "source_url": f"http://bench.gov.cn/t{i}.html",
            "region": name[:3],
            "level": "county",
            "sections": "{}",
            "facts_count": len(facts),
            "checks_failed": 0,
            "check_status": "pass",
            "source_hashes": "x",
            "extractor_version": "bench",
            "text": text,
        }
        yield (
            row,
            [{"table": t, "row": r, "col": c, "value": v, "raw": str(v)} for (t, r, c), v in facts.items()],
            checks,
        )


def report_variants(n, distinct=2000, seed=1):
    """n reports made from `distinct` generated ones (for runs up to 1M, where generating
    each report would take longer than storing it): each variant has its own id, URL,
    agency, title, region and portal; text, facts and checks are its base's.
    Yields (base number, report row, facts, checks)."""
    bases = list(report_rows(distinct, seed))
    rng = random.Random(f"variants|{seed}")
    for i in range(n):
        row, facts, checks = bases[i % distinct]
        name = agency(rng, i)
        yield (
            i % distinct,
            {
                **row,
                "id": hashlib.sha1(f"bench|{i}".encode()).hexdigest()[:16],
                "url": f"http://bench.gov.cn/t{i}.html",
                "source_url": f"http://bench.gov.cn/t{i}.html",
                "title": f"{name}{row['year']}年政府信息公开工作年度报告",
                "agency": name,
                "region": name[:3],
                "portal_id": f"bench{i % 500}",
            },
            facts,
            checks,
        )


def write_portal(out, reports, per_page=20, seed=2):
    """A TRS portal of `reports` synthetic report pages (every 10th only a pointer to the same
    PDF from the test corpus: stored as one report with the other pages as its duplicates),
    served by govreports.fixture_server."""
    out = Path(out)
    rng = random.Random(seed)
    headers = {}
    pdf = (Path(__file__).resolve().parent.parent / "tests/fixtures/documents/libreoffice_doc001.pdf").read_bytes()

    def write(path, data, content_type):
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
        headers["/" + path] = {"status": 200, "headers": {"Content-Type": content_type}}

    items = []
    for i in range(reports):
        year = rng.choice([2019, 2020, 2021, 2022, 2023])
        layout = "2021" if year >= 2021 else "2019"
        name = agency(rng, i)
        title = f"{name}{year}年政府信息公开工作年度报告"
        path = f"col/{year + 1}01/t{year + 1}0120_{i}.html"
        if i % 10 == 0:
            write(f"col/{year + 1}01/P0{i}.pdf", pdf, "application/pdf")
            body = f'<p>{title}详见附件。</p><a appendix="true" href="./P0{i}.pdf">附件</a>'
        else:
            body = synthetic.report_body(name, year, layout, synthetic.make_facts(layout, rng), f"{year + 1}-01-20")
        page = (
            f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{html.escape(title)}"></head>'
            f'<body><div class="TRS_Editor">{body}</div></body></html>'
        )
        write(path, page.encode(), "text/html; charset=utf-8")
        items.append((title, path))
    pages = (len(items) + per_page - 1) // per_page
    for p in range(pages):
        links = "".join(
            f'<li><a href="./{path[4:]}" title="{html.escape(title)}">{html.escape(title)}</a></li>'
            for title, path in items[p * per_page : (p + 1) * per_page]
        )
        name = "index.html" if p == 0 else f"index_{p}.html"
        write(
            f"col/{name}",
            f'<html><head><meta charset="utf-8"></head><body><ul>{links}</ul>'
            f'<script>createPageHTML({pages}, {p}, "index", "html");</script></body></html>'.encode(),
            "text/html; charset=utf-8",
        )
    (out / "_headers.json").write_text(json.dumps(headers))
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["portal"])
    parser.add_argument("out")
    parser.add_argument("--reports", type=int, default=2000)
    args = parser.parse_args()
    pages = write_portal(args.out, args.reports)
    print(f"{args.reports} reports, {pages} list pages -> {args.out}")


if __name__ == "__main__":
    main()
