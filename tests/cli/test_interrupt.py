"""SIGINT (Ctrl-C, to the whole process group) or SIGTERM (to the crawl) during extraction: the
pool stops at once, the reports already extracted stay stored, the crawl exits non-zero with one
line, and the next run extracts the rest."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml
from helpers import expected_reports

from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

COPY_HOST = "www.shili-copy.gov.cn"
# `govreports crawl` whose extraction takes a second for the first two reports (in URL order, two
# workers) and a minute for every other, so that a signal finds both workers busy for long
SLOW_EXTRACTION = """
import sys, time
from govreports import cli, extraction
extract_group = extraction.extract_group
def slow_extract_group(root, page, *args):
    time.sleep(1 if page["url"].endswith(("_1105.html", "_1004.html")) else 60)
    return extract_group(root, page, *args)
extraction.extract_group = slow_extract_group
sys.exit(cli.main(sys.argv[1:]))
"""


def stored_reports(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from reports").fetchone()[0]


@pytest.mark.parametrize("signum, whole_group", [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_a_signal_during_extraction_stops_the_pool_and_keeps_what_was_stored(tmp_path, signum, whole_group):
    db = tmp_path / "archive.db"
    with FixtureServer(SAMPLE_PORTAL, host=COPY_HOST) as server:
        registry = tmp_path / "portals.yaml"
        registry.write_text(
            yaml.safe_dump([{"id": "sample", "start_urls": [f"{server.url}/xxgk/zfxxgknb/index.html"]}])
        )
        args = ["crawl", "--portals", str(registry), "--db", str(db), "--workers", "2"]
        process = subprocess.Popen(
            [sys.executable, "-c", SLOW_EXTRACTION, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for line in process.stderr:
            if line.startswith("extracting: 2/"):
                break
        else:
            pytest.fail(f"no extraction progress: {process.communicate()}")
        if whole_group:
            os.killpg(process.pid, signum)  # what Ctrl-C in a terminal does
        else:
            process.send_signal(signum)  # what a scheduler's stop does
        sent = time.monotonic()
        out, err = process.communicate(timeout=60)
        assert time.monotonic() - sent < 10  # not the minute the rest of the extraction takes
        assert process.returncode == 128 + signum, err
        lines = err.strip().splitlines()
        assert all(line.startswith("extracting: ") for line in lines[:-1]), err
        stored = stored_reports(db)
        assert lines[-1] == (
            f"govreports crawl: interrupted by {signal.Signals(signum).name} during extraction: {stored} reports "
            "stored; the next crawl or `govreports reextract` extracts the rest"
        )
        assert stored == 2
        again = subprocess.run([sys.executable, "-m", "govreports.cli", *args], capture_output=True, text=True)
        assert again.returncode == 0, again.stderr[-2000:]
    assert stored_reports(db) == len(expected_reports(SAMPLE_PORTAL))


def test_a_signal_during_the_crawl_stops_it_without_extracting(tmp_path):
    """SIGTERM while pages are fetched: Scrapy closes the spider; nothing is extracted after
    (the stop would otherwise last as long as the whole extraction); exit 143 in one line."""
    db = tmp_path / "archive.db"
    with FixtureServer(SAMPLE_PORTAL, delay=0.3, host=COPY_HOST) as slow:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump([{"id": "sample", "start_urls": [f"{slow.url}/xxgk/zfxxgknb/index.html"]}]))
        process = subprocess.Popen(
            [sys.executable, "-m", "govreports.cli", "crawl", "--portals", str(registry), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while True:
            assert process.poll() is None
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    if conn.execute("select count(*) from fetches").fetchone()[0] >= 3:
                        break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err[-2000:]
    assert err.strip().splitlines()[-1].startswith("govreports crawl: the crawl was stopped by SIGTERM")
    assert stored_reports(db) == 0
