"""Crawl throughput: pages per second over a generated portal with the full govreports
pipeline (name resolution and address policy, family parsing, column discovery, WARC
archive, fetch rows, documents), next to bare Scrapy fetching the same pages with no
pipeline, with CPU time and peak memory of each; then extraction of everything crawled
across all cores. Both reach the portal by host name, in the tests' own network
(tests/netns.py), as they would reach a real portal.

    python benchmarks/crawl.py [--reports 2000]

Target: full pipeline >= 0.5x bare Scrapy's pages per second.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # the checkout's packages before tests/ (tests/storage … would shadow them)

import netns  # noqa: E402
from generate import write_portal  # noqa: E402

from govreports.fixture_server import FixtureServer  # noqa: E402

BARE_SPIDER = """
import re, sys, scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1]]
    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
        match = re.search(r"createPageHTML\\((\\d+)", response.text) if b"<html" in response.body[:200] else None
        if match:
            for i in range(1, int(match.group(1))):
                yield response.follow(f"index_{i}.html", callback=self.parse)

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
                          "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False})
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
print(crawler.stats.get_value("response_received_count"))
"""


def run(command):
    """Run a command; (seconds, CPU seconds, peak RSS MiB, stdout) of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, done.stdout


HOST = "www.bench-portal.gov.cn"  # one of tests/netns.py's portal names


def main():
    if not netns.inside():
        netns.reexec(["--set-up", sys.executable, *sys.argv])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govreports-crawl-bench-"))
    write_portal(work / "portal", args.reports)
    with FixtureServer(work / "portal", host=HOST) as server:
        start = f"{server.url}/col/index.html"
        (work / "bare.py").write_text(BARE_SPIDER)
        bare_wall, bare_cpu, bare_rss, out = run([sys.executable, str(work / "bare.py"), start])
        pages = int(out.strip().splitlines()[-1])
        (work / "portals.yaml").write_text(yaml.safe_dump([{"id": "bench", "family": "trs", "start_urls": [start]}]))
        settings = "crawler.settings.bench"
        full_wall, full_cpu, full_rss, out = run(
            [
                sys.executable,
                "-c",
                "import sys; from crawler.run import run_crawl; from crawler.registry import load_registry; "
                f"h = run_crawl(load_registry('{work / 'portals.yaml'}'), '{work / 'archive.db'}', '{settings}'); "
                "import json; print(json.dumps(h))",
            ]
        )
        health = json.loads(out.strip().splitlines()[-1])["bench"]
        full_pages = (
            health.get("list_pages", 0) + health.get("detail_fetched", 0) + health.get("attachments_fetched", 0)
        )
    ex_wall, ex_cpu, ex_rss, out = run(
        [sys.executable, "-m", "govreports.cli", "reextract", "--db", str(work / "archive.db")]
    )
    ratio = (full_pages / full_wall) / (pages / bare_wall)
    print(f"portal: {args.reports:,} reports at {HOST} ({pages:,} responses for bare Scrapy)")
    print(f"{'run':<34}{'pages':>7}{'pages/s':>9}{'CPU s':>8}{'peak MiB':>10}")
    print(f"{'bare Scrapy, no pipeline':<34}{pages:>7}{pages / bare_wall:>9.0f}{bare_cpu:>8.1f}{bare_rss:>10.0f}")
    print(
        f"{'govreports crawl (WARC, DB, parse)':<34}{full_pages:>7}{full_pages / full_wall:>9.0f}{full_cpu:>8.1f}{full_rss:>10.0f}"
    )
    print(f"ratio: {ratio:.2f}x bare Scrapy (target >= 0.5x): {'met' if ratio >= 0.5 else 'NOT met'}")
    print(
        f"extraction of {health.get('reports', 0):,} reports on all cores: {ex_wall:.1f} s "
        f"({health.get('reports', 0) / ex_wall:.0f} reports/s, CPU {ex_cpu:.0f} s) -- {out.strip().splitlines()[-1]}"
    )


if __name__ == "__main__":
    main()
