"""One crawl over a registry holding every family's fixture portal: every report found, no
non-report stored, no report twice; big5 gateway links fold into their originals."""

import sqlite3
from contextlib import ExitStack

import yaml
from conftest import FIXTURES, crawl_registry, load_json, run_cli, site

from crawler.families import FAMILIES
from crawler.families.generic import canonical_url
from govreports.fixture_server import FixtureServer

ROOT = FIXTURES.parent.parent

PORTALS = tuple(name for name in FAMILIES if name != "generic")  # every registered family but the fallback


def served(name):
    """The folder a family's fixture portal is served from (its site.json may point elsewhere)."""
    declared = site(FIXTURES / "portals" / name)
    return ROOT / declared["root"] if "root" in declared else FIXTURES / "portals" / name


def serve_every_family(stack):
    """{family: server} of every family's fixture portal, each at its own host name."""
    return {
        name: stack.enter_context(FixtureServer(served(name), host=site(FIXTURES / "portals" / name)["host"]))
        for name in PORTALS
    }


def start_urls(name):
    return site(FIXTURES / "portals" / name)["start_urls"]


def test_every_registered_family_has_a_fixture_portal_with_expected_results():
    for name in PORTALS:
        assert (FIXTURES / "portals" / name / "site.json").is_file(), f"family {name}: no fixture portal"
        assert load_json(served(name) / "expected.json"), f"family {name}: no expected reports"


def test_big5_gateway_links_are_the_original():
    assert (
        canonical_url(
            "https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html"
        )
        == "https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html"
    )
    assert canonical_url("http://x.gov.cn/a/t1.html") == "http://x.gov.cn/a/t1.html"


def test_one_crawl_over_every_family(tmp_path):
    with ExitStack() as stack:
        serve_every_family(stack)
        done = crawl_registry([{"id": name, "start_urls": start_urls(name)} for name in PORTALS], tmp_path)
    expected = {name: len(load_json(served(name) / "expected.json")) for name in PORTALS}
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        found = dict(conn.execute("select portal_id, count(*) from reports group by portal_id").fetchall())
        assert found == expected  # every report of every family, none twice
        # (portals here publish reports built from the same seed documents, so titles repeat)
        assert conn.execute("select count(*) - count(distinct url) from reports").fetchone()[0] == 0
        titles = [t for (t,) in conn.execute("select title from reports")]
        assert not [t for t in titles if any(w in t for w in ("通知", "图解", "指南"))]
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
    for line in done.stdout.splitlines()[1 : len(PORTALS) + 1]:
        assert "FAILING" not in line


def test_portals_check_says_which_respond_and_look_like_their_family(tmp_path):
    with ExitStack() as stack:
        servers = serve_every_family(stack)
        registry = [{"id": name, "family": name, "start_urls": start_urls(name)} for name in PORTALS]
        registry.append(
            {"id": "mislabelled", "family": "trs", "start_urls": [start_urls("hanweb")[0] + "?from=registry"]}
        )
        registry.append({"id": "gone", "start_urls": [servers["vsb"].url + "/nope.htm"]})
        (tmp_path / "portals.yaml").write_text(yaml.safe_dump(registry))
        done = run_cli(
            *("portals", "check", "--portals", str(tmp_path / "portals.yaml")),
            *("--db", str(tmp_path / "archive.db"), "--csv", str(tmp_path / "checks.csv")),
        )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:]}
    for name in PORTALS:  # answers, looks like its family, leads to reports or columns
        assert lines[name][1:4] == ["ok", name, "ok"], lines[name]
    assert "trs: looks like hanweb" in " ".join(lines["mislabelled"])
    assert lines["gone"][1] == "FAILED"
    with sqlite3.connect(tmp_path / "archive.db") as conn:  # a check archives nothing, keeps its findings
        assert conn.execute("select count(*) from fetches").fetchone()[0] == 0
        assert conn.execute("select count(*) from documents").fetchone()[0] == 0
        assert conn.execute("select count(*) from portal_checks").fetchone()[0] == len(registry)
    assert not (tmp_path / "warcs").exists()
