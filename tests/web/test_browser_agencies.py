"""The agency pages in real headless Chromium (tests/test_browser.py starts it): from a report
page to its agency's page (its chart, its compliance row, its names), on to the compliance
grid, filtered to governments, a late cell followed to its report, and the feeds the pages
announce. Screenshots of each page go to build/test-artefacts/."""

import pytest
from helpers import ROOT, page_in_window
from test_browser import served  # noqa: F401 (a fixture)

ARTEFACTS = ROOT / "build" / "test-artefacts"


@pytest.fixture(scope="module")
def page(served, browser):  # noqa: F811 (served: the fixture imported)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with page_in_window(browser, 1280) as page:
        yield page


def test_report_to_agency_to_grid_in_a_real_browser(served, page):  # noqa: F811
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


def test_the_grid_an_agency_page_and_a_comparison_fit_a_phone(served, browser):  # noqa: F811
    """At 400 px nothing is wider than the window: the grid's many years, an agency's tables and
    the comparison's columns scroll inside their own box."""
    with page_in_window(browser, 400) as phone:
        phone.goto(served + "/archive/-/compliance")
        grid_box = phone.locator(".gr-scroll", has=phone.locator("table.gr-grid"))
        assert grid_box.evaluate("box => box.scrollWidth > box.clientWidth")  # wider than a phone, inside its box
        agency = phone.locator("table.gr-grid tbody th a").first.get_attribute("href")
        report_ids = [
            href.rsplit("/", 1)[1]
            for href in phone.locator("td[data-status='on_time'] a").evaluate_all(
                "links => links.slice(0, 2).map(link => link.getAttribute('href'))"
            )
        ]
        for path in ("/archive/-/compliance", agency, f"/archive/-/compare?a={report_ids[0]}&b={report_ids[1]}"):
            phone.goto(served + path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 400, path
            assert phone.locator("h1").inner_text().strip(), path
            phone.screenshot(path=str(ARTEFACTS / f"phone-{path.split('/')[3].split('?')[0]}.png"), full_page=True)
