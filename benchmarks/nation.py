"""A simulated nation: up to 1,000 generated portals, each a copy of one of the fixture sites
(tests/fixtures/sites*, every family and structure) under a host name of its own on the tests'
network (tests/netns.py), answering after a realistic delay (100-300 ms per response). About 5%
are not healthy: dead hosts (the name resolves, nothing listens), slow hosts (2-3 s per
response) and hosts behind a script challenge (HTTP 521, a short script page and a cookie).

Each portal is crawled from its home page, by name, with the production settings (crawler/
settings), all portals in one run, as `govreports crawl` runs a registry. Printed: reports found /
expected (of the reachable portals), how the unreachable ones are recorded, requests per
second, peak memory (RSS of the crawl process), wall time, at two sizes (memory against portal
count); then bare Scrapy over the same portals with the same politeness (throughput ratio), a
second (incremental) crawl of the smaller size, and the projected time of a first crawl and of
a daily incremental pass of the whole registry (crawler/portals/) on one machine.

    python benchmarks/nation.py [--sizes 250 1000] [--no-delay]

Targets: 100% of the reachable portals' reports; peak memory not growing with portal count
beyond the frontier; throughput >= 0.5x bare Scrapy.
"""

import argparse
import collections
import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from functools import cache, lru_cache, partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # the checkout's packages before tests/ (tests/storage … would shadow them)

import netns  # noqa: E402
from netns import NATION_PORTALS, nation_dead, nation_host  # noqa: E402

from crawler.registry import load_registry  # noqa: E402
from govreports.fixture_server import LoopbackServer, QuietHandler  # noqa: E402

# Sites whose lists only the browser fills: rendering costs ~1.7 s a page, measured apart
# (benchmarks/render.py), and the nation's server answers GET alone (their lists come by POST)
RENDERED_SITES = {"api_form_county", "api_json_city", "vue_shell_district"}


def nation_template(folder):
    """A fixture site the nation can copy: served from one host (no platform under hosts/), with
    reports to find (not a challenge site: the nation has challenged hosts of its own), and read
    without the browser."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return not (folder / "hosts").exists() and not expected.get("failures") and folder.name not in RENDERED_SITES


TEMPLATES = sorted(
    p.parent
    for folder in ("sites", "sites_heldout")
    for p in (ROOT / "tests/fixtures").glob(f"{folder}/*/site.json")
    if nation_template(p.parent)
)
CHALLENGE_PAGE = (
    b"<html><head><script>var _0x=['cookie'];document.cookie='__jsl_clearance=1607;path=/';"
    b"location.href=location.pathname+location.search</script></head><body></body></html>"
)


def portal_kind(i):
    """ok, dead (~2%, netns.nation_dead), slow (~1.5%) or challenge (~1.5%)."""
    if nation_dead(i):
        return "dead"
    if i % 67 == 11:
        return "slow"
    if i % 67 == 41:
        return "challenge"
    return "ok"


def template(i):
    return TEMPLATES[i % len(TEMPLATES)]


@cache
def template_site(folder):
    """(site.json, _headers.json, expected.json) of a fixture site."""
    return tuple(
        json.loads((folder / name).read_text(encoding="utf-8"))
        for name in ("site.json", "_headers.json", "expected.json")
    )


@lru_cache(maxsize=4096)
def template_file(folder, name):
    return (folder / name.lstrip("/")).read_bytes()


def registry(portals):
    """The registry entries of the portals numbered `portals`: home page only, family as a registry says."""
    entries = []
    for i in portals:
        site = template_site(template(i))[0]
        entry = {"id": f"nation_{i:04d}", "name": f"第{i}县人民政府", "start_urls": [f"http://{nation_host(i)}/"]}
        if site.get("family"):
            entry["family"] = site["family"]
        entries.append(entry)
    return entries


class NationHosts(QuietHandler):
    """Every served host of the nation, by its Host header: a copy of its template site with the
    template's host name replaced by its own."""

    def __init__(self, *args, delay, **kwargs):
        self.delay = delay
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self.server.received.append(None)  # counted: list.append is atomic
        host = (self.headers.get("Host") or "").split(":")[0]
        index = int(host[1:5]) if host.startswith("n") and host[1:5].isdigit() else -1
        if not 0 <= index < NATION_PORTALS:
            return self.answer(404, {}, b"")
        kind = portal_kind(index)
        if self.delay:
            seed = random.Random(f"{host}{self.path}")
            time.sleep(seed.uniform(2.0, 3.0) if kind == "slow" else seed.uniform(0.1, 0.3))
        if kind == "challenge":
            return self.answer(
                521, {"Content-Type": "text/html", "Set-Cookie": "__jsluid_h=5e1f; path=/"}, CHALLENGE_PAGE
            )
        folder = template(index)
        site, manifest, _ = template_site(folder)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        entry = manifest.get(f"{path}?{unquote(parts.query)}" if parts.query else None) or manifest.get(path)
        if entry is None:
            return self.answer(404, {"Content-Type": "text/html"}, b"<html><body>404</body></html>")
        name = entry.get("file", path)
        if name.endswith("/"):
            return self.answer(404, {"Content-Type": "text/html"}, b"<html><body>404</body></html>")
        body = template_file(folder, name).replace(site["host"].encode(), host.encode())
        headers = {k: v.replace(site["host"], host) for k, v in entry.get("headers", {}).items()}
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, {"ETag": etag}, b"")
        self.answer(entry.get("status", 200), {**headers, "ETag": etag}, body)


class Nation:
    """The served hosts on port 80 of the nation's address (the dead ones have nothing listening)."""

    def __init__(self, delay=True):
        self.server = LoopbackServer(partial(NationHosts, delay=delay), host=nation_host(0))

    def __enter__(self):
        self.server.__enter__()
        return self

    def requests(self):
        """Requests answered so far (every served host, robots.txt included)."""
        return len(self.server.httpd.received)

    def __exit__(self, *exc):
        self.server.__exit__(*exc)


def host_of(url):
    return urlsplit(url).hostname


def stored_path(url):
    """The path of a stored URL as the fixture server reads it (expected.json names files by it)."""
    parts = urlsplit(url)
    return unquote(parts.path + (f"?{parts.query}" if parts.query else ""))


def score(db_path, portals, extracted=True):
    """Of the portals numbered `portals`: {'found', 'expected', 'missed': {template: n},
    'non_reports', 'extra' (reports stored beyond the expected ones: duplicates),
    'failures': {dead/challenge: {failure kinds: portals}}}. Not `extracted`: a report counts
    as found when its pages were fetched and archived (the documents extraction reads)."""
    with sqlite3.connect(db_path) as conn:
        urls = collections.defaultdict(dict)  # host -> {path: report id}
        stored = "select report_id, url from report_urls" if extracted else "select url, url from documents"
        for report_id, url in conn.execute(stored):
            urls[host_of(url)][stored_path(url)] = report_id
        reports_of = collections.Counter(host_of(url) for (url,) in conn.execute("select url from report_rows"))
        failed = collections.defaultdict(set)
        for portal_id, kind in conn.execute("select portal_id, kind from failures"):
            failed[portal_id].add(kind)
    found = expected = non_reports = extra = 0
    missed = collections.Counter()
    recorded = collections.defaultdict(collections.Counter)
    for i in portals:
        kind = portal_kind(i)
        if kind in ("dead", "challenge"):
            recorded[kind][",".join(sorted(failed[f"nation_{i:04d}"])) or "nothing recorded"] += 1
            continue
        stored, reports = urls[nation_host(i)], template_site(template(i))[2]
        ids = set()
        for report in reports["reports"]:
            expected += 1
            first = stored.get(report["path"])
            also = [stored.get(p) for p in report.get("also_at", [])]
            if first is not None and all(other == first or (not extracted and other) for other in also):
                found += 1
                ids.add(first)
            else:
                missed[template(i).name] += 1
        non_reports += sum(1 for n in reports["non_reports"] if n["path"] in stored)
        extra += reports_of[nation_host(i)] - len(ids) if extracted else 0
    return {
        "found": found,
        "expected": expected,
        "missed": dict(missed),
        "non_reports": non_reports,
        "extra": extra,
        "failures": recorded,
    }


def measured(command):
    """(wall s, stdout) of one child process (which prints its own peak RSS)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return time.perf_counter() - start, done.stdout


CRAWL = """
import json, resource, sys, time
from crawler.registry import load_registry
from crawler.run import run_crawl
from govreports.extraction import extract_pending

start = time.perf_counter()
health = run_crawl(load_registry(sys.argv[1]), sys.argv[2], overrides={"LOG_LEVEL": "ERROR"})
crawled = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[3] == "extract":
    extract_pending(sys.argv[2])
print(json.dumps({"crawl": crawled - start, "extract": time.perf_counter() - crawled, "rss": rss}))
"""


def crawl(nation, registry_path, db_path, extract=True):
    """govreports' crawl of the registry with the production settings, then (if `extract`)
    extraction, in a child process: (crawl wall s, peak RSS MiB of the crawl, requests
    answered, extraction wall s)."""
    before = nation.requests()
    step = "extract" if extract else "crawl only"
    _, out = measured([sys.executable, "-c", CRAWL, str(registry_path), str(db_path), step])
    done = json.loads(out.strip().splitlines()[-1])
    return done["crawl"], done["rss"] / 1024, nation.requests() - before, done["extract"]


BARE_SPIDER = """
import json, resource, sys, scrapy
from urllib.parse import urlsplit
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = json.load(open(sys.argv[1]))
    def parse(self, response):
        if not hasattr(response, "css"):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).hostname == urlsplit(response.url).hostname:
                yield scrapy.Request(url, callback=self.parse)

settings = json.loads(sys.argv[2])
process = CrawlerProcess({**settings, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False})
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
print(json.dumps({"responses": crawler.stats.get_value("response_received_count", 0),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
POLITENESS = (
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_DELAY_JITTER",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "DOWNLOAD_TIMEOUT",
    "RETRY_TIMES",
    "ROBOTSTXT_OBEY",
    "USER_AGENT",
)


def bare_crawl(work, entries):
    """Bare Scrapy with the production politeness over the same home pages, following every
    same-host link: (wall s, peak RSS MiB, responses)."""
    from crawler import settings as production

    (work / "bare.py").write_text(BARE_SPIDER)
    (work / "starts.json").write_text(json.dumps([e["start_urls"][0] for e in entries]))
    polite = json.dumps({name: getattr(production, name) for name in POLITENESS})
    wall, out = measured([sys.executable, str(work / "bare.py"), str(work / "starts.json"), polite])
    done = json.loads(out.strip().splitlines()[-1])
    return wall, done["rss"] / 1024, done["responses"]


def registry_size():
    return len(load_registry(ROOT / "crawler" / "portals"))


def duration(seconds):
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def main():
    if not netns.inside():
        netns.reexec(["--set-up", sys.executable, *sys.argv])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, NATION_PORTALS])
    parser.add_argument(
        "--extract-up-to", type=int, default=NATION_PORTALS, help="extract (and score reports) at sizes up to this"
    )
    parser.add_argument("--incremental", type=int, default=100, help="portals of the largest size crawled again")
    parser.add_argument("--no-delay", action="store_true", help="answer at once (no 100-300 ms per response)")
    parser.add_argument("--no-bare", action="store_true", help="skip bare Scrapy")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govreports-nation-"))
    sizes = sorted(args.sizes)
    runs = {}
    print(f"templates: {len(TEMPLATES)} fixture sites ({', '.join(t.name for t in TEMPLATES)})")
    print(
        f"{'portals':>8}{'found/expected':>16}{'non-rep/dup':>12}{'requests':>9}{'req/s':>7}{'wall':>8}{'peak MiB':>9}"
    )
    with Nation(delay=not args.no_delay) as nation:
        for size in sizes:
            (work / f"portals-{size}.yaml").write_text(yaml.safe_dump(registry(range(size)), allow_unicode=True))
            db = work / f"nation-{size}" / "archive.db"
            db.parent.mkdir()
            extracted = size <= args.extract_up_to
            wall, rss, requests, extract = crawl(nation, work / f"portals-{size}.yaml", db, extracted)
            result = score(db, range(size), extracted)
            runs[size] = (wall, rss, requests)
            print(
                f"{size:>8}{result['found']:>9}/{result['expected']:<6}{result['non_reports']:>4}/{result['extra']:<3}"
                f"{requests:>9}{requests / wall:>7.1f}{wall:>7.0f}s{rss:>9.0f}   "
                + (f"(then extraction {extract:.0f} s)" if extracted else "(not extracted: found = pages archived)")
            )
            if result["missed"]:
                print(f"         missed reports by template: {result['missed']}")
            for kind, recorded in result["failures"].items():
                print(f"         {kind} hosts recorded as: {dict(recorded)}")
        largest, again = sizes[-1], min(args.incremental, sizes[-1])
        (work / "again.yaml").write_text(yaml.safe_dump(registry(range(again)), allow_unicode=True))
        inc_wall, inc_rss, inc_requests, _ = crawl(
            nation, work / "again.yaml", work / f"nation-{largest}" / "archive.db", False
        )
        print(
            f"incremental: {again} portals crawled again: {inc_requests} requests, {inc_wall:.0f} s, peak {inc_rss:.0f} MiB"
        )
        if not args.no_bare:
            before = nation.requests()
            bare_wall, bare_rss, _ = bare_crawl(work, registry(range(largest)))
            bare_responses = nation.requests() - before
            full_wall, _, full_requests = runs[largest]
            ratio = (full_requests / full_wall) / (bare_responses / bare_wall)
            print(
                f"bare Scrapy, same politeness, {largest} portals: {bare_responses} responses, "
                f"{bare_responses / bare_wall:.1f} req/s, {bare_wall:.0f} s, peak {bare_rss:.0f} MiB"
            )
            print(f"throughput: {ratio:.2f}x bare Scrapy (target >= 0.5x): {'met' if ratio >= 0.5 else 'NOT met'}")
    wall, rss, requests = runs[largest]
    entries = registry_size()
    if len(sizes) > 1:
        small = sizes[0]
        print(
            f"memory: {runs[small][1]:.0f} MiB at {small} portals, {rss:.0f} MiB at {largest} "
            f"({rss / runs[small][1]:.2f}x for {largest / small:.0f}x the portals)"
        )
    print(
        f"projection for the registry's {entries:,} portals on one machine, at {largest / wall * 3600:.0f} portals/h "
        f"({requests / largest:.0f} requests per portal): first crawl {duration(wall / largest * entries)}, "
        f"daily incremental pass {duration(inc_wall / again * entries)} ({inc_requests / again:.0f} requests per portal)"
    )


if __name__ == "__main__":
    main()
