"""One report published at several URLs is stored once, with every URL kept: the TRS `_wap`
twin, the big5 gateway link, the same report republished in the 部门 column, and an HTML
page with its PDF (fixture: tests/fixtures/portals/duplicates, scripts/build_duplicates_fixture.py)."""

import sqlite3

from helpers import FIXTURES, crawl_registry, expected_reports, run_cli, site

from crawler.families.generic import GenericFamily
from crawler.families.trs import TrsFamily
from govreports.fixture_server import FixtureServer

FOLDER = FIXTURES / "portals" / "duplicates"
HOST = site(FOLDER)["host"]  # the gateway links of the fixture name it
GKNB = "/xxgk/gknb/202401/"


def crawl(registry, workdir):
    return crawl_registry(registry, workdir).stdout


def report_urls(db):
    with sqlite3.connect(db) as conn:
        titles = dict(conn.execute("select id, title from reports"))
        urls = {}
        for rid, url, role in conn.execute("select report_id, url, role from report_urls"):
            urls.setdefault(titles[rid][:6], set()).add((url.replace(f"http://{HOST}", ""), role))
        return urls


def test_a_report_published_at_several_urls_is_stored_once_with_every_url(tmp_path):
    with FixtureServer(FOLDER, host=HOST) as server:
        registry = [
            {"id": "dup", "start_urls": [server.url + "/xxgk/gknb/index.html", server.url + "/xxgk/bmnb/index.html"]}
        ]
        first = crawl(registry, tmp_path)
        assert "1 duplicates of another report" in first
        urls = report_urls(tmp_path / "archive.db")
        crawl(registry, tmp_path)  # a second crawl changes nothing
        assert report_urls(tmp_path / "archive.db") == urls
    assert urls == {
        # pages are extracted in URL order: the 部门 copy (/xxgk/bmnb/…) came first and is kept
        "示例县财政局": {
            ("/xxgk/bmnb/202401/t20240118_4001.html", "page"),
            (GKNB + "t20240115_3001.html", "duplicate"),
            (GKNB + "t20240115_3001_wap.html", "wap"),
        },
        "示例县教育局": {
            (GKNB + "t20240116_3002.html", "page"),
            (f"/gate/big5/{HOST}{GKNB}t20240116_3002.html", "big5"),
        },
        "示例县人民政": {(GKNB + "t20240117_3003.html", "page"), (GKNB + "P020240117000000000001.pdf", "attachment")},
    }
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("select count(*) from reports").fetchone()[0] == 3
        assert conn.execute("select source_format from reports where url like '%3003.html'").fetchone()[0] == "pdf"
        gateway_fetches = conn.execute(
            "select count(*) from fetches where url like '%/gate/big5/%' or url like '%_wap.html'"
        ).fetchone()[0]
        assert gateway_fetches == 0  # aliases are recorded, never fetched
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0


def test_a_changed_report_releases_its_duplicates(tmp_path):
    """When the kept report changes, the page held as its duplicate is read again (in the
    same run) and matched anew."""
    with FixtureServer(FOLDER, host=HOST) as server:
        crawl(
            [{"id": "dup", "start_urls": [server.url + "/xxgk/gknb/index.html", server.url + "/xxgk/bmnb/index.html"]}],
            tmp_path,
        )
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        before = conn.execute("select page_url, recorded_at from duplicates").fetchone()
        # as if the kept copy had been corrected after publication
        conn.execute(
            "update report_rows set content_hash = 'old', extractor_version = 'old' where url like '%4001.html'"
        )
    done = run_cli("reextract", "--db", str(tmp_path / "archive.db"))
    assert done.returncode == 0, done.stderr[-2000:]
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        # same content again after re-extraction: the 部门 copy is again its duplicate
        assert conn.execute("select count(*) from reports").fetchone()[0] == 3
        after = conn.execute("select page_url, recorded_at from duplicates").fetchall()
        assert len(after) == 1 and after[0][0] == before[0] and after[0][1] >= before[1]
        assert conn.execute("select max(version) from report_versions").fetchone()[0] == 2


def test_families_name_the_other_urls_of_a_document():
    assert TrsFamily().canonical("http://x.gov.cn/nb/202101/t20210203_1_wap.html") == (
        "http://x.gov.cn/nb/202101/t20210203_1.html",
        "wap",
    )
    assert GenericFamily().canonical("https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/a/t1.html") == (
        "https://www.beijing.gov.cn/a/t1.html",
        "big5",
    )
    assert GenericFamily().canonical("http://x.gov.cn/a/t1.html") == ("http://x.gov.cn/a/t1.html", None)


def test_a_duplicate_page_that_changes_becomes_a_report_of_its_own(tmp_path):
    from storage.extraction_queue import save

    db = migrated_archive(tmp_path)
    text = "示例县财政局2023年政府信息公开工作年度报告。" * 20
    result = {
        "title": "示例县财政局2023年政府信息公开工作年度报告",
        "agency": "示例县财政局",
        "year": 2023,
        "layout": "2021",
        "published": None,
        "sections": {},
        "text": text,
        "facts": [],
        "checks": [],
        "source_format": "html",
        "source_url": None,
        "extractor_version": "test",
    }
    first = {"url": "http://x/gknb/t1.html", "portal_id": "p", "doc_key": "trs:1", "sha256": "a", "title": None}
    copy = {"url": "http://x/bmnb/t2.html", "portal_id": "p", "doc_key": "trs:2", "sha256": "b", "title": None}
    assert save(db, first, [], result) is True
    assert save(db, copy, [], result) == "duplicate"
    assert save(db, {**copy, "sha256": "c"}, [], {**result, "text": text + "（更正）"}) is True
    assert db.execute("select count(*) from reports").fetchone()[0] == 2
    assert db.execute("select count(*) from duplicates").fetchone()[0] == 0


def test_a_registry_start_url_behind_the_big5_gateway_is_crawled_at_its_original(tmp_path):
    with FixtureServer(FOLDER, host=HOST) as server:
        gateway = f"{server.url}/gate/big5/{HOST}/xxgk/bmnb/index.html"
        crawl([{"id": "dup", "start_urls": [gateway]}], tmp_path)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("select alias, url, kind from url_aliases").fetchall() == [
            (gateway, f"{server.url}/xxgk/bmnb/index.html", "big5")
        ]
        assert conn.execute("select count(*) from reports").fetchone()[0] == 1
        assert conn.execute("select count(*) from fetches where url like '%/gate/big5/%'").fetchone()[0] == 0


TWINS = FIXTURES / "portals" / "gkmlpt_twins"  # scripts/build_gkmlpt_twins_fixture.py


def stored_reports(db):
    """{frozenset of (path, role)}: (agency, year, facts count) for every report."""
    with sqlite3.connect(db) as conn:
        urls = {}
        for rid, url, role in conn.execute("select report_id, url, role from report_urls"):
            urls.setdefault(rid, set()).add((url.split(".gov.cn", 1)[1], role))
        return {
            frozenset(urls[rid]): (agency, year, facts)
            for rid, agency, year, facts in conn.execute("select id, agency, year, facts_count from reports")
        }


def test_a_gkmlpt_post_in_the_platform_and_in_the_site_column_is_one_report(tmp_path):
    """Each post at /gkmlpt/content/…/post_N.html and …/content/post_N.html, in different
    chrome, the agency named on one page only (either one): one report with both URLs and
    the agency; a second crawl changes nothing."""
    expected = expected_reports(TWINS)
    with FixtureServer(TWINS, host=site(TWINS)["host"]):
        registry = [{"id": "twins", "start_urls": site(TWINS)["start_urls"]}]
        crawl(registry, tmp_path)
        first = stored_reports(tmp_path / "archive.db")
        with sqlite3.connect(tmp_path / "archive.db") as conn:
            versions = conn.execute("select count(*) from report_versions").fetchone()[0]
        again = crawl(registry, tmp_path)
        assert stored_reports(tmp_path / "archive.db") == first
        with sqlite3.connect(tmp_path / "archive.db") as conn:
            assert conn.execute("select count(*) from report_versions").fetchone()[0] == versions
    assert "(0 changed, 0 duplicates of another report)" in again and "0 reports new" in again
    with sqlite3.connect(tmp_path / "archive.db") as conn:  # as if the extractor had changed
        conn.execute("update report_rows set extractor_version = 'old'")
        conn.execute("update duplicates set extractor_version = 'old'")
    done = run_cli("reextract", "--db", str(tmp_path / "archive.db"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert stored_reports(tmp_path / "archive.db") == first
    assert len(first) == len(expected) == 3
    for report in expected:
        (urls,) = [urls for urls in first if {path for path, _ in urls} == {report["path"], *report["also_at"]}]
        assert sorted(role for _, role in urls) == ["duplicate", "page"]
        assert first[urls] == (report["agency"], report["year"], len(report["facts"]))
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0


def test_the_site_column_copy_of_a_post_has_the_posts_document_key():
    from crawler.families.gkmlpt import GkmlptFamily

    platform = "http://x.gd.gov.cn/gkmlpt/content/0/971/post_971001.html"
    column = "http://x.gd.gov.cn/zwgk/zfxxgknb/content/post_971001.html"
    mobile = "http://x.gd.gov.cn/cn/xxgk/zfxxgj/content/mpost_971001.html"
    # a generic list (the site's own column) names the post as the gkmlpt family does
    keys = {GenericFamily().document_key(url) for url in (platform, column, mobile)}
    assert keys == {GkmlptFamily().document_key(platform)} == {"gkmlpt:971001"}
    assert GenericFamily().document_key("http://x.gov.cn/a/b/1.html") == "http://x.gov.cn/a/b/1.html"


def test_reports_with_the_same_tables_by_two_agencies_stay_two(tmp_path):
    """Identical text and tables, another agency: two reports, never one."""
    from storage.extraction_queue import save

    db = migrated_archive(tmp_path)
    text = "2023年政府信息公开工作年度报告。本年度未收到政府信息公开申请，各项数据均为零。" * 10
    facts = [{"table": "t3", "row": "new_received", "col": "total", "value": 0, "raw": "0"}]
    result = {
        "title": "2023年政府信息公开工作年度报告",
        "year": 2023,
        "layout": "2021",
        "published": None,
        "sections": {},
        "text": text,
        "facts": facts,
        "checks": [],
        "source_format": "html",
        "source_url": None,
        "extractor_version": "test",
    }
    towns = {
        "甲镇": "http://x.gov.cn/jz/t1.html",
        "乙镇": "http://x.gov.cn/yz/t2.html",
        None: "http://x.gov.cn/t3.html",
    }
    for n, (agency, url) in enumerate(towns.items()):
        page = {"url": url, "portal_id": "p", "doc_key": None, "sha256": str(n), "title": None}
        assert save(db, page, [], {**result, "agency": f"示例县{agency}人民政府" if agency else None}) is True
    assert db.execute("select count(*) from reports").fetchone()[0] == 3
    assert db.execute("select count(*) from duplicates").fetchone()[0] == 0


def migrated_archive(tmp_path):
    from storage import schema
    from storage.migrations import migrate

    migrate(tmp_path / "archive.db")
    return schema.open_db(tmp_path / "archive.db")


def extracted_report():
    """What extraction gives for a short 2023 report of one agency with no tables."""
    return {
        "title": "2023年政府信息公开工作年度报告",
        "agency": "深圳市示例区财政局",
        "year": 2023,
        "layout": "2021",
        "published": None,
        "sections": {},
        "text": "本年度未收到政府信息公开申请。" * 20,
        "facts": [],
        "checks": [],
        "source_format": "html",
        "source_url": None,
        "extractor_version": "test",
    }


def test_a_rejected_page_of_a_document_leaves_the_report_of_its_other_page(tmp_path):
    from storage.extraction_queue import reject_report, save

    db = migrated_archive(tmp_path)
    result = extracted_report()
    post = {"portal_id": "p", "doc_key": "gkmlpt:971001", "title": None}
    platform = {**post, "url": "http://x/gkmlpt/content/0/971/post_971001.html", "sha256": "a"}
    column = {**post, "url": "http://x/zwgk/content/post_971001.html", "sha256": "b"}
    assert save(db, platform, [], result) is True
    assert save(db, column, [], {**result, "agency": None}) == "duplicate"
    reject_report(db, column, [], result["title"], "not a report")
    assert db.execute("select url, agency from reports").fetchall() == [(platform["url"], result["agency"])]


def test_a_copy_in_other_chrome_under_another_id_is_the_same_report(tmp_path):
    """No shared document id: the copy's content (agency, year, text, facts) read through
    other chrome (an unknown article container, the agency in a 来源 line instead of the
    platform's 发布机构 table) equals the report's, so it is kept as the report's URL."""
    from extractors.report import extract_document
    from storage.extraction_queue import save

    db = migrated_archive(tmp_path)
    platform = (TWINS / "gkmlpt/content/0/971/post_971001.html").read_bytes()
    copy = (TWINS / "zwgk/zfxxgknb/content/post_971001.html").read_bytes().decode()
    copy = copy.replace("发布时间：", "来源：深圳市示例区财政局 发布时间：").replace("zw-content", "wenzhang")
    pages = [
        (platform, {"url": "http://x/gkmlpt/content/0/971/post_971001.html", "doc_key": "gkmlpt:971001"}),
        (copy.encode(), {"url": "http://x/zwgk/tzgg/2024/zhuanzai_1.html", "doc_key": None}),
    ]
    saved = []
    for n, (data, page) in enumerate(pages):
        result = {**extract_document(data, page["url"]), "source_url": None}
        assert result["agency"] == "深圳市示例区财政局"
        saved.append(save(db, {**page, "portal_id": "p", "sha256": str(n), "title": None}, [], result))
    assert saved == [True, "duplicate"]
    assert db.execute("select count(*) from reports").fetchone()[0] == 1


def test_a_stored_page_keeps_its_report_id_when_its_document_key_changes(tmp_path):
    """A page first stored under its URL as key, then fetched again with the CMS's id as key
    (its URL has the shape of a family's documents): still one report, with its first id."""
    from storage.extraction_queue import save

    db = migrated_archive(tmp_path)
    url = "http://x.gd.gov.cn/zwgk/zfxxgknb/content/post_971001.html"
    result = extracted_report()
    page = {"url": url, "portal_id": "p", "doc_key": url, "sha256": "a", "title": None}
    assert save(db, page, [], result) is True
    (first_id,) = db.execute("select id from reports").fetchone()
    assert save(db, {**page, "doc_key": "gkmlpt:971001", "sha256": "b"}, [], result) is False
    assert db.execute("select id, url from reports").fetchall() == [(first_id, url)]
    assert db.execute("select count(*) from duplicates").fetchone()[0] == 0
