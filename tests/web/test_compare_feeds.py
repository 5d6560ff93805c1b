"""The comparison of two reports and the Atom feeds of new, changed and removed reports,
served by Datasette over an archive written through storage's own functions: two years of
one agency (a change of the second year after publication, a removal of another report) and
a report of another agency."""

import asyncio
import random
import re

import pytest
import yaml
from datasette.app import Datasette
from lxml import etree, html

from fixturekit import synthetic
from govreports.atom import ATOM_NS
from govreports.public import lane_of, public_metadata
from govreports.serve import METADATA
from storage import changes, reports, schema
from storage.migrations import migrate

pytestmark = pytest.mark.unit
NS = {"a": ATOM_NS}
AGENCY, OTHER = "示例县财政局", "示例市教育局"


def report(rid, agency, year, region, facts, source="v1", text="全年收到申请8件。"):
    row = {
        "id": rid,
        "url": f"http://www.example.gov.cn/{rid}.html",
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "agency": agency,
        "year": year,
        "layout": "2021",
        "published": f"{year + 1}-01-20",
        "portal_id": "example",
        "source_format": "html",
        "source_url": f"http://www.example.gov.cn/{rid}.html",
        "region": region,
        "level": "county",
        "sections": "{}",
        "facts_count": len(facts),
        "checks_failed": 0,
        "check_status": "pass",
        "source_hashes": source,
        "extractor_version": "test",
        "text": text,
    }
    return row, [{"table": t, "row": r, "col": c, "value": v, "raw": str(v)} for (t, r, c), v in facts.items()], []


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """archive.db: r2021 and r2022 of AGENCY (r2022 changed after publication: two cells and
    its text), r_other of OTHER (removed: 404); {id: facts} as stored last."""
    path = tmp_path_factory.mktemp("compare") / "archive.db"
    migrate(path)
    rng = random.Random(7)
    facts = {rid: synthetic.make_facts("2021", rng) for rid in ("r2021", "r2022", "r_other")}
    db = schema.open_db(path)
    reports.save_reports(
        db,
        [
            report("r2021", AGENCY, 2021, "江苏省", facts["r2021"]),
            report("r2022", AGENCY, 2022, "江苏省", facts["r2022"]),
            report("r_other", OTHER, 2022, "浙江省", facts["r_other"]),
        ],
    )
    corrected = {**facts["r2022"], ("t3", "new_received", "total"): 999, ("t4", "review", "total"): 77}
    reports.save_reports(db, [report("r2022", AGENCY, 2022, "江苏省", corrected, "v2", "全年收到申请999件。")])
    facts["r2022"] = corrected
    with db.conn:
        changes.record_removal(db, "http://www.example.gov.cn/r_other.html", "http_404")
    db.close()
    return {"path": path, "facts": facts}


def get(archive, path):
    async def fetch():
        ds = Datasette([str(archive["path"])], metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")))
        return await ds.client.get(path)

    return asyncio.run(fetch())


def differing(facts_a, facts_b):
    return {"/".join(cell) for cell in facts_a.keys() | facts_b.keys() if facts_a.get(cell) != facts_b.get(cell)}


def test_two_years_of_one_agency_side_by_side_with_the_differing_cells_marked(archive):
    response = get(archive, "/archive/-/compare?a=r2021&b=r2022")
    assert response.status_code == 200
    page = html.fromstring(response.text)
    tables = page.xpath("//table[@class='gr-compare']")
    assert [t.get("data-table") for t in tables] == ["t2", "t3", "t4"]
    marked = page.xpath("//table[@class='gr-compare']//td[@class='differs']")
    expected = differing(archive["facts"]["r2021"], archive["facts"]["r2022"])
    assert len(marked) == len(expected) > 0
    cells = page.xpath("//table[@class='gr-compare']//td")
    assert len(cells) == len(archive["facts"]["r2022"])  # every canonical cell of the layout, once
    for cell in cells:
        a, b = cell.xpath("span[@class='a']/text()")[0], cell.xpath("span[@class='b']/text()")[0]
        assert (a != b) == (cell.get("class") == "differs")


def test_the_comparison_as_json_lists_every_differing_cell(archive):
    response = get(archive, "/archive/-/compare.json?a=r2021&b=r2022")
    data = response.json()
    assert {d["cell"] for d in data["differences"]} == differing(archive["facts"]["r2021"], archive["facts"]["r2022"])
    total = next(d for d in data["differences"] if d["cell"] == "t3/new_received/total")
    assert total["b"] == 999 and total["a"] == archive["facts"]["r2021"][("t3", "new_received", "total")]
    assert (data["a"]["agency"], data["b"]["year"]) == (AGENCY, 2022)


def test_two_agencies_compare_as_well_and_an_unknown_report_is_404(archive):
    response = get(archive, "/archive/-/compare.json?a=r2022&b=r_other")
    assert {d["cell"] for d in response.json()["differences"]} == differing(
        archive["facts"]["r2022"], archive["facts"]["r_other"]
    )
    assert get(archive, "/archive/-/compare?a=r2022&b=nosuch").status_code == 404
    form = get(archive, "/archive/-/compare?a=r2022")
    assert form.status_code == 200 and 'name="b"' in form.text


def test_the_report_page_links_the_previous_year_and_announces_its_feeds(archive):
    page = html.fromstring(get(archive, "/archive/reports/r2022").text)
    [link] = page.xpath("//a[@class='gr-previous-year']")
    assert link.get("href") == "/archive/-/compare?a=r2021&b=r2022" and link.text == "与上一年比较"
    feeds = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert "/archive/-/feeds/changes.atom" in feeds and "/archive/-/feeds/removals.atom" in feeds
    assert any(re.search(r"reports\.atom\?agency=%E7%A4%BA", href) for href in feeds)
    first = html.fromstring(get(archive, "/archive/reports/r2021").text)
    assert not first.xpath("//a[@class='gr-previous-year']")  # no report of 2020


def test_the_search_page_announces_the_feed_of_its_own_query(archive):
    page = html.fromstring(get(archive, "/-/search?q=财政局&region=江苏省").text)
    [href] = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert href == "/archive/-/feeds/reports.atom?q=%E8%B4%A2%E6%94%BF%E5%B1%80&region=%E6%B1%9F%E8%8B%8F%E7%9C%81"


@pytest.mark.parametrize("table", ["report_changes", "report_removals"])
def test_the_changes_tables_announce_their_feeds_and_facet(archive, table):
    response = get(archive, f"/archive/{table}")
    page = html.fromstring(response.text)
    feeds = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert feeds == ["/archive/-/feeds/changes.atom", "/archive/-/feeds/removals.atom"]
    facets = get(archive, f"/archive/{table}.json?_size=0").json()["facet_results"]
    assert "year" in facets and "region" in facets


def atom(archive, path):
    response = get(archive, path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    assert_rfc4287(root)
    return root, response.content


def assert_rfc4287(root):
    """The elements RFC 4287 requires: a feed's id, title, updated, an author (or one in
    every entry), a self link; each entry's id, title, updated and a link (no content)."""
    assert root.tag == f"{{{ATOM_NS}}}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"a:{name}", NS)) == 1, name
    assert root.find("a:author/a:name", NS) is not None
    assert root.find("a:link[@rel='self']", NS) is not None
    for entry in root.findall("a:entry", NS):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{name}", NS)) == 1, name
        assert entry.find("a:link[@rel='alternate']", NS).get("href").startswith("http")
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", entry.findtext("a:updated", namespaces=NS))


def entry_ids(root):
    return [e.findtext("a:id", namespaces=NS) for e in root.findall("a:entry", NS)]


def test_the_feed_of_new_reports_for_an_agency_a_region_and_a_search(archive):
    everything, _ = atom(archive, "/archive/-/feeds/reports.atom")
    assert entry_ids(everything) == [f"tag:govreports,2024:report/{rid}" for rid in ("r_other", "r2022", "r2021")]
    by_agency, _ = atom(archive, f"/archive/-/feeds/reports.atom?agency={OTHER}")
    assert entry_ids(by_agency) == ["tag:govreports,2024:report/r_other"]
    by_region, _ = atom(archive, "/archive/-/feeds/reports.atom?region=江苏省")
    assert entry_ids(by_region) == ["tag:govreports,2024:report/r2022", "tag:govreports,2024:report/r2021"]
    searched, _ = atom(archive, "/archive/-/feeds/reports.atom?q=教育局")
    assert entry_ids(searched) == ["tag:govreports,2024:report/r_other"]
    assert searched.findtext("a:id", namespaces=NS) != everything.findtext("a:id", namespaces=NS)


def test_the_feed_of_changes_says_which_cells_changed(archive):
    root, _ = atom(archive, "/archive/-/feeds/changes.atom")
    [entry] = root.findall("a:entry", NS)
    assert entry.findtext("a:id", namespaces=NS) == "tag:govreports,2024:change/r2022/v2"
    assert "数字" in entry.findtext("a:title", namespaces=NS) and "正文" in entry.findtext("a:title", namespaces=NS)
    summary = entry.findtext("a:summary", namespaces=NS)
    assert "表三 一、本年新收政府信息公开申请数量 总计：" in summary and "→ 999" in summary and "→ 77" in summary
    assert entry.find("a:link", NS).get("href").endswith("/archive/reports/r2022")


def test_the_feed_of_removals(archive):
    root, _ = atom(archive, "/archive/-/feeds/removals.atom")
    [entry] = root.findall("a:entry", NS)
    assert entry.findtext("a:id", namespaces=NS) == "tag:govreports,2024:removal/r_other"
    assert "404" in entry.findtext("a:title", namespaces=NS)


@pytest.mark.parametrize("feed", ["reports.atom", "reports.atom?region=江苏省", "changes.atom", "removals.atom"])
def test_a_feed_is_the_same_on_every_request(archive, feed):
    assert atom(archive, f"/archive/-/feeds/{feed}")[1] == atom(archive, f"/archive/-/feeds/{feed}")[1]


def test_the_public_gate_puts_the_comparison_and_the_feeds_in_the_light_lanes():
    assert lane_of("/archive/-/compare", {"a": ["x"], "b": ["y"]}) == "browse"
    assert lane_of("/archive/-/feeds/changes.atom", {}) == "browse"
    assert lane_of("/archive/-/feeds/reports.atom", {"q": ["复议"]}) == "search"


def test_the_comparison_and_the_feeds_are_served_in_public_mode(archive):
    async def run():
        metadata = public_metadata(yaml.safe_load(METADATA.read_text(encoding="utf-8")))
        ds = Datasette([str(archive["path"])], metadata=metadata)
        paths = ["/archive/-/compare?a=r2021&b=r2022", "/archive/-/feeds/changes.atom", "/archive/-/feeds/reports.atom"]
        return [(await ds.client.get(path)).status_code for path in paths]

    assert asyncio.run(run()) == [200, 200, 200]
