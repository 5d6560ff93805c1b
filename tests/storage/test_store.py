"""Storage: versions only when what a reader sees changes; idempotent writes."""

import sqlite3

import pytest

from storage import migrations, reports, schema

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

REPORT = {
    "id": "r1",
    "url": "http://x.gov.cn/t1.html",
    "title": "某局2022年政府信息公开工作年度报告",
    "agency": "某局",
    "year": 2022,
    "layout": "2021",
    "published": "2023-01-20",
    "portal_id": "p",
    "source_format": "html",
    "source_url": "http://x.gov.cn/t1.html",
    "sections": "{}",
    "source_hashes": "a",
    "extractor_version": "1",
    "text": "正文 浏览次数：312 今天是：2026年11月23日 星期一",
}
FACTS = [{"table": "t2", "row": "fees", "col": "amount", "value": 1.5, "raw": "1.5"}]
CHECKS = [{"rule": "t3_balance", "status": "pass", "detail": ""}]


def migrated(path):
    """The database at path, its migrations applied (as a command that writes does)."""
    migrations.migrate(path)
    return schema.open_db(path)


def versions(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select version from report_versions order by version").fetchall()


def test_visit_counters_and_dates_do_not_make_a_new_version(tmp_path):
    db = migrated(tmp_path / "a.db")
    assert reports.save_report(db, REPORT, FACTS, CHECKS) is True
    revisited = {**REPORT, "source_hashes": "b", "text": "正文 浏览次数：313 今天是：2026年11月24日 星期二"}
    assert reports.save_report(db, revisited, FACTS, CHECKS) is False
    assert versions(tmp_path / "a.db") == [(1,)]


def test_a_changed_cell_makes_a_new_version_and_replaces_facts(tmp_path):
    db = migrated(tmp_path / "a.db")
    reports.save_report(db, REPORT, FACTS, CHECKS)
    corrected = [{**FACTS[0], "value": 2.5, "raw": "2.5"}]
    assert reports.save_report(db, REPORT, corrected, CHECKS) is True
    assert versions(tmp_path / "a.db") == [(1,), (2,)]
    assert [r["value"] for r in db["facts"].rows] == [2.5]
    assert db.execute("select count(*) from reports_fts where reports_fts match ?", ['"正文"']).fetchone()[0] == 1


def test_cross_year_carry_over(tmp_path):
    db = migrated(tmp_path / "a.db")

    def report(rid, year, forward, over):
        row = {**REPORT, "id": rid, "year": year, "url": f"http://x.gov.cn/{rid}.html"}
        facts = [
            {"table": "t3", "row": "carried_forward", "col": "total", "value": forward, "raw": str(forward)},
            {"table": "t3", "row": "carried_over", "col": "total", "value": over, "raw": str(over)},
        ]
        reports.save_report(db, row, facts, [])

    report("y2020", 2020, forward=4, over=0)
    report("y2021", 2021, forward=2, over=4)  # agrees with 2020
    report("y2022", 2022, forward=0, over=3)  # 2021 carried forward 2, not 3
    reports.refresh_cross_year_checks(db)
    rows = {r["report_id"]: r for r in db["checks"].rows_where("rule = 'cross_year_carry'")}
    assert set(rows) == {"y2021", "y2022"}
    assert rows["y2021"]["status"] == "pass"
    assert rows["y2022"]["status"] == "fail" and "carried forward 2" in rows["y2022"]["detail"]


def test_a_value_read_by_ocr_keeps_its_flag_and_confidence(tmp_path):
    db = migrated(tmp_path / "a.db")
    ocr_fact = {
        "table": "t3",
        "row": "granted",
        "col": "total",
        "value": 7,
        "raw": "7",
        "flags": ["ocr"],
        "confidence": 0.987,
    }
    reports.save_report(db, REPORT, FACTS + [ocr_fact], CHECKS)
    rows = db.execute("select row_key, flags, confidence from facts order by row_key").fetchall()
    assert rows == [("fees", None, None), ("granted", "ocr", 0.987)]


def old_archive(path):
    """An archive.db of the schema before report_rows/fact_values, as that code left it."""
    from pathlib import Path

    from storage.search import index_text

    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parents[1] / "fixtures" / "archive_schema_v1.sql").read_text(encoding="utf-8"))
    for rowid, title, agency, text in conn.execute("select rowid, title, agency, text from reports").fetchall():
        conn.execute(
            "insert into reports_fts (rowid, title, agency, text) values (?, ?, ?, ?)",
            [rowid, index_text(title), index_text(agency), index_text(text)],
        )
    conn.commit()
    before = {
        table: conn.execute(f"select {columns} from {table} order by 1, 2, 3").fetchall()
        for table, columns in COMPARED_COLUMNS.items()
    }
    before["reports"] = conn.execute(f"select {', '.join(REPORT_FIELDS)} from reports order by id").fetchall()
    conn.close()
    return before


# the earlier schema's columns (facts has gained the confidence of OCR values since)
COMPARED_COLUMNS = {
    "facts": "report_id, table_key, row_key, col_key, value, raw, flags",
    "checks": "*",
    "report_versions": "*",
}
REPORT_FIELDS = (
    "id",
    "url",
    "title",
    "agency",
    "year",
    "layout",
    "published",
    "portal_id",
    "source_format",
    "sections",
    "text",
    "version",
    "content_hash",
)


def test_an_archive_of_the_earlier_schema_is_brought_forward_once(tmp_path):
    path = tmp_path / "archive.db"
    before = old_archive(path)
    for _ in range(2):  # the second run finds nothing left to move
        migrations.migrate(path)
        with sqlite3.connect(path) as conn:
            kinds = dict(conn.execute("select name, type from sqlite_master where name in ('reports', 'facts')"))
            assert kinds == {"reports": "view", "facts": "view"}
            for table, columns in COMPARED_COLUMNS.items():
                assert conn.execute(f"select {columns} from {table} order by 1, 2, 3").fetchall() == before[table]
            assert (
                conn.execute(f"select {', '.join(REPORT_FIELDS)} from reports order by id").fetchall()
                == before["reports"]
            )
            found = conn.execute(
                "select r.id from reports_fts join reports r on r.rowid = reports_fts.rowid where reports_fts match ?",
                ['"复议"'],
            ).fetchall()
            assert found == [("r1",)]


def test_a_migrated_report_is_rewritten_cleanly(tmp_path):
    path = tmp_path / "archive.db"
    old_archive(path)
    db = migrated(path)
    row = {**REPORT, "id": "r1", "text": "正文改过"}
    assert reports.save_report(db, row, FACTS, CHECKS) is True
    assert [(r["report_id"], r["raw"]) for r in db.query("select * from facts where report_id = 'r1'")] == [
        ("r1", "1.5")
    ]
    assert db.execute("select count(*) from reports_fts where reports_fts match ?", ['"复议"']).fetchone()[0] == 0
    assert db.execute("select count(*) from reports_fts where reports_fts match ?", ['"正文"']).fetchone()[0] == 1


def test_an_old_search_index_is_rebuilt_with_the_prefix_index(tmp_path):
    path = tmp_path / "archive.db"
    old_archive(path)
    with sqlite3.connect(path) as conn:
        assert (
            schema.FTS_OPTIONS
            not in conn.execute("select sql from sqlite_master where name = 'reports_fts'").fetchone()[0]
        )
    migrations.migrate(path)
    with sqlite3.connect(path) as conn:
        assert (
            schema.FTS_OPTIONS in conn.execute("select sql from sqlite_master where name = 'reports_fts'").fetchone()[0]
        )
        for query, expected in (('"复议"', [("r1",)]), ('"年"*', [("r1",), ("r2",)]), ('"依申 申请"', [("r2",)])):
            found = conn.execute(
                "select r.id from reports_fts join reports r on r.rowid = reports_fts.rowid "
                "where reports_fts match ? order by r.id",
                [query],
            ).fetchall()
            assert found == expected, query
