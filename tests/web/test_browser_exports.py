"""Downloads in real headless Chromium, at 1,400 px and 400 px: from the home page, the wide
table in Chinese saved as `报告统计表.csv` and read as Excel reads it (a BOM, integers), and a
file of the release served at /-/release, byte for byte. Screenshots go to
build/test-artefacts/."""

import csv
import io
import re
from pathlib import Path

import pytest
from helpers import ROOT, page_in_window, run_cli

from fixturekit.fixture_site import ServedArchive

ARTEFACTS = ROOT / "build" / "test-artefacts"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def release(sample_crawl, tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    done = run_cli("export", str(folder), "--db", str(sample_crawl["db"]), "--release-version", "browser")
    assert done.returncode == 0, done.stderr
    return folder / "govreports-browser"


@pytest.fixture(scope="module")
def served(sample_crawl, release):
    with ServedArchive(sample_crawl["db"], "--public", "--release", str(release), up="/-/search") as server:
        yield server.url


@pytest.mark.parametrize("width", [1400, 400])
def test_downloads_from_the_home_page_open_as_excel_reads_them(served, browser, release, width):
    with page_in_window(browser, width, accept_downloads=True) as page:
        page.goto(served + "/")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"exports-home-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        with page.expect_download() as download_info:
            page.click("a:text-is('宽表（中文列名）')")
        download = download_info.value
        assert download.suggested_filename == "报告统计表.csv"
        data = Path(download.path()).read_bytes()
        assert data.startswith(BOM)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert len(rows) == 13 and list(rows[0])[0] == "报告编号"
        received = [row["表三 一、本年新收政府信息公开申请数量 总计"] for row in rows]
        assert all(re.fullmatch(r"\d+", value) for value in received), received

        page.click("a:text-is('数据发布包')")
        page.wait_for_url("**/-/release")
        page.screenshot(path=str(ARTEFACTS / f"exports-release-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # the hashes wrap on a phone
        with page.expect_download() as download_info:
            page.click("a:text-is('facts.csv')")
        assert Path(download_info.value.path()).read_bytes() == (release / "facts.csv").read_bytes()
