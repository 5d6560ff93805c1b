"""Search as a reader walks it, in headless Chromium (tests/conftest.py's browser fixture), at
1,400 and at 400 px: a query with 、 and ， (AND), snippets labelled by their part of the
report, each order, numbered pages and older/newer links, a facet, OR, NOT / -word, a quoted
phrase, and a query that finds nothing, whose hint is followed. Each step's screenshot is
kept in build/test-artefacts/."""

import pytest
from helpers import ROOT
from test_browser import served  # noqa: F401 (the served fixture)
from test_search_page import substring_scan

ARTEFACTS = ROOT / "build" / "test-artefacts"
WIDTHS = (1400, 400)


def screenshot(page, width, step):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"search-{width}-{step}.png"), full_page=True)


def fits(page, width):
    """The page is no wider than the window (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def result_titles(page):
    return page.locator("a.gr-title").all_inner_texts()


@pytest.mark.parametrize("width", WIDTHS)
def test_search_with_each_option(served, browser, sample_crawl, width):  # noqa: F811 (served is a fixture)
    db = sample_crawl["db"]
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(served + "/-/search")
    page.fill("input[name=q]", "依申请公开，复议")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=*")
    expected = len(substring_scan(db, "依申请公开，复议"))
    assert len(result_titles(page)) == expected and f"共 {expected} 份报告" in page.locator(".gr-count").inner_text()
    labels = page.locator(".gr-snippet .gr-section").all_inner_texts()
    assert "一、总体情况" in labels
    assert fits(page, width)
    screenshot(page, width, "1-and")

    page.click(".gr-sorts a:text('报告年度')")
    page.wait_for_url("**sort=year*")
    years = [int(t.split(" · ")[1]) for t in page.locator(".gr-result .meta").all_inner_texts()]
    assert years == sorted(years, reverse=True)
    screenshot(page, width, "2-year")

    page.click(".gr-sorts a:text('相关度')")
    page.wait_for_url("**sort=relevance*")
    assert page.locator(".gr-sorts strong").inner_text() == "相关度"
    screenshot(page, width, "3-relevance")

    page.goto(served + "/-/search?q=公开&sort=year&size=5")  # numbered pages
    page.click(".gr-pages a:text-is('2')")
    page.wait_for_url("**page=2*")
    assert page.locator(".gr-pages .current").inner_text() == "2" and len(result_titles(page)) == 5
    screenshot(page, width, "4-page-2")

    page.goto(served + "/-/search?q=公开&size=5")  # newest: older and newer
    first = result_titles(page)
    page.click(".gr-pages a:text('较早 →')")
    page.wait_for_url("**before=*")
    assert set(result_titles(page)).isdisjoint(first)
    page.click(".gr-pages a:text('← 较新')")
    page.wait_for_url("**after=*")
    assert result_titles(page) == first
    screenshot(page, width, "5-newer")

    page.goto(served + "/-/search?q=公开")
    page.locator(".gr-facets a:text-is('2020')").click()
    page.wait_for_url("**year=2020*")
    assert result_titles(page) and all("2020年" in title for title in result_titles(page))
    screenshot(page, width, "6-facet")

    for step, query in (
        ("7-or", "财政局 OR 教育局"),
        ("8-not", "公开 -财政局 NOT 示例县"),
        ("9-phrase", '"示例县 教育局"'),
    ):
        page.goto(served + "/-/search")
        page.fill("input[name=q]", query)
        page.press("input[name=q]", "Enter")
        page.wait_for_url("**/-/search?q=*")
        assert len(result_titles(page)) == len(substring_scan(db, query)) > 0, query
        screenshot(page, width, step)

    page.goto(served + "/-/search")
    page.fill("input[name=q]", "复议、量子计算")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=*")
    assert "没有找到" in page.locator(".gr-none").inner_text()
    assert fits(page, width)
    screenshot(page, width, "10-no-hits")
    page.click(".gr-hints a:text('去掉“量子计算”')")
    page.wait_for_url("**/-/search?q=*")
    assert len(result_titles(page)) == len(substring_scan(db, "复议")) > 0
    screenshot(page, width, "11-hint-followed")
    page.close()
