"""The whole pipeline over the bundled sample portal (TRS WCM county portal) at its host name:
crawl -> archive -> extract -> SQLite, twice."""

import hashlib
import sqlite3

from storage.warc import WarcArchive, archive_dir


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def test_every_report_is_found_and_nothing_else(sample_crawl, sample_portal_expected):
    stored = rows(sample_crawl["db"], "select * from reports")
    assert len(stored) == len(sample_portal_expected) == 13
    by_path = {r["url"].replace(sample_crawl["url"], ""): r for r in stored}
    for expected in sample_portal_expected:
        report = by_path[expected["path"]]
        for field in ("title", "agency", "year", "layout", "published", "source_format"):
            assert report[field] == expected[field], (expected["path"], field)


def test_facts_match_the_portal_ground_truth(sample_crawl, sample_portal_expected):
    for expected in sample_portal_expected:
        report = rows(sample_crawl["db"], "select id from reports where url like ?", "%" + expected["path"])[0]
        stored = {
            (f["table_key"], f["row_key"], f["col_key"]): f["value"]
            for f in rows(sample_crawl["db"], "select * from facts where report_id = ?", report["id"])
        }
        truth = {(f["table"], f["row"], f["col"]): f["value"] for f in expected["facts"]}
        assert stored == truth, expected["path"]


def test_no_non_report_is_stored(sample_crawl):
    titles = [r["title"] for r in rows(sample_crawl["db"], "select title from reports")]
    docs = [r["title"] for r in rows(sample_crawl["db"], "select title from documents where role = 'page'")]
    for title in titles + docs:
        assert not any(word in title for word in ("通知", "图解", "指南"))


def test_checks_pass_on_consistent_reports_and_flag_the_broken_one(sample_crawl):
    failing = rows(
        sample_crawl["db"],
        "select r.title, c.rule, c.detail from checks c join reports r on r.id = c.report_id where c.status = 'fail'",
    )
    # Only the real WPS report, whose printed 表四 totals are 0: stored as printed, flagged.
    assert [(f["title"], f["rule"]) for f in failing] == [
        ("洪泽区人民政府2023年政府信息公开工作年度报告", "t4_row_totals")
    ]
    assert "total printed 0" in failing[0]["detail"]
    rules = rows(
        sample_crawl["db"],
        "select report_id, count(distinct rule) as n from checks where rule != 'cross_year_carry' group by report_id",
    )
    assert len(rules) == 13 and {r["n"] for r in rules} == {7}  # every identity, plausibility, text, tables
    assert len(rows(sample_crawl["db"], "select * from checks where status = 'pass'")) >= 13 * 5


def test_every_original_is_archived_with_its_fetch_record(sample_crawl):
    archive = WarcArchive(archive_dir(sample_crawl["db"]))
    fetches = rows(sample_crawl["db"], "select * from fetches")
    assert len(fetches) == 4 + 13 + 3  # list pages + report pages + attachments (non-reports never fetched)
    for fetch in fetches:
        assert fetch["status"] == 200 and fetch["fetched_at"]
        body = archive.read(fetch["warc_file"], fetch["warc_offset"])
        assert hashlib.sha256(body).hexdigest() == fetch["sha256"]
    pdf = next(f for f in fetches if f["url"].endswith(".pdf"))
    assert pdf["content_type"] == "application/pdf"


def test_attachment_reports_keep_the_page_url(sample_crawl):
    for report in rows(sample_crawl["db"], "select * from reports where source_format in ('pdf', 'docx')"):
        assert report["url"].endswith(".html") and report["source_url"].endswith((".pdf", ".docx"))


def test_second_crawl_changes_nothing(sample_crawl):
    first, second = sample_crawl["counts"]
    assert first == second
    assert first["failures"] == 0 and first["reports"] == 13
    assert "extracted 0 reports" in sample_crawl["outputs"][1]
    second = next(l for l in sample_crawl["outputs"][1].splitlines() if l.startswith("sample_county")).split()
    # list pages, 304s, known skipped, details fetched, attachments fetched
    assert second[1:6] == ["4", "4", "13", "0", "0"]


def test_crawl_prints_portal_health(sample_crawl):
    from govreports.cli import due_year

    line = next(l for l in sample_crawl["outputs"][0].splitlines() if l.startswith("sample_county"))
    assert line.split()[1] == "4" and line.split()[6] == "13"  # list pages, reports
    # columns (the start one), candidates, rejects (the 图解 and 通知 items), failures
    assert line.split()[7:11] == ["1", "13", "2", "0"]
    assert f"no report for {due_year()} yet" in line  # the newest sample report is for 2023


def test_a_years_report_is_due_by_the_end_of_the_next_january():
    import datetime

    from govreports.cli import due_year

    assert due_year(datetime.date(2025, 1, 31)) == 2023 and due_year(datetime.date(2025, 2, 1)) == 2024
