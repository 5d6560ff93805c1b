"""A long TRS column: every list page announces every other one; all are crawled once and
the page budget counts distinct pages only."""

import sqlite3
import sys
from pathlib import Path

from helpers import crawl_registry

from govreports.fixture_server import FixtureServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import write_portal  # noqa: E402


def test_every_page_of_a_long_column_is_crawled(tmp_path):
    pages = write_portal(tmp_path / "portal", reports=56, per_page=2)  # 28 list pages, budget 30
    with FixtureServer(tmp_path / "portal", host="www.long-column.gov.cn") as server:
        crawl_registry(
            [{"id": "long", "start_urls": [f"{server.url}/col/index.html"]}],
            tmp_path,
            "--set",
            "GOVREPORTS_MAX_LIST_PAGES=30",
        )
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        # every 10th report page points to the same PDF: one report, kept with its 5 other pages
        assert conn.execute("select count(*) from reports").fetchone()[0] == 51
        assert conn.execute("select count(*) from duplicates").fetchone()[0] == 5
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
        list_fetches = conn.execute("select count(*) from fetches where url like '%/col/index%'").fetchone()[0]
    assert list_fetches == pages == 28
