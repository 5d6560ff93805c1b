"""One fixture format for every fixture portal (the family portals under tests/fixtures/portals/,
the generalization corpus under tests/fixtures/sites/ and sites_heldout/, the bundled sample
portal): a site.json, raw files plus _headers.json, and an expected.json of one shape, written by
scripts/fixturekit/portal.py's write_expected. A portal without its expected.json, or with
another shape, fails here before any crawl test reads it."""

import pytest
from helpers import FIXTURES, load_json

pytestmark = pytest.mark.unit  # reads files only: make test-fast runs it

ROOT = FIXTURES.parent.parent
PORTALS = sorted(
    folder
    for kind in ("portals", "sites", "sites_heldout")
    for folder in (FIXTURES / kind).iterdir()
    if folder.is_dir()
)
SHAPE = {"reports", "non_reports", "columns"}


def served(folder):
    """The folder a portal is served from: its own, or the one its site.json names (`root`)."""
    declared = load_json(folder / "site.json")
    return ROOT / declared["root"] if "root" in declared else folder


@pytest.mark.parametrize("folder", PORTALS, ids=[f"{p.parent.name}/{p.name}" for p in PORTALS])
def test_every_fixture_portal_has_a_site_json_headers_and_an_expected_json_of_one_shape(folder):
    assert (folder / "site.json").is_file(), f"{folder}: no site.json"
    root = served(folder)
    assert (root / "_headers.json").is_file(), f"{root}: no _headers.json"
    assert (root / "expected.json").is_file(), f"{root}: no expected.json (fixturekit's write_expected)"
    expected = load_json(root / "expected.json")
    assert SHAPE <= set(expected) <= SHAPE | {"failures"}, sorted(expected)
    assert expected["reports"] or expected.get("failures"), "a portal expects reports, or the failure it gives"
    for report in expected["reports"]:
        assert {"path", "title", "facts"} <= set(report), report
    for item in expected["non_reports"]:
        assert set(item) == {"path", "title", "why"}, item
    assert all(isinstance(column, str) for column in expected["columns"])
    assert all("kind" in failure for failure in expected.get("failures", []))
