"""Storage and search at scale: ingest rate, database and index size per report, and
Chinese search / facet latency (p50, p95) through Datasette over HTTP.

    python benchmarks/storage_search.py --reports 100000 [--db /tmp/bench.db] [--queries 40]

Targets: ingest >= 1,000 reports/s; search p95 < 100 ms for the table search page and JSON.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import report_rows  # noqa: E402

from govreports import store  # noqa: E402
from govreports.fixture_server import free_port, wait_until_up  # noqa: E402

QUERIES = ["公开", "复议", "依申请公开", "政策解读", "2020年", "年", "行政诉讼", "示例1县财政局", "北京市", "网站 新媒体",
           "标准化规范化建设", "回应关切"]


def ingest(db_path, n, batch=500):
    db = store.open_db(db_path)
    generated = saved = 0.0
    rows = report_rows(n)
    done = 0
    while done < n:
        start = time.perf_counter()
        chunk = [next(rows) for _ in range(min(batch, n - done))]
        generated += time.perf_counter() - start
        start = time.perf_counter()
        store.save_reports(db, chunk)
        saved += time.perf_counter() - start
        done += len(chunk)
        print(f"\r  ingested {done}/{n}", end="", file=sys.stderr)
    print(file=sys.stderr)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return n / saved


def sizes(db_path, n):
    import sqlite3

    conn = sqlite3.connect(db_path)
    total = Path(db_path).stat().st_size
    try:
        fts = conn.execute("select sum(pgsize) from dbstat where name like 'reports_fts%'").fetchone()[0]
    except sqlite3.OperationalError:
        fts = None
    text = conn.execute("select sum(length(cast(text as blob))) from reports").fetchone()[0]
    conn.close()
    return total / n, (fts / n if fts else None), text / n


def latency(url, repeat, errors):
    """Milliseconds per request; a request Datasette refuses (its SQL time limit) counts in errors."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
        except urllib.error.HTTPError as error:
            errors.append(f"{error.code} {urllib.parse.unquote(url.split('?', 1)[-1])}")
        times.append(1000 * (time.perf_counter() - start))
    return times


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def search_latency(db_path, repeat):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "govreports.cli", "serve", "--db", str(db_path), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    name = Path(db_path).stem
    try:
        wait_until_up(base + "/-/versions.json", seconds=120)
        results, errors = {}, []
        for label, template in (("search page (HTML)", "/{db}/reports?_search={q}"),
                                ("search JSON", "/{db}/reports.json?_search={q}"),
                                ("canned search with snippet", "/{db}/search_reports.json?q={q}")):
            times = []
            for q in QUERIES:
                times += latency(base + template.format(db=name, q=urllib.parse.quote(q)), repeat, errors)
            results[label] = times
        results["facet page (year, layout)"] = latency(f"{base}/{name}/reports?_facet=year&_facet=layout", repeat,
                                                       errors)
        return results, errors
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=5, help="requests per query")
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run built")
    args = parser.parse_args()
    db_path = Path(args.db or f"/tmp/bench{args.reports}/archive.db")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"reports: {args.reports:,} (cpu cores: {os.cpu_count()})")
    if not (args.reuse and db_path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        rate = ingest(db_path, args.reports)
        print(f"ingest: {rate:,.0f} reports/s (target >= 1,000): {'met' if rate >= 1000 else 'NOT met'}")
    per_report, fts_per_report, text_per_report = sizes(db_path, args.reports)
    print(f"database: {per_report / 1024:.1f} KiB per report (text {text_per_report / 1024:.1f} KiB"
          + (f", search index {fts_per_report / 1024:.1f} KiB" if fts_per_report else "") + ")")
    print(f"{'request':<30}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}")
    results, errors = search_latency(db_path, args.repeat)
    for label, times in results.items():
        p95 = percentile(times, 95)
        flag = "" if "facet" in label else f"   target p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'}"
        print(f"{label:<30}{len(times):>6}{percentile(times, 50):>9.1f}{p95:>9.1f}{flag}")
    if errors:
        print(f"{len(errors)} requests refused by Datasette (its 1 s SQL time limit), e.g. {errors[0]}")


if __name__ == "__main__":
    main()

