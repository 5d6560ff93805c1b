"""A 50 MB robots.txt: only its first 500 KiB are downloaded and read (rules beyond are ignored,
as Google ignores them), parsed in a thread; the crawl takes no gigabytes and stores every
report the rules in those 500 KiB allow."""

import re
import shutil
import sqlite3

from helpers import crawl_registry, expected_reports

from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

COPY_HOST = "www.shili-copy.gov.cn"
FORBIDDEN = "/xxgk/zfxxgknb/202401/t20240131_1006.html"  # one report, forbidden in the first line


def test_a_huge_robots_txt_is_read_up_to_500_kib(tmp_path):
    portal = tmp_path / "portal"
    shutil.copytree(SAMPLE_PORTAL, portal)
    filler = b"# " + b"x" * 97 + b"\n"
    with open(portal / "robots.txt", "wb") as robots:
        robots.write(f"User-agent: *\nDisallow: {FORBIDDEN}\n".encode())
        for _ in range(50 * 10_000):  # 50 MB of comments
            robots.write(filler)
        robots.write(b"Disallow: /\n")  # beyond the bound: ignored
    with FixtureServer(portal, host=COPY_HOST) as server:
        done = crawl_registry(
            [{"id": "sample", "start_urls": [f"{server.url}/xxgk/zfxxgknb/index.html"]}], tmp_path, "-v"
        )  # -v: Scrapy's log, with its stats
    expected = {entry["path"] for entry in expected_reports(SAMPLE_PORTAL)} - {FORBIDDEN}
    assert len(expected) == 12
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        stored = {url.replace(server.url, "") for (url,) in conn.execute("select url from reports")}
    assert stored == expected
    stats = done.stderr
    assert "'robotstxt/truncated': 1" in stats and "'robotstxt/forbidden': 1" in stats
    # growth during the crawl: Linux keeps ru_maxrss across fork and exec, so the crawl's own
    # figures start at the size of the process that started it (the test run's)
    peak, startup = (int(re.search(rf"'memusage/{key}': (\d+)", stats).group(1)) for key in ("max", "startup"))
    assert peak - startup < 300 * 2**20, (startup, peak)  # 2 GB more when the whole file was read


def test_the_bound_keeps_whole_lines_only():
    from crawler.middlewares.robots import whole_lines

    body = b"User-agent: *\nDisallow: /private/\nDisallow: /archive/\n"
    assert whole_lines(body, len(body)) == body
    assert whole_lines(body, body.index(b"/archive/") + 2) == b"User-agent: *\nDisallow: /private/\n"
