"""VSB and JEECMS: list pages chained by 下页 / 下一页, /info/{col}/{id}.htm and {id}.jhtml
details, a download.jsp DOCX and a /u/cms/www/ PDF, a 通知 in each list."""

import json
import sqlite3

import pytest
import yaml

from conftest import FIXTURES, run_cli
from crawler.families import FAMILIES
from govreports.fixture_server import FixtureServer

CASES = {"vsb": ("/xxgk/nb.htm", "docx", 198), "jeecms": ("/jdbsc/index.jhtml", "pdf", 198)}


@pytest.mark.parametrize("family,url,key", [
    ("vsb", "http://jyj.linyi.gov.cn/info/1667/53878.htm", "vsb:53878"),
    ("jeecms", "http://guyang.gov.cn/jdbsc/24971296.jhtml", "jeecms:24971296"),
])
def test_document_keys(family, url, key):
    assert FAMILIES[family].document_key(url) == key


@pytest.mark.parametrize("family", sorted(CASES))
def test_every_report_is_found_with_its_facts(family, tmp_path):
    portal = FIXTURES / "portals" / family
    start, attachment_format, attachment_facts = CASES[family]
    with FixtureServer(portal) as server:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump([{"id": family, "allow_private_addresses": True,
                                             "start_urls": [server.url + start]}]))
        done = run_cli("crawl", "--portals", str(registry), "--db", str(tmp_path / "archive.db"),
                       "--settings", "crawler.settings.test")
    assert done.returncode == 0, done.stderr[-2000:]
    expected = json.loads((portal / "expected.json").read_text())
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        reports = {url.replace(server.url, ""): (rid, title, source)
                   for rid, url, title, source in conn.execute("select id, url, title, source_format from reports")}
        assert set(reports) == {e["path"] for e in expected}
        for e in expected:
            rid, title, source = reports[e["path"]]
            assert title == e["title"]
            stored = {(t, r, c): v for t, r, c, v in conn.execute(
                "select table_key, row_key, col_key, value from facts where report_id = ?", [rid])}
            if e["facts"] is None:
                assert source == attachment_format and len(stored) == attachment_facts
            else:
                assert stored == {(f["table"], f["row"], f["col"]): f["value"] for f in e["facts"]}
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
        # the 通知 in the list (…9.htm / …9.jhtml) is never fetched
        assert conn.execute("select count(*) from fetches where url like '%53879.htm' "
                            "or url like '%24971299.jhtml'").fetchone()[0] == 0
