"""Anhui openness platform: the /public/column shell, /site/label/8888 fragments in pages,
/public/{organ}/{id}.html details, a FastDFS /group6/M00/ attachment, a 指南 among the rows."""

import json
import sqlite3

import pytest
import yaml
from scrapy.http import HtmlResponse

from conftest import FIXTURES, run_cli
from crawler.families import family_for
from crawler.families.openness import OpennessFamily
from govreports.fixture_server import FixtureServer

PORTAL = FIXTURES / "portals" / "openness"
OPENNESS = OpennessFamily()


def test_shell_pages_and_document_keys():
    manifest = json.loads((PORTAL / "_headers.json").read_text())
    key = next(k for k in manifest if k.startswith("/public/column/"))
    response = HtmlResponse(url="https://www.shucheng.gov.cn" + key, headers={"Content-Type": "text/html"},
                            body=(PORTAL / manifest[key]["file"].lstrip("/")).read_bytes())
    assert family_for(None, response).name == "openness"
    pages = OPENNESS.next_pages(response)
    assert len(pages) == 2 and [p.split("pageIndex=")[1].split("&")[0] for p in pages] == ["1", "2"]
    assert all(p.startswith("https://www.shucheng.gov.cn/site/label/8888?IsAjax=1") for p in pages)
    assert OPENNESS.document_key("https://x/public/6598771/35994956.html") == "openness:35994956"


@pytest.fixture(scope="module")
def openness_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("openness")
    with FixtureServer(PORTAL) as server:
        registry = workdir / "portals.yaml"
        registry.write_text(yaml.safe_dump([{"id": "shucheng", "allow_private_addresses": True,
                                             "start_urls": [f"{server.url}/public/column/6598771?type=4&action=list"]}]))
        done = run_cli("crawl", "--portals", str(registry), "--db", str(workdir / "archive.db"),
                       "--settings", "crawler.settings.test")
    assert done.returncode == 0, done.stderr[-2000:]
    return workdir / "archive.db", server.url


def test_every_report_is_found_with_its_facts(openness_crawl):
    db, base = openness_crawl
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
                assert source == "docx" and count == 198  # read from the FastDFS attachment
                continue
            stored = {(t, r, c): v for t, r, c, v in conn.execute(
                "select table_key, row_key, col_key, value from facts where report_id = ?", [rid])}
            assert stored == {(f["table"], f["row"], f["col"]): f["value"] for f in e["facts"]}
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
