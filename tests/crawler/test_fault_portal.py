"""Faults, hostile input and limits: one crawl of the fault portal plus the sample portal
(and a portal that would reach a private address without being allowed to), twice."""

import sqlite3
import subprocess
import sys

import pytest
import yaml
from fault_portal import FaultPortal
from helpers import SAMPLE_HOST

from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

FAULT_HOST = "www.fault-county.gov.cn"
PRIVATE_HOST = "intranet.example-agency.gov.cn"  # resolves to 127.0.0.2 (tests/netns.py)

EXPECTED_FAILURES = {  # path -> (stage, kind, retryable, a phrase of the message)
    "/faults/500.html": ("detail", "http_500", 1, "HTTP 500"),
    "/faults/503.html": ("detail", "http_503", 1, "Retry-After: 120"),
    "/faults/slow.html": ("detail", "timeout", 1, "did not answer in time"),
    "/faults/reset.html": ("detail", "connection", 1, "reset or closed"),
    "/faults/loop.html": ("detail", "redirect_loop", 0, "too many redirects"),
    "/faults/huge.html": ("detail", "too_large", 0, "larger than the download limit"),
    "/faults/endless.html": ("detail", "too_large", 0, "larger than the download limit"),
    "/faults/bomb.html": ("detail", "too_large", 0, "decompressed"),
    "/faults/404.html": ("detail", "http_404", 0, "HTTP 404"),
    "/faults/corrupt.pdf": ("extract", "unreadable", 0, "not a readable PDF"),
    "/faults/encrypted.pdf": ("extract", "unreadable", 0, "password"),
    "/faults/empty.pdf": ("extract", "unreadable", 0, "empty file"),
    "/faults/report13.pdf": ("extract", "mislabelled", 0, "served as application/pdf but the bytes are html"),
    "/faults/14.html": ("extract", "mislabelled", 0, "served as text/html but the bytes are pdf"),
    "/faults/15.html": ("extract", "charset_guessed", 0, "no charset declared"),
    "/faults/16.html": ("extract", "mojibake", 0, "double-decoded"),
    "/faults/17.html": ("extract", "table_truncated", 0, "rows was read only up to row 2000"),
    "/faults/18.html": ("extract", "unreadable", 0, "nested more than 256 elements deep"),
    "/faults/19.html": ("extract", "tables_as_images", 0, "published as pictures"),
    "/faults/index.html?portal=private": ("list", "private_address", 0, "non-public address"),
}
# `govreports crawl`, saying at the end the peak memory of its own process (not its workers')
CRAWL_MEASURED = """
import resource, sys
from govreports import cli
status = cli.main(sys.argv[1:])
print(f"peak KiB: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(status)
"""
RETRYABLE = {path for path, spec in EXPECTED_FAILURES.items() if spec[2]}


def rows(db, sql, *args):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def snapshot(db):
    return {
        "reports": rows(db, "select id, url, title, layout, content_hash from reports order by id"),
        "facts": rows(
            db,
            "select report_id, table_key, row_key, col_key, value from facts "
            "order by report_id, table_key, row_key, col_key",
        ),
        "documents": rows(db, "select url, sha256 from documents order by url"),
    }


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("faults")
    db = workdir / "archive.db"
    with FaultPortal(host=FAULT_HOST) as faults, FixtureServer(SAMPLE_PORTAL, host=SAMPLE_HOST) as sample:
        registry = workdir / "portals.yaml"
        registry.write_text(
            yaml.safe_dump(
                [
                    {"id": "sample_county", "start_urls": [f"{sample.url}/xxgk/zfxxgknb/index.html"]},
                    {"id": "faults", "family": "generic", "start_urls": [f"{faults.url}/faults/index.html"]},
                    {"id": "private", "start_urls": [f"http://{PRIVATE_HOST}/faults/index.html?portal=private"]},
                ]
            )
        )
        runs = []
        for _ in range(2):
            # shorter limits than a real crawl's, so that the slow page and the trap end sooner
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    CRAWL_MEASURED,
                    "crawl",
                    "--portals",
                    str(registry),
                    "--db",
                    str(db),
                    "--set",
                    "DOWNLOAD_TIMEOUT=10",
                    "--set",
                    "RETRY_TIMES=1",
                    "--set",
                    "GOVREPORTS_MAX_LIST_PAGES=30",
                    "--doc-timeout",
                    "60",
                    "--doc-memory-mb",
                    "3072",
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            failures = {
                (r["url"].replace(faults.url, "").replace(f"http://{PRIVATE_HOST}", ""), r["stage"]): r
                for r in rows(db, "select * from failures")
            }
            runs.append(
                {
                    "output": done.stdout,
                    "snapshot": snapshot(db),
                    "failures": failures,
                    "peak_mb": int(done.stderr.rsplit("peak KiB: ", 1)[1]) / 1024,
                }
            )
    return {"db": db, "runs": runs, "sample": sample.url}


def test_every_sample_report_is_stored_despite_the_faults(fault_crawl, sample_portal_expected):
    db = fault_crawl["db"]
    stored = {
        r["url"].replace(fault_crawl["sample"], ""): r["id"]
        for r in rows(db, "select url, id from reports where portal_id = 'sample_county'")
    }
    assert set(stored) == {e["path"] for e in sample_portal_expected}
    for expected in sample_portal_expected:
        facts = {
            (f["table_key"], f["row_key"], f["col_key"]): f["value"]
            for f in rows(db, "select * from facts where report_id = ?", stored[expected["path"]])
        }
        assert facts == {(f["table"], f["row"], f["col"]): f["value"] for f in expected["facts"]}


def test_every_fault_is_listed_with_a_clear_message(fault_crawl):
    failures = fault_crawl["runs"][0]["failures"]
    for path, (stage, kind, retryable, phrase) in EXPECTED_FAILURES.items():
        assert (path, stage) in failures, f"{path} not recorded"
        row = failures[(path, stage)]
        assert (row["kind"], row["retryable"]) == (kind, retryable), path
        assert phrase in row["message"], (path, row["message"])
    trap = [r for p, r in failures.items() if r["kind"] == "pagination_limit"]
    assert len(trap) == 1 and "stopped after 30 list pages" in trap[0]["message"]


def test_reports_survive_their_broken_attachments_and_mislabels(fault_crawl):
    db = fault_crawl["db"]
    by_path = {r["url"].split("/faults/")[-1]: r for r in rows(db, "select * from reports where portal_id = 'faults'")}
    for name in ("10.html", "11.html", "12.html"):  # corrupt, encrypted, empty PDF: page kept, no facts
        assert by_path[name]["facts_count"] == 0 and by_path[name]["source_format"] == "html"
    assert by_path["13.html"]["facts_count"] == 200 and by_path["13.html"]["source_format"] == "html"
    assert by_path["14.html"]["facts_count"] == 198 and by_path["14.html"]["source_format"] == "pdf"
    assert by_path["15.html"]["facts_count"] == 198  # GBK with no charset anywhere
    assert by_path["16.html"]["title"] == "示例县财政局2020年度政府信息公开工作年度报告"
    assert by_path["19.html"]["check_status"] == "fail"
    assert "18.html" not in by_path  # nothing readable: no report, a failure instead


def test_memory_stays_bounded(fault_crawl):
    # a 2 GB body and a gzip bomb are never held by the crawl process: it stays well under
    # 2 GB while its spider parses a 50 MB report page (extraction runs in workers, each
    # under its own limit)
    for run in fault_crawl["runs"]:
        assert run["peak_mb"] < 2048, f"the crawl process peaked at {run['peak_mb']:.0f} MB"


def test_second_run_retries_what_is_retryable_and_loses_nothing(fault_crawl):
    first, second = fault_crawl["runs"]
    assert first["snapshot"] == second["snapshot"]
    for (path, _), row in second["failures"].items():
        if path in RETRYABLE:
            assert row["attempts"] == 2, path
        elif row["stage"] in ("detail", "attachment", "extract", "extract_report"):
            assert row["attempts"] == 1, f"{path} ({row['kind']}) was tried again"
    assert "extracted 0 reports" in second["output"]
