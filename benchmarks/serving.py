"""Serving under load: search latency (p50, p95) while 30 clients keep heavy queries
running, through `govreports serve` over HTTP, in the default mode and with `--public`.

    python benchmarks/serving.py [--reports 5000] [--seconds 30] [--clients 30]

Heavy queries: a recursive CTE (custom SQL, cut by Datasette's 1 s limit) and a filtered,
sorted scan of the facts table with its facets; each client sends them one after another
without pause. Measured meanwhile, one request at a time: the search page, search JSON, the
canned search with snippets, the table's own ?_search=, and the reports table as JSON, each kind in turn. Target: search p95 < 1 s under
the load with --public.
"""

import argparse
import collections
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storage_search import QUERIES, ingest, percentile  # noqa: E402

from devtools.fixture_site import free_port, wait_until_up  # noqa: E402

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


def fetch(url):
    """(HTTP status, seconds)."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError):
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


def measure(base, db, seconds):
    """Latencies (ms) and statuses of the measured requests, as one user sends them: each
    kind in turn for its share of `seconds`, one request at a time."""
    times, statuses = collections.defaultdict(list), collections.Counter()
    for label, template in MEASURED.items():
        deadline = time.time() + seconds / len(MEASURED)
        turn = 0
        while time.time() < deadline:
            status, took = fetch(base + template.format(db=db, q=urllib.parse.quote(QUERIES[turn % len(QUERIES)])))
            times[label].append(1000 * took)
            statuses[status] += 1
            turn += 1
    return times, statuses


def run_mode(db_path, public, clients, seconds):
    port = free_port()
    command = [sys.executable, "-m", "govreports.cli", "serve", "--db", str(db_path), "--port", str(port)]
    server = subprocess.Popen(
        command + (["--public"] if public else []), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base, db = f"http://127.0.0.1:{port}", Path(db_path).stem
    try:
        wait_until_up(base + "/", seconds=120)
        quiet, _ = measure(base, db, seconds / 3)
        stop = threading.Event()
        heavy_statuses = heavy_load(base, db, clients, stop)
        time.sleep(2)  # let the load build up
        loaded, statuses = measure(base, db, seconds)
        stop.set()  # heavy requests still running end with the server
        return quiet, loaded, statuses, dict(heavy_statuses)
    finally:
        server.kill()  # not terminate: uvicorn would first wait for every heavy request
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--seconds", type=float, default=30, help="measuring time under load, per mode")
    parser.add_argument("--clients", type=int, default=30, help="clients sending heavy queries")
    args = parser.parse_args()
    db_path = Path(args.db or f"/tmp/bench{args.reports}/archive.db")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if not db_path.exists():
        ingest(db_path, args.reports)
    print(f"reports: {args.reports:,}; {args.clients} clients sending heavy queries; cpu cores: {os.cpu_count()}")
    print(f"{'mode':<9}{'request':<28}{'quiet p50':>10}{'p95':>8}{'loaded n':>10}{'p50':>8}{'p95':>8}")
    for public in (False, True):
        mode = "public" if public else "default"
        quiet, loaded, statuses, heavy = run_mode(db_path, public, args.clients, args.seconds)
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


if __name__ == "__main__":
    main()
