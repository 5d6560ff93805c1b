"""Storage and search at scale: ingest rate, database and index size per report, and
Chinese search / facet latency (p50, p95) through Datasette over HTTP.

    python benchmarks/storage_search.py --reports 100000 [--db /tmp/bench.db] [--queries 40]
    python benchmarks/storage_search.py --reports 100000 --reuse --search-only  # each search option (issue 25)

Targets: ingest >= 1,000 reports/s; search p95 < 100 ms for the table search page and JSON.
"""

import argparse
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # this checkout's govreports
sys.path.insert(2, str(Path(__file__).resolve().parent.parent / "scripts"))  # fixturekit: not in the wheel

from datasette.utils import tilde_encode  # noqa: E402
from generate import report_variants  # noqa: E402

from fixturekit.fixture_site import ServedArchive  # noqa: E402
from govreports.datasette_plugin import BIG_VIEW_PAGE_RE  # noqa: E402
from storage import migrations, reports, schema  # noqa: E402
from storage.search import index_text  # noqa: E402

QUERIES = [
    "公开",
    "复议",
    "依申请公开",
    "政策解读",
    "2020年",
    "年",
    "行政诉讼",
    "示例1县财政局",
    "北京市",
    "网站 新媒体",
    "标准化规范化建设",
    "回应关切",
]


def prepared_variants(n, distinct=2000, start=0):
    """Reports ready for the writer, as the extraction workers hand them over (reports.prepare:
    content hash, Han bigrams, fact rows). Each base report is prepared once; a variant gets
    the bigrams of its own title and agency, its base's text bigrams and fact rows, and a
    content hash made unique by its id (preparing every one of a million reports in full
    would take this shared 2-core machine longer than storing them)."""
    prepared = {}
    for base, row, facts, checks in islice(report_variants(n, distinct), start, None):
        if base not in prepared:
            prepared[base] = reports.prepare(dict(row), facts, checks)
        first = prepared[base]
        row["prepared_hash"] = hashlib.sha256(f"{first['prepared_hash']}|{row['id']}".encode()).hexdigest()
        row["search"] = (index_text(row["title"]), index_text(row["agency"]), first["search"][2])
        row["fact_rows"] = first["fact_rows"]
        yield row, facts, checks


def ingest(db_path, n, batch=500, copy_at=()):
    """Prepared reports written in batches by one process (the single writer, as in a
    crawl); at each count in copy_at the database is copied to /tmp/bench<count>/ for a
    later --reuse run. A database already holding some of the n reports (an interrupted
    run) is continued. Returns (writer rate, wall-clock rate) in reports/s of this run."""
    migrations.migrate(db_path)
    db = schema.open_db(db_path)
    saved = 0.0
    began = time.perf_counter()
    start = db.execute("select count(*) from report_rows").fetchone()[0]
    if start:
        print(f"  continuing after {start:,} reports", file=sys.stderr)
    rows = prepared_variants(n, start=start)
    for done in range(start, n, batch):
        chunk = list(islice(rows, batch))
        writing = time.perf_counter()
        reports.save_reports(db, chunk)
        saved += time.perf_counter() - writing
        print(f"\r  ingested {done + len(chunk)}/{n}", end="", file=sys.stderr)
        if done + len(chunk) in copy_at:
            copy_database(db, done + len(chunk))
    print(file=sys.stderr)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return (n - start) / saved, (n - start) / (time.perf_counter() - began)


def copy_database(db, count):
    target = Path(f"/tmp/bench{count}/archive.db")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    db.execute("VACUUM INTO ?", [str(target)])
    print(f"\n  copied at {count:,} reports to {target}", file=sys.stderr)


def sizes(db_path, n):
    import sqlite3

    conn = sqlite3.connect(db_path)
    total = Path(db_path).stat().st_size
    try:
        fts = conn.execute("select sum(pgsize) from dbstat where name like 'reports_fts%'").fetchone()[0]
    except sqlite3.OperationalError:
        fts = None
    text = conn.execute("select sum(length(cast(text as blob))) from report_texts").fetchone()[0]
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


def requests_to_time(db_path):
    """(label, target p95 ms or None, [paths]) for every page the UI offers by default, and
    the searches and canned queries the issue names."""
    import sqlite3

    name = Path(db_path).stem  # Datasette names a database after its file
    with sqlite3.connect(db_path) as conn:
        ids = [row[0] for row in conn.execute("select id from report_rows order by num desc limit 10")]
    quoted = [urllib.parse.quote(q) for q in QUERIES]
    return (
        [
            ("search page /-/search (HTML, facets shown)", 100, [f"/-/search?q={q}" for q in quoted]),
            ("search /-/search.json", 100, [f"/-/search.json?q={q}" for q in quoted]),
            ("search page filtered (year=2022)", 100, [f"/-/search?q={q}&year=2022" for q in quoted]),
            ("reports page, default facets (no search)", 100, [f"/{name}/reports"]),
            (
                "reports page filtered (year, layout facets)",
                100,
                [f"/{name}/reports?year=2022", f"/{name}/reports?year=2022&layout=2021"],
            ),
            ("report page", 100, [f"/{name}/reports/{rid}" for rid in ids]),
            ("charts", 200, ["/-/charts"]),
            ("Datasette table search ?_search= (HTML)", None, [f"/{name}/reports?_search={q}" for q in quoted]),
            ("Datasette table search ?_search= (JSON)", None, [f"/{name}/reports.json?_search={q}" for q in quoted]),
            (
                "Datasette column facets ?_facet=year&_facet=layout",
                None,
                [f"/{name}/reports?_facet=year&_facet=layout"],
            ),
        ]
        + [
            (f"canned {name}", 200, [f"/{name}/{name}.json?{args}"])
            for name, args in (
                ("search_reports", "q=%E5%A4%8D%E8%AE%AE"),
                ("failing_checks", ""),
                ("missing_reports", "year=2022"),
                ("late_reports", ""),
                ("top_agencies_by_applications", "year="),
                ("outcome_mix_by_year", ""),
                ("appeals_corrected_rate", ""),
                ("report_tables", f"id={ids[0]}"),
            )
        ]
        + [
            ("wide view page", None, [f"/{name}/report_cells"]),
        ]
    )


# Queries in the search syntax (docs/search.md): 、 ， and spaces are AND, OR, NOT / -word, a quoted phrase
SYNTAX_QUERIES = [
    "依申请公开、复议",
    "依申请公开，政策解读",
    "复议 OR 诉讼",
    "政策解读 OR 示例1县财政局",
    "公开 -复议",
    "复议 NOT 诉讼",
    '"行政 复议"',
    "网站 新媒体 -政策解读",
]
# Filters few matches pass (the slow case of issue 25: every match is walked) and queries
# that find nothing (the page then offers hints)
SPARSE_FILTERED = ["q=2020年&year=2022", "q=2019年&year=2024", "q=示例1县财政局&year=2022", "q=2021年&year=2019"]
NO_HITS = ["量子计算", "示例1县财政局 量子", "2020年 -年"]


def search_option_requests(db_path):
    """(label, target p95 ms, [paths]) for each option of the search page (issue 25)."""
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        last = conn.execute("select max(num) from report_rows").fetchone()[0]
    quoted = [urllib.parse.quote(q) for q in QUERIES]
    return [
        ("floor: Datasette /-/versions.json", None, ["/-/versions.json"]),
        ("search, newest first (HTML)", 100, [f"/-/search?q={q}" for q in quoted]),
        ("search sorted by report year (HTML)", 100, [f"/-/search?q={q}&sort=year" for q in quoted]),
        ("search sorted by relevance (HTML)", 100, [f"/-/search?q={q}&sort=relevance" for q in quoted]),
        ("search, year sort, page 5", 100, [f"/-/search?q={q}&sort=year&page=5" for q in quoted]),
        ("search, newest, an older page (before=)", 100, [f"/-/search?q={q}&before={last // 2}" for q in quoted]),
        ("search, newest, a newer page (after=)", 100, [f"/-/search?q={q}&after={last // 2}" for q in quoted]),
        ("search filtered (year=2022)", 100, [f"/-/search?q={q}&year=2022" for q in quoted]),
        (
            "search filtered, year sort (year=2022, layout=2021)",
            100,
            [f"/-/search?q={q}&year=2022&layout=2021&sort=year" for q in quoted],
        ),
        (
            "search filtered, few matches pass",
            100,
            [
                "/-/search?"
                + "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in (a.split("=") for a in args.split("&")))
                for args in SPARSE_FILTERED
            ],
        ),
        (
            'search syntax (、 ， OR NOT -word "phrase")',
            100,
            [f"/-/search?q={urllib.parse.quote(q)}" for q in SYNTAX_QUERIES],
        ),
        (
            "search syntax, sorted by relevance",
            100,
            [f"/-/search?q={urllib.parse.quote(q)}&sort=relevance" for q in SYNTAX_QUERIES],
        ),
        ("search, no hits (hints shown)", 100, [f"/-/search?q={urllib.parse.quote(q)}" for q in NO_HITS]),
        ("search JSON", 100, [f"/-/search.json?q={q}" for q in quoted]),
    ]


def get_json(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def pages_offered(base, name):
    """Every table and view page the database page links to, and for each configured facet
    the page filtered by its first value (the links the UI offers by default)."""
    database = get_json(f"{base}/{name}.json")
    names = [t["name"] for t in database["tables"] if not t["hidden"]] + [v["name"] for v in database["views"]]
    pages = [f"/{name}"] + [f"/{name}/{tilde_encode(table)}" for table in names]
    for page in list(pages[1:]):
        page_json = get_json(base + page + ".json")
        for facet_name, facet in page_json.get("facet_results", {}).items():
            if facet["results"]:
                pages.append(page + "?" + urllib.parse.urlencode({facet_name: facet["results"][0]["value"]}))
    return pages


def time_limit_walk(base, name):
    """(path, ms, what ran into Datasette's time limit) for every page the UI offers: a
    count that was started and stopped (the page then shows no total) or a facet timed out.
    The big views are counted only for one report, by design (datasette_plugin)."""
    walked = []
    for page in pages_offered(base, name):
        path, _, query = page.partition("?")
        start = time.perf_counter()
        try:
            data = get_json(f"{base}{path}.json" + (f"?{query}" if query else ""))
        except urllib.error.HTTPError as error:
            walked.append((page, 1000 * (time.perf_counter() - start), [f"HTTP {error.code}"]))
            continue
        ms = 1000 * (time.perf_counter() - start)
        hit = [f"facet {name}" for name in data.get("facets_timed_out", [])]
        skipped = BIG_VIEW_PAGE_RE.match(path) and "report_id" not in query
        if data.get("filtered_table_rows_count") is None and not skipped and "rows" in data:
            hit.append("count")
        walked.append((page, ms, hit))
    return walked


def cpu_seconds(pid):
    """CPU time (user + system) a process has used: a figure other processes on the machine
    do not inflate, unlike the wall clock."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def search_latency(db_path, repeat, search_only=False):
    """{label: (target, [ms], server CPU ms a request)} over HTTP through `govreports serve`, the refused requests,
    and the time-limit walk over every page offered (search_only: each option of the search
    page, no walk)."""
    with ServedArchive(db_path, seconds=300) as server:
        results, errors = {}, []
        for label, target, paths in search_option_requests(db_path) if search_only else requests_to_time(db_path):
            cpu = cpu_seconds(server.process.pid)
            times = [t for path in paths for t in latency(server.url + path, repeat, errors)]
            results[label] = (target, times, 1000 * (cpu_seconds(server.process.pid) - cpu) / len(times))
        return results, errors, [] if search_only else time_limit_walk(server.url, Path(db_path).stem)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=5, help="requests per query")
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run built")
    parser.add_argument(
        "--copy-at",
        type=int,
        action="append",
        default=[],
        help="copy the database when this many reports are in (to /tmp/bench<N>/)",
    )
    parser.add_argument("--resume", action="store_true", help="continue an interrupted ingest into --db")
    parser.add_argument("--no-sizes", action="store_true", help="skip the size count (minutes at a million)")
    parser.add_argument("--ingest-only", action="store_true", help="stop after ingest and sizes")
    parser.add_argument(
        "--search-only", action="store_true", help="time each option of the search page only (with --reuse)"
    )
    args = parser.parse_args()
    db_path = Path(args.db or f"/tmp/bench{args.reports}/archive.db")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"reports: {args.reports:,} (cpu cores: {os.cpu_count()})")
    if args.resume or not (args.reuse and db_path.exists()):
        for suffix in ("", "-wal", "-shm") if not args.resume else ():
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        rate, wall = ingest(db_path, args.reports, copy_at=set(args.copy_at))
        print(
            f"ingest (writer): {rate:,.0f} reports/s (target >= 1,000): {'met' if rate >= 1000 else 'NOT met'}; "
            f"wall clock with generation: {wall:,.0f} reports/s"
        )
    if not args.no_sizes:
        per_report, fts_per_report, text_per_report = sizes(db_path, args.reports)
        beyond = (per_report - text_per_report) / 1024
        print(
            f"database: {per_report / 1024:.1f} KiB per report (text {text_per_report / 1024:.1f} KiB"
            + (f", search index {fts_per_report / 1024:.1f} KiB" if fts_per_report else "")
            + f"); beyond the text {beyond:.1f} KiB (target <= 25): {'met' if beyond <= 25 else 'NOT met'}"
        )
    if args.ingest_only:
        return
    if args.search_only:
        return print_latency(*search_latency(db_path, args.repeat, search_only=True))
    start = time.perf_counter()
    migrations.migrate(db_path)
    print(f"migrations (if any) applied in {time.perf_counter() - start:.1f} s")
    db = schema.open_db(db_path)
    start = time.perf_counter()
    reports.refresh_cross_year_checks(db)
    print(f"end of a run: cross-year checks recomputed in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    reports.refresh_summaries(db)
    db.close()
    print(f"end of a run: summaries rebuilt in {time.perf_counter() - start:.1f} s")
    print_latency(*search_latency(db_path, args.repeat))


def print_latency(results, errors, walked):
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'request':<52}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'cpu ms':>8}")
    for label, (target, times, cpu) in results.items():
        p95 = percentile(times, 95)
        flag = f"   target p95 < {target} ms: {'met' if p95 < target else 'NOT met'}" if target else ""
        print(f"{label:<52}{len(times):>5}{percentile(times, 50):>9.1f}{p95:>9.1f}{cpu:>8.1f}{flag}")
    for error in errors:
        print(f"refused (HTTP 400 is Datasette's 1 s SQL time limit): {error}")
    if not walked:
        return
    print(f"every page the UI offers ({len(walked)}), once each, JSON:")
    for page, ms, hit in walked:
        print(f"  {urllib.parse.unquote(page):<60}{ms:>9.1f} ms" + (f"   TIME LIMIT: {', '.join(hit)}" if hit else ""))
    print(f"pages that ran into the time limit: {sum(1 for *_, hit in walked if hit)} of {len(walked)}")


if __name__ == "__main__":
    main()
