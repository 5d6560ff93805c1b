"""Failures are recorded with a message a user understands, whatever raises them."""

import errno
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml
from helpers import expected_reports
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.extensions import FailureRecorder
from crawler.failures import describe
from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer
from storage.crawl_records import is_retryable

COPY_HOST = "www.shili-copy.gov.cn"


def test_an_exception_while_parsing_a_page_is_recorded(tmp_path):
    crawler = get_crawler(settings_dict={"GOVREPORTS_DB": str(tmp_path / "archive.db")})
    recorder = FailureRecorder.from_crawler(crawler)
    recorder.spider_opened(None)
    request = Request("http://x.gov.cn/col/index.html", meta={"stage": "list", "portal": {"id": "p"}})
    response = HtmlResponse(url=request.url, body=b"<html></html>", request=request)
    try:
        raise ValueError("unexpected markup")
    except ValueError:
        failure = Failure()
    recorder.on_spider_error(failure, response)
    rows = list(recorder.db["failures"].rows)
    assert [(r["url"], r["stage"], r["kind"], r["portal_id"]) for r in rows] == [
        ("http://x.gov.cn/col/index.html", "list", "parse_error", "p")
    ]
    assert "ValueError: unexpected markup" in rows[0]["message"]


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.OperationalError("attempt to write a readonly database"),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
)
def test_a_local_write_error_is_never_a_final_failure_of_the_remote_document(error):
    kind, message = describe(Failure(error))
    assert kind == "cannot_write" and str(error) in message
    assert is_retryable(kind)


def test_an_error_the_crawl_does_not_understand_is_tried_again():
    kind, message = describe(Failure(KeyError("surprise")))
    assert (kind, message) == ("unexpected_error", "KeyError: 'surprise'")
    assert is_retryable(kind)


def rows(db, sql):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []


def fill(folder):
    """Write into folder until its filesystem is full; the filler's path."""
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 2**20)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_full_disk_stops_the_crawl_and_a_later_run_fetches_every_page_again(tmp_path):
    """The crawl's filesystem fills up in the middle of a crawl: the crawl stops at once with
    one clear line and status 74, records nothing as a final failure, and the next run (with
    room again) stores every report."""
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(small)], check=True)
    try:
        db = small / "archive.db"
        with FixtureServer(SAMPLE_PORTAL, delay=0.1, host=COPY_HOST) as slow:
            registry = tmp_path / "portals.yaml"
            registry.write_text(
                yaml.safe_dump([{"id": "sample", "start_urls": [f"{slow.url}/xxgk/zfxxgknb/index.html"]}])
            )
            crawl = [sys.executable, "-m", "govreports.cli", "crawl", "--portals", str(registry), "--db", str(db)]
            process = subprocess.Popen(crawl, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            while len(rows(db, "select url from fetches")) < 4:
                assert process.poll() is None, process.communicate()[1][-2000:]
                time.sleep(0.05)
            filler = fill(small)
            out, err = process.communicate(timeout=300)
            assert process.returncode == 74, err[-3000:]
            last = err.strip().splitlines()[-1]
            assert last.startswith("govreports crawl: the crawl stopped:") and "cannot be written" in last
            assert len(rows(db, "select url from fetches")) < 13 + 3  # it stopped: not every page was fetched
            assert rows(db, "select url, kind from failures where retryable = 0") == []
            filler.unlink()
            again = subprocess.run(crawl, capture_output=True, text=True, timeout=300)
            assert again.returncode == 0, again.stderr[-3000:]
        expected = expected_reports(SAMPLE_PORTAL)
        assert len(rows(db, "select id from reports")) == len(expected)
        assert rows(db, "select url, kind, message from failures") == []
    finally:
        subprocess.run(["umount", "-l", str(small)], check=True)
