"""Modules that show one unit's report for one year (Hanweb xxgkAnnualReport.jsp, Openness
year/show): from one year's page the spider probes the unit's other years; years without a
report (a 404, or a page without a report) are no failure
(fixture: tests/fixtures/portals/annual_modules, scripts/build_annual_modules_fixture.py)."""

import sqlite3

import yaml

from conftest import FIXTURES, assert_portal_reports, run_cli
from crawler.families.generic import FIRST_REPORT_YEAR, other_report_years
from govreports.fixture_server import FixtureServer

HANWEB_2023 = "/module/xxgk/xxgkAnnualReport.jsp?area=11370800004312466C&fbtime=2023"
OPENNESS_2022 = "/OpennessAnnualReport/year/show/341/2022.html"


def test_one_year_of_a_unit_leads_to_all_its_years(tmp_path):
    with FixtureServer(FIXTURES / "portals" / "annual_modules") as server:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump([
            {"id": "hanweb_module", "allow_private_addresses": True, "start_urls": [server.url + HANWEB_2023]},
            {"id": "openness_year", "allow_private_addresses": True, "start_urls": [server.url + OPENNESS_2022]},
        ]))
        done = run_cli("crawl", "--portals", str(registry), "--db", str(tmp_path / "archive.db"),
                       "--settings", "crawler.settings.test")
    assert done.returncode == 0, done.stderr[-2000:]
    assert_portal_reports("annual_modules", tmp_path / "archive.db", server.url, None, None)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        by_portal = dict(conn.execute("select portal_id, count(*) from reports group by portal_id"))
        probed = conn.execute("select count(*) from fetches where status = 404").fetchone()[0]
    assert by_portal == {"hanweb_module": 2, "openness_year": 2}
    years = len(other_report_years(2023)) + 1
    assert probed == 2 * years - 5  # every year asked once; 3 + 2 of them exist


def test_years_run_from_the_first_reports_to_this_year():
    years = other_report_years(2022)
    assert years[0] == FIRST_REPORT_YEAR == 2008 and 2022 not in years and 2023 in years
