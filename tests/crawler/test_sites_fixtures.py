"""The generalization-corpus portals (tests/fixtures/sites*, scripts/build_sites.py) are
consistent: every path their expectations name is served, every served file exists, hosts
are distinct and none is a host of the bundled registry."""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SITES = sorted(p for folder in ("sites", "sites_heldout") for p in (FIXTURES / folder).glob("*/site.json"))
REGISTRY = Path(__file__).resolve().parents[2] / "crawler" / "portals"
WHY = {"interpretation", "notice", "guide", "plan", "other_yearly", "toc"}


def load(site_json):
    """(site.json, expected.json, _headers.json) of a site; the entries of the other hosts its
    pages live on (hosts/<host>/) are named by full URL, as expected.json names them."""
    root = site_json.parent
    headers = json.loads((root / "_headers.json").read_text(encoding="utf-8"))
    for host in other_hosts(root):
        headers.update({f"http://{host.name}{key}": entry for key, entry in served_files(host).items()})
    return (
        json.loads(site_json.read_text(encoding="utf-8")),
        json.loads((root / "expected.json").read_text(encoding="utf-8")),
        headers,
    )


def other_hosts(root):
    return sorted(p.parent for p in root.glob("hosts/*/site.json"))


def served_files(root):
    return json.loads((root / "_headers.json").read_text(encoding="utf-8"))


def served_key(url):
    """The _headers.json key a request for url is answered from (as fixture_server does)."""
    parts = urlsplit(url)
    return unquote(parts.path) + (f"?{unquote(parts.query)}" if parts.query else "")


def test_there_are_nineteen_portals_seven_held_back():
    assert len(SITES) == 19
    assert sum(1 for s in SITES if s.parent.parent.name == "sites_heldout") == 7


def test_hosts_are_distinct_and_not_in_the_registry():
    hosts = [load(s)[0]["host"] for s in SITES] + [p.name for s in SITES for p in other_hosts(s.parent)]
    assert len(set(hosts)) == len(hosts)
    # a registry URL's host: "http://www.moe.gov.cn/…" -> www.moe.gov.cn
    registry_text = "".join(path.read_text(encoding="utf-8") for path in REGISTRY.glob("*.yaml"))
    registry_hosts = set(re.findall(r"https?://([^/\s\"']+)", registry_text))
    assert not set(hosts) & registry_hosts
    for host in hosts:
        assert re.fullmatch(r"[a-z0-9.-]+\.gov\.cn", host), host


@pytest.mark.parametrize("site_json", SITES, ids=lambda p: p.parent.name)
def test_every_expected_path_is_served(site_json):
    site, expected, headers = load(site_json)
    assert site["start_urls"] and site["seen_at"] and site["structures"]
    for url in site["start_urls"]:
        assert urlsplit(url).netloc == site["host"]
        assert served_key(url) in headers, url
    for report in expected["reports"]:
        for path in [report["path"], *report.get("also_at", []), *filter(None, [report.get("attachment")])]:
            assert path in headers, path
        if "href" in report:
            assert served_key(report["href"]) == report["path"]
        assert 2015 <= report["year"] <= 2024 and report["title"]
    for item in expected["non_reports"]:
        assert item["path"] in headers and item["why"] in WHY, item
    for column in expected["columns"]:  # a column linked as "/gkmlpt/index#2411": its page is served
        assert column.split("#")[0] in headers, column
    reports = {r["path"] for r in expected["reports"]} | {p for r in expected["reports"] for p in r.get("also_at", [])}
    assert not reports & {n["path"] for n in expected["non_reports"]}
    assert len(reports) == len(expected["reports"]) + sum(len(r.get("also_at", [])) for r in expected["reports"])


@pytest.mark.parametrize("site_json", SITES, ids=lambda p: p.parent.name)
def test_every_served_file_exists(site_json):
    for root in [site_json.parent, *other_hosts(site_json.parent)]:
        for key, entry in served_files(root).items():
            name = entry.get("file", key.split("?")[0] if "?" not in key else None)
            assert name, key
            assert (root / name.lstrip("/")).is_file(), key
            assert entry["headers"]["Content-Type"]


@pytest.mark.parametrize("site_json", SITES, ids=lambda p: p.parent.name)
def test_report_facts_are_complete_tables(site_json):
    _, expected, _ = load(site_json)
    layouts = set()
    for report in expected["reports"]:
        if report["facts"] is None:
            continue
        tables = {f["table"] for f in report["facts"]}
        assert tables == {"t2", "t3", "t4"}, report["path"]
        layouts.add(report["layout"])
    assert layouts or expected.get("failures"), "no report with tables"
