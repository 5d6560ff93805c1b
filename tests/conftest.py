import sys

import netns
import pytest
from helpers import SAMPLE_HOST, chromium, expected_reports, run_cli

UNIT = "unit"  # the mark of tests that need no network and no fixture portal (make test-fast)


def pytest_cmdline_main(config):
    """Run the whole session in the tests' own network (tests/netns.py), where fixture portals
    are reached by host name like real ones; a run of the unit tests alone (`-m unit`) needs
    none and stays where it is."""
    if not netns.inside() and config.getoption("markexpr") != UNIT:
        config.pluginmanager.getplugin("capturemanager").stop_global_capturing()
        netns.reexec(["--set-up", *sys.orig_argv])


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium (helpers.chromium), one for the test module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def sample_portal_expected():
    from govreports.fixture_server import SAMPLE_PORTAL

    return expected_reports(SAMPLE_PORTAL)


@pytest.fixture(scope="session")
def sample_crawl(tmp_path_factory):
    """The sample portal at its host name, crawled twice into one database with the production
    settings (the second crawl must change nothing). Yields (db path, output of each crawl, row
    counts after each)."""
    import sqlite3

    import yaml

    from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

    workdir = tmp_path_factory.mktemp("crawl")
    db_path = workdir / "archive.db"
    with FixtureServer(SAMPLE_PORTAL, host=SAMPLE_HOST) as server:
        registry = workdir / "portals.yaml"
        registry.write_text(
            yaml.safe_dump(
                [
                    {
                        "id": "sample_county",
                        "name": "示例县人民政府",
                        "level": "county",
                        "start_urls": [f"{server.url}/xxgk/zfxxgknb/index.html"],
                    }
                ],
                allow_unicode=True,
            )
        )
        outputs, counts = [], []
        for _ in range(2):
            done = run_cli("crawl", "--portals", str(registry), "--db", str(db_path))
            assert done.returncode == 0, done.stderr[-3000:]
            outputs.append(done.stdout)
            with sqlite3.connect(db_path) as conn:
                counts.append(
                    {
                        t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                        for t in ("reports", "facts", "checks", "fetches", "documents", "failures")
                    }
                )
    return {"db": db_path, "outputs": outputs, "counts": counts, "url": server.url}
