"""What /-/charts costs at the scale of the nation: the summaries it reads (chart_totals,
from fact_totals by reports.refill_chart_totals, and report_counts) filled as a million
reports would fill them, for every portal of the bundled
registry (its region and level) and every year, then the page through Datasette in process,
unfiltered and with each filter, p50/p95 next to the floor (Datasette's /-/versions.json, no
query).

    python benchmarks/charts.py [--years 2019-2025] [--requests 30]

The summaries' size does not grow with the reports, only with regions × levels × years ×
summed cells, so this measures the largest page the charts will have. The floor is
/-/versions.json (Datasette in process, no query)."""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from datasette.app import Datasette

from crawler.registry import load_registry
from govreports.serve import METADATA
from storage import migrations, reports, schema

FILTERS = ["", "?region=江苏省", "?level=county", "?year=2023", "?region=江苏省&level=county&year=2023"]


def fill_summaries(path, years):
    """fact_totals and report_counts rows for every (region, level) of the registry and year."""
    db = schema.open_db(path)
    places = sorted({(p.get("region") or "未知", p.get("level") or "county") for p in load_registry()})
    cells = [
        row[0]
        for row in db.execute(
            f"select id from fact_cells where {reports.SUMMED_CELLS}"  # the cells refresh_summaries sums
        )
    ]
    rng = random.Random(1)
    totals = (
        {"year": year, "region": region, "level": level, "cell": cell, "reports": 30, "total": rng.randint(0, 900)}
        for year in years
        for region, level in places
        for cell in cells
    )
    db["fact_totals"].insert_all(totals, batch_size=10_000)
    counts = (
        {"year": year, "region": region, "level": level, "layout": "2021", "check_status": "pass", "reports": 30}
        for year in years
        for region, level in places
    )
    db["report_counts"].insert_all(counts, batch_size=10_000)
    start = time.perf_counter()
    with db.conn:
        reports.refill_chart_totals(db)
    refill_seconds = time.perf_counter() - start
    rows = db["fact_totals"].count, db["chart_totals"].count
    db.close()
    return len(places), rows, refill_seconds


async def timings(path, paths, requests):
    ds = Datasette([str(path)], metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")))
    await ds.invoke_startup()
    found = {}
    for page in paths:
        await ds.client.get(page)  # warm
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = await ds.client.get(page)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (page, response.status_code)
        times.sort()
        found[page] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", default="2019-2025")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    first, last = map(int, args.years.split("-"))
    path = Path(tempfile.mkdtemp()) / "archive.db"
    migrations.migrate(path)
    places, (fact_rows, chart_rows), refill_seconds = fill_summaries(path, range(first, last + 1))
    print(
        f"summaries: {places:,} regions × levels, {last - first + 1} years: fact_totals {fact_rows:,} rows,"
        f" chart_totals {chart_rows:,} rows (made from fact_totals in {refill_seconds:.1f} s)"
    )
    pages = ["/-/versions.json"] + [f"/-/charts{query}" for query in FILTERS]
    for page, (p50, p95) in asyncio.run(timings(path, pages, args.requests)).items():
        print(f"{page:55} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
