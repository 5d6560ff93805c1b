"""What the tests share: the fixture folders, running the command, crawling a fixture portal,
checking what a crawl stored. Fixtures (pytest's) stay in conftest.py."""

import contextlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout
FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTS = FIXTURES / "documents"
SAMPLE_HOST = "www.shili.gov.cn"


def golden_summary(result):
    """What a golden file freezes of one extraction."""
    return {
        "title": result["title"],
        "agency": result["agency"],
        "year": result["year"],
        "layout": result["layout"],
        "published": result["published"],
        "source_format": result["source_format"],
        "missing_tables": result["missing_tables"],
        "sections_present": [k for k, v in result["sections"].items() if v],
        "facts": sorted(
            f"{f['table']} {f['row']} {f['col']} = {f['value']!r} (raw {f['raw']!r})" for f in result["facts"]
        ),
        "checks": sorted(f"{c['rule']}: {c['status']}" for c in result["checks"]),
    }


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def expected_reports(folder):
    """The reports a fixture portal's expected.json lists (its one shape: reports,
    non_reports, columns and maybe failures; write_expected in scripts/fixturekit/portal.py)."""
    return load_json(Path(folder) / "expected.json")["reports"]


def run_cli(*args, timeout=600):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "govreports.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def site(folder):
    """A fixture portal folder's site.json: its host name and start URLs."""
    return load_json(Path(folder) / "site.json")


def crawl_registry(registry, workdir, *args):
    """`govreports crawl` over a registry (a list of portals) with the production settings."""
    import yaml

    path = workdir / "portals.yaml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True))
    done = run_cli("crawl", "--portals", str(path), "--db", str(workdir / "archive.db"), *args)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def crawl_fixture_portal(name, workdir):
    """Crawl tests/fixtures/portals/<name> (family detected) at its host name into workdir;
    (db path, server url)."""
    from govreports.fixture_server import FixtureServer

    folder = FIXTURES / "portals" / name
    with FixtureServer(folder, host=site(folder)["host"]) as server:
        crawl_registry([{"id": name, "start_urls": site(folder)["start_urls"]}], workdir)
    return workdir / "archive.db", server.url


def assert_portal_reports(name, db, base, attachment_format, attachment_facts):
    """Every report of the fixture portal's expected.json is stored under its path with its
    title and exact facts; the attachment-only report is read from its attachment; no failures."""
    import sqlite3

    expected = expected_reports(FIXTURES / "portals" / name)
    with sqlite3.connect(db) as conn:
        reports = {
            url.replace(base, ""): (rid, title, source)
            for rid, url, title, source in conn.execute("select id, url, title, source_format from reports")
        }
        assert set(reports) == {e["path"] for e in expected}
        for e in expected:
            rid, title, source = reports[e["path"]]
            assert title == e["title"]
            stored = {
                (t, r, c): v
                for t, r, c, v in conn.execute(
                    "select table_key, row_key, col_key, value from facts where report_id = ?", [rid]
                )
            }
            if e["facts"] is None:
                assert source == attachment_format and len(stored) == attachment_facts
            else:
                assert stored == {(f["table"], f["row"], f["col"]): f["value"] for f in e["facts"]}
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0


def datasette_get(db_path, path):
    """Datasette's answer to path over the database, with the project's metadata and plugin."""
    import asyncio

    import yaml
    from datasette.app import Datasette

    from govreports.serve import METADATA

    async def get():
        ds = Datasette([str(db_path)], metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")))
        return await ds.client.get(path, follow_redirects=True)

    return asyncio.run(get())


# Debian's chromium, as the browser tests start it (playwright with executable_path; no download)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium():
    """Debian's chromium, headless, driven by playwright for the length of a with block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def page_in_window(browser, width, height=900, **options):
    """A page of its own browser context, in a window `width` × `height` px (options: playwright's
    new_context, e.g. accept_downloads=True), closed at the end of the with block."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        yield context.new_page()
    finally:
        context.close()
