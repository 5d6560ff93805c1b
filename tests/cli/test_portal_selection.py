"""Choosing what to crawl from a registry of thousands (--region, --level, --portal, and the
same as `scrapy crawl portals -a ...`), the progress bar, and health at scale: the summary,
the portal_health table and its Datasette page with facets."""

import functools
import json
import sqlite3

import pytest
from helpers import datasette_get

from crawler.progress import progress_line
from crawler.registry import load_registry
from crawler.spiders.portals import PortalsSpider
from govreports import cli, health


@functools.cache
def bundled():
    """The bundled registry, read once, when a test asks (not while the tests are collected)."""
    return load_registry()


def jiangsu_counties():
    return [p["id"] for p in bundled() if p["region"].startswith("江苏省") and p["level"] == "county"]


@pytest.fixture
def chosen(monkeypatch, tmp_path):
    """The portals each command was handed, instead of crawling them."""
    seen = {}

    def crawl(portals, *args, **kwargs):
        seen["crawl"] = [p["id"] for p in portals]
        return 0

    def scout(portals, *args, **kwargs):
        seen["scout"] = [p["id"] for p in portals]
        return {p["id"]: {} for p in portals}

    def check(portals, *args, **kwargs):
        seen["check"] = [p["id"] for p in portals]
        return 0

    monkeypatch.setattr(cli, "crawl_and_extract", crawl)
    monkeypatch.setattr("crawler.run.run_crawl", scout)
    monkeypatch.setattr("govreports.portal_checks.check_portals", check)
    monkeypatch.chdir(tmp_path)
    return seen


def test_crawl_scout_and_check_select_exactly_a_regions_counties(chosen):
    assert len(jiangsu_counties()) > 90
    for command in (["crawl"], ["scout"], ["portals", "check"]):
        assert cli.main([*command, "--region", "江苏省", "--level", "county"]) == 0
    assert chosen == {"crawl": jiangsu_counties(), "scout": jiangsu_counties(), "check": jiangsu_counties()}


def test_selections_combine_and_a_code_names_a_region(chosen):
    two = jiangsu_counties()[:2]
    cli.main(["crawl", "--region", "320000", "--level", "county", *("--portal", two[0]), *("--portal", two[1])])
    assert chosen["crawl"] == two
    cli.main(["crawl", "--region", "江苏省", "--region", "浙江省", "--level", "province"])
    assert {{p["id"]: p for p in bundled()}[i]["region"] for i in chosen["crawl"]} == {"江苏省", "浙江省"}
    with pytest.raises(SystemExit, match="no portal in the registry matches"):
        cli.main(["crawl", "--region", "浙江省", "--portal", two[0]])


def test_scrapy_crawl_takes_the_same_selection():
    spider = PortalsSpider(region="江苏省", level="county")
    assert [p["id"] for p in spider.portals] == jiangsu_counties()
    two = ",".join(jiangsu_counties()[:2])
    assert [p["id"] for p in PortalsSpider(region="320000", portal=two).portals] == jiangsu_counties()[:2]
    with pytest.raises(ValueError, match="no portal in the registry matches"):
        PortalsSpider(region="江苏省", level="national")


def test_the_progress_line_counts_portals_and_estimates_the_time_left():
    line = progress_line(312, 3779, 100.0, 1204)
    assert "312/3,779 portals" in line and "8%" in line and "1,204 pages" in line
    assert "ETA 0:18:31" in line  # 100 s for 312 portals: 3,467 left take 1,111 s
    assert line.startswith("[##-")
    assert "took 0:01:40" in progress_line(3779, 3779, 100.0, 9000)


def test_health_at_scale_is_a_summary_and_a_table_with_facets(tmp_path, capsys):
    from storage import schema
    from storage.migrations import migrate

    db_path = tmp_path / "archive.db"
    migrate(db_path)
    db = schema.open_db(db_path)
    db["failures"].insert_all(
        [
            {"url": "http://a/", "stage": "list", "kind": "dns", "portal_id": "p0"},
            {"url": "http://b/", "stage": "list", "kind": "timeout", "portal_id": "p1"},
            {"url": "http://c/", "stage": "list", "kind": "dns", "portal_id": "p2"},
        ]
    )
    db.close()
    portals = [
        {
            "id": f"p{i}",
            "name": f"第{i}县人民政府",
            "region": "江苏省" if i % 2 else "浙江省",
            "level": "county",
            "flags": ["unconfirmed"] if i % 3 == 0 else [],
            "start_urls": [f"http://p{i}/"],
        }
        for i in range(30)
    ]
    stats = {f"p{i}": {"list_pages": 2, "reports": i % 4, "known_skipped": 1, "looks_like_trs": 1} for i in range(30)}
    rows = health.record_health(db_path, portals, stats, 2025, "2026-12-06T00:00:00+00:00")
    health.print_summary(rows, 2025)
    out = capsys.readouterr().out
    assert "crawled 30 portals: 43 reports new, 30 known; 30 portals with no report for 2025" in out
    assert "open failures by kind: dns 2, timeout 1" in out
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        stored = {r["portal_id"]: dict(r) for r in conn.execute("select * from portal_health")}
    assert len(stored) == 30
    assert stored["p0"]["failures"] == 1 and json.loads(stored["p0"]["failure_kinds"]) == {"dns": 1}
    assert stored["p3"]["family"] == "trs" and json.loads(stored["p3"]["flags"]) == ["unconfirmed"]
    page = datasette_get(db_path, "/archive/portal_health.json?_facet_size=5")
    assert page.status_code == 200, page.text[:300]
    facets = page.json()["facet_results"]
    facets = facets.get("results", facets)  # the shape differs between Datasette versions
    assert {"region", "level", "family", "flags", "due_report"} <= set(facets)
    regions = {v["value"]: v["count"] for v in facets["region"]["results"]}
    assert regions == {"江苏省": 15, "浙江省": 15}
    assert {v["value"]: v["count"] for v in facets["flags"]["results"]} == {"unconfirmed": 10}


def test_a_check_of_a_start_url_that_is_one_report_finds_its_column_by_the_breadcrumb():
    from scrapy.http import HtmlResponse, Request

    from crawler.spiders.check import PortalCheckSpider

    url = "http://www.a-county.gov.cn/xxgk/nb/202401/t20240120_1.html"
    portal = {"id": "a", "name": "甲县人民政府", "level": "county", "start_urls": [url]}
    spider = PortalCheckSpider(portals=[portal])
    spider.results["a"] = {"columns": {}, "first_page_reports": 0}
    spider.pending["a"] = 1
    body = (
        "<html><head><title>甲县2023年政府信息公开工作年度报告</title></head><body>"
        '<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/xxgk/nb/">政府信息公开年报</a></div>'
        "<h1>甲县2023年政府信息公开工作年度报告</h1><p>甲县人民政府</p></body></html>"
    )
    request = Request(url, meta={"portal": portal, "role": "start"})
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8", request=request)
    assert list(spider.parse_page(response)) == []
    found = spider.results["a"]
    assert found["first_page_reports"] == 1 and found["answers"] and not found.get("failure")
    assert list(found["columns"]) == ["http://www.a-county.gov.cn/xxgk/nb/"]
    assert spider.finished == {"a"}
