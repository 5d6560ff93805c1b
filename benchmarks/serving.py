"""Serving under load: search latency (p50, p95) while 30 clients keep heavy queries
running, through `govreports serve` over HTTP, in the default mode and with `--public`;
then the home page and a heavy page while clients abuse the server (a stalled stream, a
compression bomb).

    python benchmarks/serving.py [--reports 5000] [--seconds 30] [--clients 30]
        [--scenario heavy|abuse|both] [--code CHECKOUT]

--code runs the server from another checkout (its govreports, storage and crawler), to
compare the code before a change with the code after it on the same database.

Heavy queries: a recursive CTE (custom SQL, cut by Datasette's 1 s limit) and a filtered,
sorted scan of the facts table with its facets; each client sends them one after another
without pause. Measured meanwhile, one request at a time: the search page, search JSON, the
canned search with snippets, the table's own ?_search=, and the reports table as JSON, each kind in turn. Target: search p95 < 1 s under
the load with --public.

Abuse (issue 28): the home page and a reports page with a facet (the heavy lane), quiet and
then while STALLED_CLIENTS clients have asked for the reports table as a CSV stream and stopped
reading, and BOMB_CLIENTS clients ask, one after another, for an archived capture that
inflates to 400 MiB from 400 KB (added to the database's archive once). Target: the home
page's p95 under abuse at most 2x its quiet p95.
"""

import argparse
import collections
import gzip
import http.client
import os
import re
import socket
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "scripts"))  # fixturekit: not in the wheel

from storage_search import QUERIES, ingest, percentile  # noqa: E402

from fixturekit.captures import archive_capture  # noqa: E402
from fixturekit.fixture_site import ServedArchive  # noqa: E402

RECURSIVE_CTE = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
HEAVY = [
    "/{db}.json?sql=" + urllib.parse.quote(RECURSIVE_CTE),
    "/{db}/facts.json?raw__contains=9&_sort=raw&_facet=row_key&_facet=col_key",
]
MEASURED = {
    "search page /-/search (HTML)": "/-/search?q={q}",
    "search /-/search.json": "/-/search.json?q={q}",
    "table search (HTML)": "/{db}/reports?_search={q}",
    "table search JSON": "/{db}/reports.json?_search={q}",
    "canned search with snippet": "/{db}/search_reports.json?q={q}",
    "reports.json (no search)": "/{db}/reports.json?_size=10",
}
# the search the UI offers (its search boxes lead to /-/search) and the canned one; the
# table's own ?_search= is kept for links and the API and measured beside them
SEARCHES = ("search page /-/search (HTML)", "search /-/search.json", "canned search with snippet")
ABUSE_MEASURED = {"home page /": "/", "reports with a facet (heavy)": "/{db}/reports?_facet=region&_size=10"}
STALLED = "/{db}/reports.csv?_stream=on&_size=max"
STALLED_CLIENTS = 2
BOMB_CLIENTS = 2
BOMB_URL = "http://bomb.invalid/report.html"
BOMB_SIZE = 400 * 2**20


def fetch(url):
    """(HTTP status, seconds)."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        status = "error"
    return status, time.perf_counter() - start


def heavy_load(base, db, clients, stop):
    """Threads that send heavy queries until stop is set; their statuses are counted."""
    statuses = collections.Counter()

    def client(number):
        while not stop.is_set():
            status, _ = fetch(base + HEAVY[number % len(HEAVY)].format(db=db))
            statuses[status] += 1

    for number in range(clients):
        threading.Thread(target=client, args=(number,), daemon=True).start()
    return statuses


def measure(base, db, seconds, measured=MEASURED):
    """Latencies (ms) and statuses of the measured requests, as one user sends them: each
    kind in turn for its share of `seconds`, one request at a time."""
    times, statuses = collections.defaultdict(list), collections.Counter()
    for label, template in measured.items():
        deadline = time.time() + seconds / len(measured)
        turn = 0
        while time.time() < deadline:
            status, took = fetch(base + template.format(db=db, q=urllib.parse.quote(QUERIES[turn % len(QUERIES)])))
            times[label].append(1000 * took)
            statuses[status] += 1
            turn += 1
    return times, statuses


def bomb_capture(db_path):
    """The capture number of a compression bomb in the database's archive, archived as a crawl
    archives a body it refused as too large; added the first time."""
    with sqlite3.connect(db_path) as conn:
        found = conn.execute("select rowid from fetches where url = ?", [BOMB_URL]).fetchone()
    if found:
        return found[0]
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    return archive_capture(db_path, BOMB_URL, headers, gzip.compress(bytes(BOMB_SIZE), 9))


def stalled_clients(base, path, count):
    """Sockets that asked for path and read nothing of the answer."""
    host, port = base.removeprefix("http://").split(":")
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((host, int(port)))
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        sockets.append(sock)
    return sockets


def bomb_load(base, db, rowid, clients, stop):
    """Threads that ask for the bomb capture until stop is set; their statuses are counted."""
    statuses = collections.Counter()

    def client():
        while not stop.is_set():
            status, _ = fetch(f"{base}/{db}/-/capture/{rowid}")
            statuses[status] += 1

    for _ in range(clients):
        threading.Thread(target=client, daemon=True).start()
    return statuses


def served(db_path, public, code):
    """`govreports serve` of db_path (public: with --public) from the checkout `code`, up once
    its home page answers; killed at the end, not terminated: uvicorn would first wait for
    every heavy request."""
    return ServedArchive(db_path, *(["--public"] if public else []), up="/", seconds=120, code=code, kill=True)


def run_mode(db_path, public, clients, seconds, code=None):
    db = Path(db_path).stem
    with served(db_path, public, code) as server:
        base = server.url
        quiet, _ = measure(base, db, seconds / 3)
        stop = threading.Event()
        heavy_statuses = heavy_load(base, db, clients, stop)
        time.sleep(2)  # let the load build up
        loaded, statuses = measure(base, db, seconds)
        stop.set()  # heavy requests still running end with the server
        return quiet, loaded, statuses, dict(heavy_statuses)


def run_abuse(db_path, public, seconds, code=None):
    """The home page and a heavy page, quiet and then with stalled streams and bomb requests."""
    bomb = bomb_capture(db_path)
    db = Path(db_path).stem
    sockets = []
    with served(db_path, public, code) as server:
        base = server.url
        try:
            quiet, _ = measure(base, db, seconds / 2, ABUSE_MEASURED)
            sockets = stalled_clients(base, STALLED.format(db=db), STALLED_CLIENTS)
            stop = threading.Event()
            bomb_statuses = bomb_load(base, db, bomb, BOMB_CLIENTS, stop)
            time.sleep(2)  # the streams fill the sockets' buffers and stall
            abused, statuses = measure(base, db, seconds, ABUSE_MEASURED)
            stop.set()
            return quiet, abused, statuses, dict(bomb_statuses), peak_memory_mib(server.process.pid)
        finally:
            for sock in sockets:
                sock.close()


def peak_memory_mib(pid):
    """The process's peak resident memory (VmHWM), in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def print_heavy(db_path, args):
    print(f"{'mode':<9}{'request':<28}{'quiet p50':>10}{'p95':>8}{'loaded n':>10}{'p50':>8}{'p95':>8}")
    for public in (False, True):
        mode = "public" if public else "default"
        quiet, loaded, statuses, heavy = run_mode(db_path, public, args.clients, args.seconds, args.code)
        for label in MEASURED:
            p95 = percentile(loaded[label], 95)
            verdict = ""
            if public and label in SEARCHES:
                verdict = f"   target p95 < 1000 ms: {'met' if p95 < 1000 else 'NOT met'}"
            print(
                f"{mode:<9}{label:<28}{percentile(quiet[label], 50):>10.0f}{percentile(quiet[label], 95):>8.0f}"
                f"{len(loaded[label]):>10}{percentile(loaded[label], 50):>8.0f}{p95:>8.0f}{verdict}"
            )
        print(f"{'':<9}measured requests' statuses under load: {dict(statuses)}; heavy queries' statuses: {heavy}")


def print_abuse(db_path, args):
    print(
        f"abuse: {STALLED_CLIENTS} stalled CSV streams, {BOMB_CLIENTS} clients asking for a capture that "
        f"inflates to {BOMB_SIZE // 2**20} MiB"
    )
    print(f"{'mode':<9}{'request':<30}{'quiet p50':>10}{'p95':>8}{'abused n':>10}{'p50':>8}{'p95':>8}{'p95 ratio':>10}")
    for public in (False, True):
        mode = "public" if public else "default"
        quiet, abused, statuses, bomb, peak = run_abuse(db_path, public, args.seconds, args.code)
        for label in ABUSE_MEASURED:
            ratio = percentile(abused[label], 95) / percentile(quiet[label], 95)
            verdict = f"   target <= 2x: {'met' if ratio <= 2 else 'NOT met'}" if label == "home page /" else ""
            print(
                f"{mode:<9}{label:<30}{percentile(quiet[label], 50):>10.0f}{percentile(quiet[label], 95):>8.0f}"
                f"{len(abused[label]):>10}{percentile(abused[label], 50):>8.0f}"
                f"{percentile(abused[label], 95):>8.0f}{ratio:>9.1f}x{verdict}"
            )
        print(
            f"{'':<9}measured requests' statuses under abuse: {dict(statuses)}; bomb requests' statuses: {bomb}; "
            f"server's peak memory: {peak:.0f} MiB"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--seconds", type=float, default=30, help="measuring time under load, per mode")
    parser.add_argument("--clients", type=int, default=30, help="clients sending heavy queries")
    parser.add_argument("--scenario", choices=("heavy", "abuse", "both"), default="both")
    parser.add_argument("--code", default=None, help="run the server from this checkout")
    args = parser.parse_args()
    db_path = Path(args.db or f"/tmp/bench{args.reports}/archive.db")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if not db_path.exists():
        ingest(db_path, args.reports)
    print(f"reports: {args.reports:,}; cpu cores: {os.cpu_count()}; server code: {args.code or 'this checkout'}")
    if args.scenario in ("heavy", "both"):
        print(f"{args.clients} clients sending heavy queries")
        print_heavy(db_path, args)
    if args.scenario in ("abuse", "both"):
        print_abuse(db_path, args)


if __name__ == "__main__":
    main()
