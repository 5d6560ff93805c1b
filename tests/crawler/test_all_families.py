"""One crawl over a registry holding every family's fixture portal: every report found, no
non-report stored, no report twice; big5 gateway links fold into their originals."""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, crawl_registry, expected_reports, load_json, run_cli, site

from crawler.families import FAMILIES
from crawler.families.generic import DOCUMENT_URL_RE, GenericFamily, canonical_url, is_document_url
from crawler.families.trs import TrsFamily
from govreports.fixture_server import FixtureServer

ROOT = FIXTURES.parent.parent

PORTALS = tuple(name for name in FAMILIES if name != "generic")  # every registered family but the fallback


def served(name, root=ROOT):
    """The folder a family's fixture portal is served from (its site.json may point elsewhere)."""
    folder = root / "tests" / "fixtures" / "portals" / name
    declared = site(folder)
    return root / declared["root"] if "root" in declared else folder


def fixture_problems(name, root=ROOT):
    """What the family's fixture portal under the checkout at root lacks: [] when it has a
    site.json and an expected.json listing reports."""
    if not (root / "tests" / "fixtures" / "portals" / name / "site.json").is_file():
        return [f"family {name}: no fixture portal (tests/fixtures/portals/{name}/site.json)"]
    expected = served(name, root) / "expected.json"
    if not expected.is_file() or not load_json(expected)["reports"]:
        return [f"family {name}: no expected reports ({expected.relative_to(root)})"]
    return []


def serve_every_family(stack):
    """{family: server} of every family's fixture portal, each at its own host name."""
    return {
        name: stack.enter_context(FixtureServer(served(name), host=site(FIXTURES / "portals" / name)["host"]))
        for name in PORTALS
    }


def start_urls(name):
    return site(FIXTURES / "portals" / name)["start_urls"]


def test_every_registered_family_has_a_fixture_portal_with_expected_results():
    assert [problem for name in PORTALS for problem in fixture_problems(name)] == []


@pytest.mark.parametrize(
    "family,url",
    [
        ("trs", "http://x.gov.cn/xxgk/zfxxgknb/t20240115_3001.html"),
        ("hanweb", "http://x.gov.cn/art/2024/1/21/art_90231_60351.html"),
        ("gkmlpt", "http://x.gov.cn/gkmlpt/content/0/963/post_963149.html"),
        ("vsb", "http://x.gov.cn/info/1667/53878.htm"),
        ("jeecms", "http://x.gov.cn/jdbsc/24971296.jhtml"),
    ],
)
def test_a_cms_document_url_shape_is_declared_by_its_family_and_counts_everywhere(family, url):
    assert FAMILIES[family].detail_url_re.search(url)
    assert not DOCUMENT_URL_RE.search(url)  # the generic code does not know it
    assert is_document_url(url)  # yet a link there is never a column, on any portal


def test_a_family_class_must_declare_a_name_of_its_own():
    with pytest.raises(TypeError, match="must declare its own `name`"):

        class TrsVariant(TrsFamily):  # would replace trs in the registry of families
            detection_order = 35

    with pytest.raises(TypeError, match="'trs' is taken by TrsFamily"):

        class OtherTrs(GenericFamily):
            name = "trs"

    assert type(GenericFamily.registered["trs"]) is TrsFamily


# Run in a fresh interpreter, so that the generated family registers there and not here:
# {"name": its registered name, "problems": the meta-test's findings on the generated checkout}
GENERATED_CHECK = """
import importlib.util, json, sys
from pathlib import Path
root, name, here, tests = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sys.path[:0] = [here, tests]
from test_all_families import fixture_problems
from crawler.families.generic import GenericFamily
path = root / "crawler" / "families" / f"{name}.py"
spec = importlib.util.spec_from_file_location(f"crawler.families.{name}", path)
spec.loader.exec_module(importlib.util.module_from_spec(spec))
print(json.dumps({"name": GenericFamily.registered[name].name, "problems": fixture_problems(name, root)}))
"""


def check_generated(root, name):
    here = Path(__file__).resolve().parent
    command = [sys.executable, "-c", GENERATED_CHECK, str(root), name, str(here), str(here.parent)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def run(*command, **kwargs):
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=300, **kwargs)


def test_new_family_writes_a_family_the_meta_test_holds_to_its_fixture(tmp_path):
    generate = (sys.executable, ROOT / "scripts" / "new_family.py", "example_cms", "--root", tmp_path)
    done = run(*generate)
    assert done.returncode == 0, done.stderr
    written = [
        "crawler/families/example_cms.py",
        "tests/fixtures/portals/example_cms/site.json",
        "scripts/build_example_cms_fixture.py",
        "tests/crawler/test_family_example_cms.py",
    ]
    assert all((tmp_path / path).is_file() for path in written)
    lint = run(sys.executable, "-m", "ruff", "check", "--config", ROOT / "pyproject.toml", tmp_path)
    assert lint.returncode == 0, lint.stdout
    # the module imports and registers its family; the meta-test finds no expected reports
    assert check_generated(tmp_path, "example_cms") == {
        "name": "example_cms",
        "problems": ["family example_cms: no expected reports (tests/fixtures/portals/example_cms/expected.json)"],
    }
    # its fixture builder fills the portal (pages, their headers, expected.json): nothing is missing
    build = run(
        sys.executable,
        tmp_path / "scripts" / "build_example_cms_fixture.py",
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "scripts")])},  # fixturekit
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert check_generated(tmp_path, "example_cms")["problems"] == []
    assert len(expected_reports(tmp_path / "tests" / "fixtures" / "portals" / "example_cms")) == 3
    # a name taken is refused, and nothing is overwritten
    again = run(*generate)
    assert again.returncode == 2 and "is taken" in again.stderr


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
    expected = {name: len(expected_reports(served(name))) for name in PORTALS}
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
