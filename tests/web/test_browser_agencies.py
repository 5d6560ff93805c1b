"""The agency pages in real headless Chromium (tests/test_browser.py starts it): from a report
page to its agency's page (its chart, its compliance row, its names), on to the compliance
grid, filtered to governments, a late cell followed to its report, and the feeds the pages
announce. Screenshots of each page go to build/test-artefacts/."""

import subprocess
import sys

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, ROOT
from playwright.sync_api import sync_playwright

from fixturekit.fixture_site import free_port, wait_until_up

ARTEFACTS = ROOT / "build" / "test-artefacts"


@pytest.fixture(scope="module")
def served(sample_crawl):
    """The sample archive, served by `govreports serve`."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "govreports.cli", "serve", "--db", str(sample_crawl["db"]), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/-/versions.json")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def page(served):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def test_report_to_agency_to_grid_in_a_real_browser(served, page):
    page.goto(served + "/-/search?q=" + "示例县住房和城乡建设局")
    page.locator("a.gr-title").first.click()
    page.locator("a.gr-agency").click()
    page.wait_for_url("**/archive/-/agency/*")
    assert page.locator("h1").inner_text() == "示例县住房和城乡建设局"
    assert page.locator("#figures ~ svg rect").count() > 0
    late = page.locator("td[data-year='2021'][data-status='late']")
    assert "逾期" in late.inner_text() and "77" in late.inner_text()
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 2
    page.screenshot(path=str(ARTEFACTS / "agency_page.png"), full_page=True)

    page.locator(".crumbs a", has_text="按时发布情况").click()
    page.wait_for_url("**/archive/-/compliance*")
    assert page.locator("table.gr-grid tbody tr").count() > 5
    page.screenshot(path=str(ARTEFACTS / "compliance_grid.png"), full_page=True)

    page.select_option("select[name=kind]", "government")
    page.click("input[type=submit][value='筛选']")
    page.wait_for_url("**kind=government*")
    names = page.locator("table.gr-grid tbody th").all_inner_texts()
    assert "示例县人民政府" in names and all(name.endswith("人民政府") for name in names)
    assert page.locator("td[data-year='2023'][data-status='missing']").count() >= 1
    page.screenshot(path=str(ARTEFACTS / "compliance_grid_governments.png"), full_page=True)

    page.goto(served + "/archive/-/compliance?year=2021")
    page.locator("td[data-status='late'] a").first.click()
    page.wait_for_url("**/archive/reports/*")
    assert "示例县住房和城乡建设局" in page.locator("h1").inner_text()

    feed = page.request.get(served + "/archive/-/feeds/late.atom")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    assert "逾期 77 天" in feed.text()
