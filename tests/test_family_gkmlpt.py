"""Guangdong gkmlpt: the Vue index with window._CONFIG, the JSON API in pages, post_ details,
a PDF under /attachment/, a 图解 among the articles."""

import json
import sqlite3

import pytest
import yaml
from scrapy.http import HtmlResponse, Request, TextResponse

from conftest import FIXTURES, run_cli
from crawler.families import family_for
from crawler.families.gkmlpt import GkmlptFamily
from govreports.fixture_server import FixtureServer

PORTAL = FIXTURES / "portals" / "gkmlpt"
GKMLPT = GkmlptFamily()


def stored(key):
    manifest = json.loads((PORTAL / "_headers.json").read_text())
    return (PORTAL / manifest[key].get("file", key).lstrip("/")).read_bytes()


def test_index_page_starts_the_json_api():
    url = "http://www.example.gov.cn/gkmlpt/index#2345"
    response = HtmlResponse(url="http://www.example.gov.cn/gkmlpt/index", body=stored("/gkmlpt/index"),
                            request=Request(url), headers={"Content-Type": "text/html; charset=utf-8"})
    assert family_for(None, response).name == "gkmlpt"
    assert GKMLPT.next_pages(response) == ["http://www.example.gov.cn/gkmlpt/api/all/2345?page=1&sid=755001"]


def test_api_pages_and_report_links():
    url = "http://www.example.gov.cn/gkmlpt/api/all/2345?page=1&sid=755001"
    response = TextResponse(url=url, body=stored("/gkmlpt/api/all/2345?page=1&sid=755001"), encoding="utf-8")
    assert [link.title for link in GKMLPT.report_links(response)] == [
        "深圳市示例区财政局2023年政府信息公开工作年度报告", "深圳市示例区教育局2022年政府信息公开工作年度报告"]  # 图解 skipped
    assert GKMLPT.next_pages(response) == ["http://www.example.gov.cn/gkmlpt/api/all/2345?page=2&sid=755001"]
    assert GKMLPT.document_key("http://x/gkmlpt/content/0/963/post_963149.html") == "gkmlpt:963149"


@pytest.fixture(scope="module")
def gkmlpt_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("gkmlpt")
    with FixtureServer(PORTAL) as server:
        registry = workdir / "portals.yaml"
        registry.write_text(yaml.safe_dump([{"id": "sz_example", "allow_private_addresses": True,
                                             "start_urls": [f"{server.url}/gkmlpt/index#2345"]}]))
        done = run_cli("crawl", "--portals", str(registry), "--db", str(workdir / "archive.db"),
                       "--settings", "crawler.settings.test")
    assert done.returncode == 0, done.stderr[-2000:]
    return workdir / "archive.db", server.url


def test_every_report_is_found_with_its_facts(gkmlpt_crawl):
    db, base = gkmlpt_crawl
    expected = json.loads((PORTAL / "expected.json").read_text())
    with sqlite3.connect(db) as conn:
        reports = {url.replace(base, ""): (rid, title, source)
                   for rid, url, title, source in conn.execute("select id, url, title, source_format from reports")}
        assert set(reports) == {e["path"] for e in expected}
        for e in expected:
            rid, title, source = reports[e["path"]]
            assert title == e["title"]
            count = conn.execute("select count(*) from facts where report_id = ?", [rid]).fetchone()[0]
            if e["facts"] is None:
                assert source == "pdf" and count == 200  # read from the /attachment/ PDF
                continue
            stored_facts = {(t, r, c): v for t, r, c, v in conn.execute(
                "select table_key, row_key, col_key, value from facts where report_id = ?", [rid])}
            assert stored_facts == {(f["table"], f["row"], f["col"]): f["value"] for f in e["facts"]}
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
