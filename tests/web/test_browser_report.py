"""The report page and the archived copy in real headless Chromium (Debian's package, driven by
Playwright as in test_browser.py), at 1,400 px and at a phone's 400 px: a report of each layout
and one printing （六）其他处理 as a single row, no wider than the window (its tables scroll in
their own box); an archived HTML copy with its banner, whose rewritten attachment link gives
the archived PDF under the name 机关-年度-标题.pdf. Screenshots in build/test-artefacts/."""

import io
import sqlite3
from pathlib import Path

import pytest
from helpers import ROOT, page_in_window
from PIL import Image
from test_browser import served  # noqa: F401 (a fixture)
from test_report_pages import archive_page
from test_serving_hardening import copy_archive

from fixturekit.captures import archive_capture
from fixturekit.fixture_site import ServedArchive
from govreports.fixture_server import SAMPLE_PORTAL

ARTEFACTS = ROOT / "build" / "test-artefacts"
WIDTHS = (1400, 400)
# (what the page shows, the title of a sample report that shows it)
REPORTS = (
    ("layout-2019", "示例县人民政府2020年政府信息公开工作年度报告"),
    ("layout-2021", "示例县教育局2021年政府信息公开工作年度报告"),
    ("single-row-other", "洪泽区人民政府2023年政府信息公开工作年度报告"),
)
PDF_REPORT = "洪泽区人民政府2023年政府信息公开工作年度报告"
PDF_PATH = SAMPLE_PORTAL / "xxgk/zfxxgknb/202401/P020240131556021347115.pdf"


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def page(browser, request):
    with page_in_window(browser, request.param, accept_downloads=True) as page:
        yield page


def report_id(db, title):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id from reports where title = ?", [title]).fetchone()[0]


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def screenshot(page, name):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}-{page.viewport_size['width']}px.png"), full_page=True)


@pytest.mark.parametrize("shows,title", REPORTS, ids=[shows for shows, _ in REPORTS])
def test_a_report_page_fits_the_window_and_its_tables_scroll_in_their_box(served, page, sample_crawl, shows, title):  # noqa: F811
    page.goto(f"{served}/archive/reports/{report_id(sample_crawl['db'], title)}")
    screenshot(page, f"report-{shows}")
    width = page.viewport_size["width"]
    assert document_width(page) <= width
    t3 = page.locator("table[data-table=t3]")
    box = t3.locator("xpath=..")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert box.evaluate("e => e.clientWidth") <= width
    if width == 400:  # wider than a phone: it scrolls inside its box, the page does not
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert t3.locator("thead th", has_text="法人或其他组织").get_attribute("colspan") == "5"
    t4 = page.locator("table[data-table=t4]")
    assert t4.locator("tbody tr").count() == 1 and t4.locator("tbody td").count() == 15
    other_rows = t3.locator("tbody th", has_text="（六）其他处理").count()
    assert other_rows == 1
    numbered = t3.locator("tbody th", has_text="3.其他").count()
    assert numbered == (1 if shows == "layout-2021" else 0)
    assert page.locator(".gr-cite-gbt").inner_text().count("[EB/OL]") == 1


def test_an_archived_copy_has_its_banner_and_its_pdf_link_opens_the_archived_pdf(served, page, sample_crawl):  # noqa: F811
    page.goto(f"{served}/archive/reports/{report_id(sample_crawl['db'], PDF_REPORT)}")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.locator("a.gr-archived-page").click()  # the report's page (its PDF is the source)
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/view")
    banner = page.locator("#gr-archive-banner")
    assert "本页为存档副本" in banner.inner_text()
    assert banner.locator("a.gr-original").inner_text().endswith("t20240131_1006.html")
    assert len(banner.locator("code.gr-sha256").inner_text()) == 64
    assert banner.evaluate("e => e.getBoundingClientRect().width") <= page.viewport_size["width"]
    screenshot(page, "archived-copy")
    leaving = page.locator("a[data-gr-archive=leaves]").first
    assert leaving.get_attribute("href").startswith("http://www.shili.gov.cn/")
    pdf_link = page.locator("a[data-gr-archive=archived]", has_text="洪泽区")
    assert "/-/capture/" in pdf_link.get_attribute("href")
    with page.expect_download() as download:
        pdf_link.click()
    assert download.value.suggested_filename == f"洪泽区人民政府-2023-{PDF_REPORT}.pdf"
    assert Path(download.value.path()).read_bytes() == PDF_PATH.read_bytes()
    assert requested and all(url.startswith(served) for url in requested)  # nothing asked of the live site


def archive_image(db_path, url):
    """A 40×30 PNG archived as the crawl archives a picture."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    archive_capture(db_path, url, [("Content-Type", "image/png")], out.getvalue())


@pytest.fixture(scope="module")
def served_with_picture(sample_crawl, tmp_path_factory):
    """The sample archive plus a page showing an archived picture and one that is not archived."""
    db_path = copy_archive(sample_crawl, tmp_path_factory.mktemp("picture"))
    archive_image(db_path, "http://www.shili.gov.cn/images/chart.png")
    page = (
        '<html><body><p>图表</p><img id="archived" src="/images/chart.png">'
        '<img id="live" src="http://www.shili.gov.cn/images/live.png"></body></html>'
    )
    rowid = archive_page(db_path, "http://www.shili.gov.cn/chart.html", page.encode(), "utf-8")
    with ServedArchive(db_path) as server:
        yield server.url, rowid


def test_an_archived_picture_shows_inside_the_sandboxed_copy(served_with_picture, page):
    url, rowid = served_with_picture
    answered = []
    page.on("response", lambda response: answered.append(response.url))
    page.goto(f"{url}/archive/-/capture/{rowid}/view")
    page.wait_for_load_state("networkidle")
    assert page.locator("img#archived").evaluate("e => e.naturalWidth") == 40
    assert page.locator("img#live").get_attribute("data-gr-archive") == "leaves"
    assert page.locator("img#live").evaluate("e => e.naturalWidth") == 0  # the policy blocks the live site
    assert answered and all(r.startswith(url) for r in answered)
