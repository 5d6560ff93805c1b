"""The charts and Datasette's pages in real headless Chromium (Debian's package, as in
test_browser.py), at 1,400 px and at 400 px (a phone): nothing wider than the window, the
labels in Chinese, the filters change the charts, each chart's link opens its query; a
screenshot of each page in build/test-artefacts/."""

import pytest
from helpers import ROOT, page_in_window
from test_charts import write_archive

from fixturekit.fixture_site import ServedArchive

ARTEFACTS = ROOT / "build" / "test-artefacts"
WIDTHS = (1400, 400)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with ServedArchive(write_archive(tmp_path_factory.mktemp("browser-charts") / "archive.db")) as server:
        yield server.url


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def page(browser, request):
    with page_in_window(browser, request.param) as page:
        page.width = request.param
        yield page


def shows_whole_width(page, name):
    """The page is no wider than the window (no horizontal scrolling); a screenshot is kept."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}-{page.width}px.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.width, f"{name}: {scroll_width} px wide in a {page.width} px window"


def test_charts_fit_the_window_and_filter(served, page):
    page.goto(served + "/-/charts")
    shows_whole_width(page, "charts")
    charts = page.locator("section.gr-chart svg")
    assert charts.count() == 5
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.width
    ticks = page.locator("#chart_applications_by_year text.tick").all_text_contents()
    assert ticks == ["0", "500", "1,000", "1,500"]
    region_rows = page.locator("#chart_reports_by_region rect")
    assert region_rows.count() == 4

    page.fill("input[name=region]", "江苏省")
    page.select_option("select[name=level]", "county")
    page.click("form.gr-chart-filters input[type=submit]")
    page.wait_for_load_state()
    assert "region=" in page.url and "level=county" in page.url
    assert page.locator("#chart_reports_by_region rect").count() == 1
    assert page.locator("#chart_applications_by_year text.tick").all_text_contents() == [
        "0",
        "100",
        "200",
        "300",
        "400",
    ]
    shows_whole_width(page, "charts-filtered")

    page.locator("#chart_applications_by_year a", has_text="图表背后的数据与查询").click()
    page.wait_for_load_state()
    assert "/archive/chart_applications_by_year" in page.url
    assert page.locator("table.rows-and-columns tbody td:nth-child(2)").all_inner_texts() == ["296", "310"]
    assert page.locator("input[type=submit][value='运行查询']").count() == 1
    shows_whole_width(page, "chart-query")


@pytest.mark.parametrize(
    "path,name,words",
    [
        ("/archive", "database", ["预设查询", "表", "视图"]),
        ("/archive/reports?level=county&_sort_desc=year", "reports", ["共 4 行", "level 等于 县级", "县级"]),
        ("/archive/checks?_size=2", "checks", ["共 5 行", "下一页", "高级导出", "通过"]),
    ],
)
def test_datasette_pages_in_chinese_fit_the_window(served, page, path, name, words):
    page.goto(served + path)
    text = page.locator("body").inner_text()
    for word in words:
        assert word in text, word
    for english in ("Next page", "Advanced export", "This data as", "Powered by"):
        assert english not in text, english
    assert page.locator("input[type=submit][value='Apply'], input[type=submit][value='Run SQL']").count() == 0
    shows_whole_width(page, name)


def test_column_menu_in_chinese(served, browser):
    with page_in_window(browser, 1400) as page:
        page.goto(served + "/archive/checks")
        page.locator("th.col-rule svg.dropdown-menu-icon").click()
        menu = page.locator(".dropdown-menu").first
        assert menu.is_visible()
        assert "升序排列" in menu.inner_text() and "Sort ascending" not in menu.inner_text()
