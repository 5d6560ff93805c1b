"""The comparison page and the Atom feeds at scale (issue 24): p50/p95 of
/archive/-/compare (HTML and JSON) and of each feed (new reports: all, by region, by agency,
by a search; changes; removals), in-process through Datasette's own ASGI client, at two
sizes of one archive (it grows from the first to the second), next to a floor measured in
the same run (the comparison page with no report asked: Datasette, the plugin and the
template, no query). 1% of the reports are changed after publication (a new version: new
sources, two cells and the text) and 0.5% removed, through storage's own functions. Then
EXPLAIN QUERY PLAN of each statement: each reads through an index or walks a table in its
key order (newest first) and stops at its limit.

    python benchmarks/changes_feeds.py [--sizes 10000 100000] [--db /tmp/bench-changes/archive.db] [--repeat 60]
    python benchmarks/changes_feeds.py --reuse --db /tmp/bench-changes/archive.db   # measure an archive again

Target: p95 < 200 ms for each page at 100,000 reports, not growing with the archive.
"""

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # this checkout's govreports

import yaml  # noqa: E402
from datasette.app import Datasette  # noqa: E402
from storage_search import ingest, percentile, prepared_variants  # noqa: E402

from govreports.serve import METADATA  # noqa: E402
from storage import changes, queries, reports, schema  # noqa: E402

TARGET_MS = 200
CHANGED_SHARE, REMOVED_SHARE = 0.01, 0.005


def change_some(db_path, start, end, seed):
    """New versions of 1% of the reports start..end-1 (new sources, two cells, the text) and
    removals of 0.5%, as the re-check would record them."""
    rng = random.Random(seed)
    changed = set(rng.sample(range(start, end), int((end - start) * CHANGED_SHARE)))
    db = schema.open_db(db_path)
    batch = []
    for i, (row, facts, checks) in enumerate(prepared_variants(end, start=start), start):
        if i not in changed:
            continue
        plain, marked = row["fact_rows"]
        row = {
            **row,
            "source_hashes": f"changed{i}",
            "prepared_hash": f"changed{i}",
            "text": row["text"] + "（更正）",
            "fact_rows": ([(key, value + 1 if n < 2 else value) for n, (key, value) in enumerate(plain)], marked),
        }
        batch.append((row, facts, checks))
    reports.save_reports(db, batch)
    urls = [f"http://bench.gov.cn/t{i}.html" for i in rng.sample(range(start, end), int((end - start) * REMOVED_SHARE))]
    with db.conn:
        for url in urls:
            changes.record_removal(db, url, "http_404")
    db.close()
    return len(changed), len(urls)


def paths(db_path, rng):
    """(label, [paths]): pairs of reports, and feeds narrowed by a region, an agency, a word."""
    db = schema.open_db(db_path)
    count = db.execute("select max(num) from report_rows").fetchone()[0]
    picked = [
        db.execute("select id, agency, region from report_rows where num = ?", [rng.randint(1, count)]).fetchone()
        for _ in range(40)
    ]
    db.close()
    pairs = [(a[0], b[0]) for a, b in zip(picked, picked[1:])]
    return [
        ("floor: compare page, no report asked", ["/archive/-/compare"]),
        ("compare (HTML)", [f"/archive/-/compare?a={a}&b={b}" for a, b in pairs]),
        ("compare (JSON)", [f"/archive/-/compare.json?a={a}&b={b}" for a, b in pairs]),
        ("feed: new reports", ["/archive/-/feeds/reports.atom"]),
        ("feed: new reports of a region", [f"/archive/-/feeds/reports.atom?region={p[2]}" for p in picked]),
        ("feed: new reports of an agency", [f"/archive/-/feeds/reports.atom?agency={p[1]}" for p in picked]),
        (
            "feed: new reports of a search",
            ["/archive/-/feeds/reports.atom?q=复议", "/archive/-/feeds/reports.atom?q=公开"],
        ),
        ("feed: changes", ["/archive/-/feeds/changes.atom"]),
        ("feed: removals", ["/archive/-/feeds/removals.atom"]),
    ]


async def measure(db_path, groups, repeat):
    """{label: [ms]}: each group's paths in turn, `repeat` requests each group, after one warm-up
    request per path."""
    ds = Datasette([str(db_path)], metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")))
    timings = {}
    for label, group in groups:
        for path in group:
            assert (await ds.client.get(path)).status_code == 200, path
        times = []
        for n in range(repeat):
            began = time.perf_counter()
            response = await ds.client.get(group[n % len(group)])
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        timings[label] = times
    return timings


def plans(db_path):
    """(statement, its query plan lines) of what the pages run."""
    db = schema.open_db(db_path)
    region, agency, portal, rid = db.execute("select region, agency, portal_id, id from report_rows limit 1").fetchone()
    statements = [
        (changes.COMPARED_REPORT, [rid]),
        (changes.FACTS_OF_REPORT_BY_CELL, [rid]),
        (changes.PREVIOUS_YEAR_REPORT, [agency, portal, 2021]),
        (*queries.search_hits("", {}, 50),),
        (*queries.search_hits("", {"region": region}, 50),),
        (*queries.search_hits("", {"agency": agency}, 50),),
        (*queries.search_hits("复议", {}, 50),),
        (changes.new_report_rows(3), [1, 2, 3]),
        (changes.LATEST_CHANGES, {"limit": 50}),
        (changes.LATEST_REMOVALS, {"limit": 50}),
    ]
    found = [(sql, [r[-1] for r in db.execute("explain query plan " + sql, params)]) for sql, params in statements]
    db.close()
    return found


def grow_and_measure(db_path, sizes, repeat, rng):
    """{size: {label: [ms]}}: a new archive grown to each size in turn, changed and measured."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    results, done = {}, 0
    for size in sizes:
        ingest(db_path, size)
        changed, removed = change_some(db_path, done, size, seed=size)
        done = size
        print(f"{size:,} reports: {changed:,} changed after publication, {removed:,} removed", file=sys.stderr)
        results[size] = asyncio.run(measure(db_path, paths(db_path, rng), repeat))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", default="/tmp/bench-changes/archive.db")
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="measure the archive at --db as it is, at its size")
    args = parser.parse_args()
    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(24)
    if args.reuse:
        db = schema.open_db(db_path)
        args.sizes = [db.execute("select count(*) from report_rows").fetchone()[0]]
        db.close()
        results = {args.sizes[0]: asyncio.run(measure(db_path, paths(db_path, rng), args.repeat))}
    else:
        results = grow_and_measure(db_path, args.sizes, args.repeat, rng)
    largest = args.sizes[-1]
    print(f"\n| page | {' | '.join(f'p50 / p95 ms at {s:,}' for s in args.sizes)} | target p95 at {largest:,} |")
    print(f"|---|{'---|' * len(args.sizes)}---|")
    for label in results[largest]:
        cells = [
            f"{percentile(results[s][label], 50):.1f} / {percentile(results[s][label], 95):.1f}" for s in args.sizes
        ]
        p95 = percentile(results[largest][label], 95)
        verdict = "" if label.startswith("floor") else f"< {TARGET_MS}: {'met' if p95 < TARGET_MS else 'NOT met'}"
        print(f"| {label} | {' | '.join(cells)} | {verdict} |")
    print("\nquery plans:")
    for sql, plan in plans(db_path):
        print(f"  {' '.join(sql.split())[:110]}")
        for line in plan:
            print(f"      {line}")


if __name__ == "__main__":
    main()
