"""What rendering a script-filled list costs (crawler/render.py): the api_form_county fixture
column (an empty list filled by a POST form API, three pager pages walked by clicking 下一页)
opened in headless Chromium with the crawl's own launch options, page script and blocking
rules, next to the floor of fetching the same page over plain HTTP. Prints the browser's start
(once per crawl), ms per rendered page (median, p95) and the memory of the browser's process
tree (PSS in MiB: started, while rendering, and its growth per page rendered).

    python benchmarks/render.py [--pages 30]
"""

import argparse
import asyncio
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import settings  # noqa: E402
from crawler.families.generic import NEXT_PAGE_TEXTS  # noqa: E402
from crawler.render import KEPT_PAGES_ID, SKIPPED_RESOURCES, WALK_PAGER  # noqa: E402
from govreports.fixture_server import FixtureServer  # noqa: E402

SITE = ROOT / "tests" / "fixtures" / "sites" / "api_form_county"
COLUMN = "/zwgk/ndbg/index.html"


def tree_rss_mib(pid):
    """Proportional resident memory (PSS: shared pages split among the processes sharing them)
    of a process and all its descendants, MiB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("Pss:")))
            todo += [
                int(c) for t in Path(f"/proc/{current}/task").iterdir() for c in (t / "children").read_text().split()
            ]
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total / 1024


def browser_pids():
    """The chromium processes this benchmark started (children of this process's tree)."""
    return [
        int(c)
        for t in Path(f"/proc/{Path('/proc/self').resolve().name}/task").iterdir()
        for c in (t / "children").read_text().split()
    ]


async def route(request_route):
    if request_route.request.resource_type in SKIPPED_RESOURCES:
        await request_route.abort()
    else:
        await request_route.continue_()


async def measure(url, pages):
    budget = settings.GOVREPORTS_RENDER_TIMEOUT * 1000
    arguments = [list(NEXT_PAGE_TEXTS), settings.GOVREPORTS_RENDER_PAGER_PAGES, budget, KEPT_PAGES_ID]
    before = sum(tree_rss_mib(p) for p in browser_pids())
    began = time.perf_counter()
    async with async_playwright() as playwright:
        driver_ms = (time.perf_counter() - began) * 1000
        driver = sum(tree_rss_mib(p) for p in browser_pids()) - before
        started = time.perf_counter()
        browser = await playwright.chromium.launch(**settings.PLAYWRIGHT_LAUNCH_OPTIONS)
        context = await browser.new_context()
        start_ms = (time.perf_counter() - started) * 1000
        idle = sum(tree_rss_mib(p) for p in browser_pids()) - before
        times, peak, links = [], idle, 0
        for _ in range(pages):
            began = time.perf_counter()
            page = await context.new_page()
            await page.route("**/*", route)
            await page.goto(url, wait_until="load", timeout=budget)
            await page.wait_for_load_state("networkidle", timeout=budget)
            await page.evaluate(WALK_PAGER, arguments)
            html = await page.content()
            times.append((time.perf_counter() - began) * 1000)
            peak = max(peak, sum(tree_rss_mib(p) for p in browser_pids()) - before)
            await page.close()
            links = html.count("<a href=")
        after = sum(tree_rss_mib(p) for p in browser_pids()) - before
        await browser.close()
    return (driver_ms, driver), start_ms, times, idle, peak, after, links


def floor_ms(url, pages):
    times = []
    for _ in range(pages):
        began = time.perf_counter()
        with urllib.request.urlopen(url) as answer:
            answer.read()
        times.append((time.perf_counter() - began) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    with FixtureServer(SITE) as server:
        url = server.url + COLUMN
        (driver_ms, driver), start_ms, times, idle, peak, after, links = asyncio.run(measure(url, args.pages))
        floor = floor_ms(url, args.pages)
    median, fetch = statistics.median(times), statistics.median(floor)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    print(f"playwright driver (started with the first page a crawl renders): {driver_ms:.0f} ms, {driver:.0f} MiB")
    print(f"browser start (on the first page a crawl renders): {start_ms:.0f} ms; {idle:.0f} MiB idle, driver included")
    print(f"rendered page (3 pager pages walked, {links} links in the DOM): median {median:.0f} ms, p95 {p95:.0f} ms")
    print(f"floor, the same page over plain HTTP: median {fetch:.2f} ms; rendering is {median / fetch:.0f}x the floor")
    print(
        f"browser memory: peak {peak:.0f} MiB while rendering; after {args.pages} pages {after:.0f} MiB, "
        f"{(after - idle) / args.pages:.2f} MiB per rendered page beyond the idle browser"
    )


if __name__ == "__main__":
    main()
