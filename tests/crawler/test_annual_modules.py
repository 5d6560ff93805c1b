"""Modules that show one unit's report for one year (Hanweb xxgkAnnualReport.jsp, Openness
year/show): from one year's page the spider probes the unit's other years; years without a
report (a 404, or a page without a report) are no failure
(fixture: tests/fixtures/portals/annual_modules, scripts/build_annual_modules_fixture.py)."""

import sqlite3

from helpers import FIXTURES, assert_portal_reports, crawl_registry, site

from crawler.families.generic import FIRST_REPORT_YEAR, other_report_years
from govreports.fixture_server import FixtureServer

FOLDER = FIXTURES / "portals" / "annual_modules"


def test_one_year_of_a_unit_leads_to_all_its_years(tmp_path):
    hanweb_2023, openness_2022 = site(FOLDER)["start_urls"]
    with FixtureServer(FOLDER, host=site(FOLDER)["host"]) as server:
        crawl_registry(
            [
                {"id": "hanweb_module", "start_urls": [hanweb_2023]},
                {"id": "openness_year", "start_urls": [openness_2022]},
            ],
            tmp_path,
        )
    assert_portal_reports("annual_modules", tmp_path / "archive.db", server.url, None, None)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        by_portal = dict(conn.execute("select portal_id, count(*) from reports group by portal_id"))
        probed = conn.execute(
            "select count(*) from fetches where status = 404 and (url like '%fbtime=%' "
            "or url like '%/year/show/%.html')"
        ).fetchone()[0]
    assert by_portal == {"hanweb_module": 2, "openness_year": 2}
    years = len(other_report_years(2023)) + 1
    assert probed == 2 * years - 5  # every year asked once; 3 + 2 of them exist


def test_years_run_from_the_first_reports_to_this_year():
    years = other_report_years(2022)
    assert years[0] == FIRST_REPORT_YEAR == 2008 and 2022 not in years and 2023 in years
