"""What a Scrapy user types, from the project root: `scrapy crawl portals -a registry=FILE
[-a portal=ID]` crawls those portals into the settings' database (by host name, production
settings); `govreports reextract` then extracts what was archived."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import FIXTURES, expected_reports, run_cli, site

from govreports.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parents[2]


def scrapy_crawl(*args):
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portals", *args, "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_scrapy_crawl_portals_with_a_registry_and_a_portal(tmp_path):
    hanweb, gkmlpt = FIXTURES / "portals" / "hanweb", FIXTURES / "portals" / "gkmlpt"
    registry = tmp_path / "portals.yaml"
    registry.write_text(
        yaml.safe_dump(
            [
                {"id": "hanweb", "start_urls": site(hanweb)["start_urls"]},
                {"id": "gkmlpt", "start_urls": site(gkmlpt)["start_urls"]},
            ]
        )
    )
    db = tmp_path / "archive.db"
    with FixtureServer(hanweb, host=site(hanweb)["host"]):
        done = scrapy_crawl("-a", f"registry={registry}", "-a", "portal=hanweb", "-s", f"GOVREPORTS_DB={db}")
        assert done.returncode == 0, done.stderr[-2000:]
        # `-a portals=FILE` (the spider's own argument name) is read as the registry too
        again = scrapy_crawl("-a", f"portals={registry}", "-a", "portal=hanweb", "-s", f"GOVREPORTS_DB={db}")
        assert again.returncode == 0, again.stderr[-2000:]
    assert run_cli("reextract", "--db", str(db)).returncode == 0
    expected = len(expected_reports(hanweb))
    with sqlite3.connect(db) as conn:
        assert conn.execute("select id from portals").fetchall() == [("hanweb",)]
        assert conn.execute("select count(*) from reports where portal_id = 'hanweb'").fetchone()[0] == expected
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0


# what two runs of the same crawl may differ in: the rows' own times
STAMPS = {"changed_at", "extracted_at", "recorded_at", "discovered_at", "first_seen", "last_seen", "seen_at"}


def stored_rows(db, table):
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(f"select * from {table}")
        names = [d[0] for d in cursor.description]
        rows = [{k: v for k, v in zip(names, row) if k not in STAMPS} for row in cursor]
    return sorted(rows, key=repr)


def test_scrapy_crawl_then_reextract_stores_what_govreports_crawl_stores(tmp_path):
    """The documented two-step route (`scrapy crawl` archives, `govreports reextract`
    extracts) gives every report its portal's region and level, as `govreports crawl` does:
    both take them from the stored `portals` rows."""
    hanweb = FIXTURES / "portals" / "hanweb"
    registry = tmp_path / "portals.yaml"
    entry = {"id": "hanweb", "name": "示例厅", "region": "江苏省", "level": "province"}
    registry.write_text(yaml.safe_dump([{**entry, "start_urls": site(hanweb)["start_urls"]}], allow_unicode=True))
    two_steps, one_step = tmp_path / "two" / "archive.db", tmp_path / "one" / "archive.db"
    two_steps.parent.mkdir()
    one_step.parent.mkdir()
    with FixtureServer(hanweb, host=site(hanweb)["host"]):
        done = scrapy_crawl("-a", f"registry={registry}", "-s", f"GOVREPORTS_DB={two_steps}")
        assert done.returncode == 0, done.stderr[-2000:]
        assert run_cli("crawl", "--portals", str(registry), "--db", str(one_step), "--workers", "1").returncode == 0
    assert run_cli("reextract", "--db", str(two_steps), "--workers", "1").returncode == 0
    reports = stored_rows(two_steps, "report_rows")
    assert len(reports) == len(expected_reports(hanweb))
    assert {(r["region"], r["level"]) for r in reports} == {("江苏省", "province")}
    for table in ("portals", "report_rows", "report_texts", "fact_values", "checks", "duplicates", "failures"):
        assert stored_rows(two_steps, table) == stored_rows(one_step, table), table


def test_scrapy_crawl_and_govreports_crawl_take_one_lock(tmp_path):
    """`scrapy crawl portals` is a writer like any other: while it runs, `govreports crawl` on
    the same file (here through a hard link in another folder) exits 75 and touches nothing;
    a second `scrapy crawl` exits 75 in one line; the first finishes cleanly."""
    import os
    import time

    from govreports.fixture_server import SAMPLE_PORTAL
    from storage.lock import holder

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    db, hard_link = tmp_path / "a" / "archive.db", tmp_path / "b" / "archive.db"
    with FixtureServer(SAMPLE_PORTAL, delay=0.1, host="www.shili-copy.gov.cn") as slow:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump([{"id": "sample", "start_urls": [f"{slow.url}/xxgk/zfxxgknb/index.html"]}]))
        first = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", f"registry={registry}"]
            + ["-s", f"GOVREPORTS_DB={db}", "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while holder(db) is None:
            assert first.poll() is None, first.communicate()[1][-2000:]
            time.sleep(0.05)
        os.link(db, hard_link)
        second = run_cli("crawl", "--portals", str(registry), "--db", str(hard_link))
        assert second.returncode == 75 and f"another govreports run (pid {first.pid})" in second.stderr
        assert not (tmp_path / "b" / "warcs").exists()
        third = scrapy_crawl("-a", f"registry={registry}", "-s", f"GOVREPORTS_DB={hard_link}")
        assert third.returncode == 75
        assert third.stderr.strip().count("\n") == 0 and "another govreports run" in third.stderr
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0 and "Traceback" not in err, err[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
    assert not list((tmp_path / "a" / "warcs").glob("*.open"))


def test_an_archive_file_this_machine_cannot_read_stops_extraction_and_fails_no_document(tmp_path):
    """`scrapy crawl` archives; its WARC files then go missing (a moved folder, a failing disk).
    `govreports reextract` stops in one line with exit 74 and records no document as failed;
    once the files are back, the next run extracts every report."""
    hanweb = FIXTURES / "portals" / "hanweb"
    registry = tmp_path / "portals.yaml"
    registry.write_text(yaml.safe_dump([{"id": "hanweb", "start_urls": site(hanweb)["start_urls"]}]))
    db = tmp_path / "archive.db"
    with FixtureServer(hanweb, host=site(hanweb)["host"]):
        assert scrapy_crawl("-a", f"registry={registry}", "-s", f"GOVREPORTS_DB={db}").returncode == 0
    (tmp_path / "warcs").rename(tmp_path / "warcs-away")
    stopped = run_cli("reextract", "--db", str(db), "--workers", "1")
    assert stopped.returncode == 74, stopped.stderr[-2000:]
    assert stopped.stderr.strip().count("\n") == 0 and "cannot be read on this machine" in stopped.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
        assert conn.execute("select count(*) from report_rows").fetchone()[0] == 0
    (tmp_path / "warcs-away").rename(tmp_path / "warcs")
    assert run_cli("reextract", "--db", str(db), "--workers", "1").returncode == 0
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from report_rows").fetchone()[0]
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
    assert stored == len(expected_reports(hanweb))
