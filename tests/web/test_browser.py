"""A person's path through Datasette, in real headless Chromium (Debian's package, driven by
Playwright with executable_path; no browser download): open the reports, search 复议, see the
rows, open the charts, download the wide view as CSV; and search, snippet, report page,
archived copy, wide CSV."""

import csv
import io

import pytest

from fixturekit.fixture_site import ServedArchive


@pytest.fixture(scope="module")
def served(sample_crawl):
    """The sample archive, served by `govreports serve`."""
    with ServedArchive(sample_crawl["db"]) as server:
        yield server.url


@pytest.fixture(scope="module")
def page(served, browser):
    yield browser.new_context(accept_downloads=True).new_page()


def test_search_chart_and_csv_in_a_real_browser(served, page, sample_crawl):
    page.goto(served + "/archive/reports")
    assert "年度报告" in page.title() or "年度报告" in page.content()
    page.fill("input[name=_search]", "复议")
    page.press("input[name=_search]", "Enter")
    page.wait_for_url("**/-/search?q=*")  # the reports page's search box leads to the search page
    titles = page.locator("a.gr-title").all_inner_texts()
    assert len(titles) == 13
    assert "洪泽区人民政府2023年政府信息公开工作年度报告" in titles
    page.goto(served + "/archive/reports?_search=复议")  # Datasette's own ?_search= still answers
    assert len(page.locator("td.col-title").all_inner_texts()) == 13

    page.goto(served + "/-/charts")
    chart = page.locator("section#chart_outcomes_by_year svg")
    assert chart.is_visible()
    assert chart.locator("rect").count() > 5

    page.goto(served + "/archive/report_cells")
    page.check("#export input[name=_dl]")
    with page.expect_download() as download_info:
        page.click("#export input[type=submit][value='导出 CSV']")
    content = open(download_info.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 13 and "t3_new_received_total" in rows[0]


def test_search_snippet_report_page_archived_copy_and_wide_csv(served, page):
    """The demo: 复议 from the home page's search box, a highlighted snippet, the first
    result's report page with its three tables, its archived copy, then the wide view as CSV."""
    page.goto(served + "/")
    page.fill("input[name=q]", "复议")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/-/search?q=" in page.url
    results = page.locator("li.gr-result")
    assert results.count() == 13
    first = results.first
    assert first.locator("p.gr-snippet mark").first.inner_text() == "复议"
    assert first.locator("div.meta").inner_text().count("·") >= 2  # agency · year · region
    title = first.locator("a.gr-title").inner_text()

    first.locator("a.gr-title").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    for name in ("表二", "表三", "表四"):
        assert page.locator(f"h3:text-is('{name}')").is_visible()
    assert page.locator("table[data-table=t3] td.value").count() > 50
    hover = page.locator("table[data-table=t3] td.value").first.get_attribute("title")
    assert hover.startswith("原文：")

    requested = []
    page.on("request", lambda request: requested.append(request.url))
    with page.expect_response(lambda r: "/-/capture/" in r.url) as capture:
        page.locator("a.gr-archived").click()
    response = capture.value
    assert "sandbox" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert title[:6] in page.content()
    assert requested and all(url.startswith(served) for url in requested)  # nothing asked of any other site

    page.goto(served + "/archive/report_cells")
    page.check("#export input[name=_dl]")
    with page.expect_download() as download_info:
        page.click("#export input[type=submit][value='导出 CSV']")
    rows = list(csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    assert len(rows) == 13 and title in {row["title"] for row in rows}
