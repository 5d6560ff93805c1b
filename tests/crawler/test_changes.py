"""What changed after publication, on a fixture portal that changes between two crawls: the
sample portal at its own host name, crawled, then one report edited (a sentence and two cells
of 表三), one removed (its file gone: 404, and its link gone from its column) and one new (the
next year's report of the edited one's agency). The next crawl flags the one gone from its
column; `govreports recheck` (conditional requests of every known report URL) stores the
edited one's new version with what changed, and flags the 404. Then the pages in Chromium:
the new report compared with the year before, the changes table and its feed."""

import json
import shutil
import sqlite3

import pytest
import yaml
from helpers import ROOT, datasette_get, page_in_window, run_cli
from lxml import html

from fixturekit.fixture_site import ServedArchive
from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

ARTEFACTS = ROOT / "build" / "test-artefacts"

HOST = "www.changing-county.gov.cn"
COLUMN = "/xxgk/zfxxgknb"
EDITED = "/xxgk/zfxxgknb/202301/t20230124_1101.html"  # 示例县财政局 2022
REMOVED = "/xxgk/zfxxgknb/202101/t20210119_1103.html"  # 示例县卫生健康局 2020, listed on index_2.html
ROW_BEFORE = "<td>1</td><td>2</td><td>2</td><td>2</td><td>0</td><td>1</td><td>8</td>"
ROW_AFTER = "<td>1</td><td>2</td><td>2</td><td>2</td><td>0</td><td>2</td><td>9</td>"
NEW = "/xxgk/zfxxgknb/202401/t20240125_1108.html"  # 示例县财政局 2023, published in the second state
NEW_ROW = "<td>3</td><td>2</td><td>2</td><td>2</td><td>0</td><td>1</td><td>10</td>"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def first_state(root):
    """The sample portal, its manifest naming the page the second state adds (404 until then)."""
    shutil.copytree(SAMPLE_PORTAL, root)
    manifest = json.loads((root / "_headers.json").read_text(encoding="utf-8"))
    manifest[NEW] = manifest[EDITED]
    (root / "_headers.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def next_year(page):
    """The 2022 report page of 示例县财政局 as its 2023 report, with other applications."""
    page = page.replace("2023年1月24日", "2024年1月25日").replace("2023-01-24", "2024-01-25")
    return page.replace("2022", "2023").replace("申请8件", "申请10件").replace(ROW_BEFORE, NEW_ROW)


def second_state(root):
    """The portal after publication: the 2022 report of 示例县财政局 corrected, the 2020 report
    of 示例县卫生健康局 taken down, the 2023 report of 示例县财政局 published."""
    edited = root / EDITED.lstrip("/")
    (root / NEW.lstrip("/")).write_text(next_year(edited.read_text(encoding="utf-8")), encoding="utf-8")
    edit(
        root / "xxgk/zfxxgknb/index.html",
        '<div class="list"><ul>\n',
        f'<div class="list"><ul>\n<li><a href=".{NEW.removeprefix(COLUMN)}" title="示例县财政局2023年政府信息公开工作年度报告">'
        "示例县财政局2023年政府信息公开工作年度报告</a><span>2024-01-25</span></li>\n",
    )
    edit(edited, "全年收到政府信息公开申请8件", "全年收到政府信息公开申请9件")
    edit(edited, ROW_BEFORE, ROW_AFTER)
    (root / REMOVED.lstrip("/")).unlink()
    index = root / "xxgk/zfxxgknb/index_2.html"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text("".join(line for line in lines if REMOVED.rsplit("/", 1)[-1] not in line), encoding="utf-8")


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def changing(tmp_path_factory):
    """(db, base URL, output of the second crawl, output of the re-check, requests the
    re-check sent)."""
    work = tmp_path_factory.mktemp("changing")
    root = work / "portal"
    first_state(root)
    db = work / "archive.db"
    registry = work / "portals.yaml"
    with FixtureServer(root, host=HOST) as server:
        registry.write_text(
            yaml.safe_dump(
                [{"id": "changing_county", "name": "变化县", "start_urls": [f"{server.url}/xxgk/zfxxgknb/index.html"]}],
                allow_unicode=True,
            )
        )
        first = run_cli("crawl", "--portals", str(registry), "--db", str(db))
        assert first.returncode == 0, first.stderr[-3000:]
        before = (
            rows(db, "select count(*) as n from report_changes")[0]["n"],
            rows(db, "select count(*) as n from report_removals")[0]["n"],
        )
        second_state(root)
        second = run_cli("crawl", "--portals", str(registry), "--db", str(db))
        assert second.returncode == 0, second.stderr[-3000:]
        after_crawl = rows(db, "select * from report_removals")
        start = len(server.httpd.received)
        recheck = run_cli("recheck", "--db", str(db))
        assert recheck.returncode == 0, recheck.stderr[-3000:]
        sent = server.httpd.received[start:]
    return {
        "db": db,
        "base": server.url,
        "before": before,
        "after_crawl": after_crawl,
        "recheck": recheck.stdout,
        "sent": sent,
    }


def test_a_first_crawl_flags_nothing(changing):
    assert changing["before"] == (0, 0)


def test_the_next_crawl_flags_a_report_gone_from_its_fully_read_column(changing):
    [removal] = changing["after_crawl"]
    assert removal["url"] == changing["base"] + REMOVED
    assert removal["status"] == "gone_from_column"
    assert removal["column_url"] == changing["base"] + "/xxgk/zfxxgknb/index.html"
    assert removal["agency"] == "示例县卫生健康局" and removal["year"] == 2020
    assert removal["last_seen_present"] and removal["first_seen_missing"] >= removal["last_seen_present"]


def test_the_recheck_flags_the_404(changing):
    [removal] = rows(changing["db"], "select * from report_removals")
    assert removal["url"] == changing["base"] + REMOVED
    assert removal["status"] == "http_404"
    assert "1 gone (404/410)" in changing["recheck"]


def test_the_recheck_stores_the_edited_report_and_says_what_changed(changing):
    [change] = rows(changing["db"], "select * from report_changes")
    assert change["url"] == changing["base"] + EDITED
    assert change["agency"] == "示例县财政局" and change["year"] == 2022
    assert (change["from_version"], change["to_version"]) == (1, 2)
    assert change["kinds"] == "text,numbers"
    assert json.loads(change["cells"]) == [
        {"cell": "t3/new_received/other_org", "old": 1, "new": 2},
        {"cell": "t3/new_received/total", "old": 8, "new": 9},
    ]
    assert change["cells_changed"] == 2
    assert "申请8件" in change["text_before"] and "申请9件" in change["text_after"]
    assert change["first_seen"] < change["changed_at"]
    [report] = rows(changing["db"], "select version from reports where url = ?", changing["base"] + EDITED)
    assert report["version"] == 2
    assert "1 reports changed" in changing["recheck"]


def test_the_recheck_asks_conditionally_for_every_known_report_url_and_reads_no_list(changing):
    lines = [line for line, _ in changing["sent"]]
    asked = {line.split()[1] for line in lines}
    reports = rows(changing["db"], "select url from report_rows")
    known = {r["url"].replace(changing["base"], "") for r in reports}
    assert known <= asked | {REMOVED}
    assert not any("index" in path for path in asked)
    conditional = [dict(headers) for line, headers in changing["sent"] if "t2022" in line or "t2024" in line]
    assert conditional and all("If-None-Match" in headers for headers in conditional)
    assert "/robots.txt" in asked


def test_the_next_crawl_stores_the_new_report_of_the_next_year(changing):
    found = rows(changing["db"], "select id, year, version from reports where agency = '示例县财政局' order by year")
    assert [(r["year"], r["version"]) for r in found] == [(2022, 2), (2023, 1)]


def test_the_report_pages_say_what_changed_after_publication_and_what_was_removed(changing):
    [edited] = rows(changing["db"], "select id from reports where url = ?", changing["base"] + EDITED)
    page = html.fromstring(datasette_get(changing["db"], f"/archive/reports/{edited['id']}").text)
    [change] = page.xpath("//div[@class='gr-changes']/div[@class='gr-change']")
    assert "第 1 版 → 第 2 版" in change.text_content() and "正文、数字有改动" in change.text_content()
    assert [li.text_content() for li in change.xpath(".//ul[@class='gr-cell-changes']/li")] == [
        "表三 一、本年新收政府信息公开申请数量 其他：1 → 2",
        "表三 一、本年新收政府信息公开申请数量 总计：8 → 9",
    ]
    assert "申请8件" in change.xpath(".//del")[0].text and "申请9件" in change.xpath(".//ins")[0].text
    assert change.xpath(".//a")[0].get("href") == f"/archive/report_changes?report_id={edited['id']}"
    [removed] = rows(changing["db"], "select id from reports where url = ?", changing["base"] + REMOVED)
    page = html.fromstring(datasette_get(changing["db"], f"/archive/reports/{removed['id']}").text)
    [removal] = page.xpath("//div[@class='gr-changes']/p[@class='gr-removal']")
    assert removal.xpath("strong")[0].text == "原文地址已失效（404）"
    assert not page.xpath("//div[@class='gr-change']")


@pytest.fixture(scope="module")
def served(changing):
    with ServedArchive(changing["db"]) as server:
        yield server.url


def test_compare_changes_and_feeds_in_a_real_browser(changing, served, browser):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    [new] = rows(changing["db"], "select id from reports where url = ?", changing["base"] + NEW)
    [old] = rows(changing["db"], "select id from reports where url = ?", changing["base"] + EDITED)
    with page_in_window(browser, 1400, 1000) as page:
        page.goto(f"{served}/archive/reports/{new['id']}")
        feeds = page.locator("head link[rel=alternate][type='application/atom+xml']")
        assert feeds.count() == 3
        page.screenshot(path=str(ARTEFACTS / "report-page-compare-link.png"))
        page.click("text=与上一年比较")
        page.wait_for_url(f"**/archive/-/compare?a={old['id']}&b={new['id']}")
        differing = page.locator("table.gr-compare td.differs")
        # 表三 本年新收 of the corrected 2022 against 2023: 自然人 1 -> 3, 其他 2 -> 1, 总计 9 -> 10
        assert differing.count() == 3
        assert differing.first.is_visible()
        assert differing.first.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(255, 224, 220)"
        assert page.locator("table.gr-differences tr").count() == 1 + 3
        page.screenshot(path=str(ARTEFACTS / "compare-two-years.png"), full_page=True)

        page.goto(f"{served}/archive/reports/{old['id']}#changes")
        assert page.locator("div.gr-changes ul.gr-cell-changes li").count() == 2
        assert page.locator("div.gr-changes").is_visible()
        page.screenshot(path=str(ARTEFACTS / "report-page-changes-after-publication.png"), full_page=True)
        page.click("div.gr-change a")
        assert page.locator("table.rows-and-columns tbody tr").count() == 1

        page.goto(f"{served}/archive/report_changes")
        assert page.locator("table.rows-and-columns tbody tr").count() == 1
        href = page.locator("head link[rel=alternate][type='application/atom+xml']").first.get_attribute("href")
        page.screenshot(path=str(ARTEFACTS / "report-changes-table.png"), full_page=True)
        response = page.goto(served + href)
        assert response.headers["content-type"].startswith("application/atom+xml")
        assert "tag:govreports,2024:change/" in response.text()
        page.screenshot(path=str(ARTEFACTS / "changes-feed.png"), full_page=True)

        page.goto(f"{served}/-/search?q=财政局")
        search_feed = page.locator("a.gr-feed")
        assert search_feed.count() == 1
        feed = page.goto(served + search_feed.get_attribute("href"))
        assert f"tag:govreports,2024:report/{new['id']}" in feed.text()
