"""storage/changes.py on its own: which cells and which passage changed, and when a report
counts as gone from its column."""

import pytest

from storage import changes, reports, schema
from storage.migrations import migrate

pytestmark = pytest.mark.unit


def test_changed_cells_name_each_cell_with_its_old_and_new_value():
    old = {("t3", "new_received", "total"): 8, ("t4", "review", "total"): 1}
    new = {("t3", "new_received", "total"): 9, ("t2", "fees", "amount"): 1.5, ("t4", "review", "total"): 1}
    assert changes.changed_cells(old, new) == [
        {"cell": "t2/fees/amount", "old": None, "new": 1.5},
        {"cell": "t3/new_received/total", "old": 8, "new": 9},
    ]


def test_the_first_difference_ignores_whitespace_and_visit_counters():
    assert changes.first_difference("全年收到申请 8 件。浏览次数：12", "全年收到申请8件。浏览次数：99") == (None, None)
    before, after = changes.first_difference(
        "前文" * 50 + "申请8件" + "后文" * 50, "前文" * 50 + "申请9件" + "后文" * 50
    )
    assert "申请8件" in before and "申请9件" in after
    assert len(before) <= 2 * changes.TEXT_EXCERPT + 1


def stored(path, *urls):
    migrate(path)
    db = schema.open_db(path)
    for i, url in enumerate(urls):
        row = {"id": f"r{i}", "url": url, "title": "t", "agency": "示例县财政局", "year": 2022, "portal_id": "p"}
        row.update(source_hashes="s", extractor_version="x", text="正文")
        reports.save_reports(db, [(row, [], [])])
    return db


def test_a_report_gone_from_every_column_of_a_fully_read_portal_is_flagged(tmp_path):
    db = stored(tmp_path / "archive.db", "http://x/a.html", "http://x/b.html", "http://x/c.html")
    first = {
        ("p", "http://x/col1/"): ["http://x/a.html", "http://x/b.html"],
        ("p", "http://x/col2/"): ["http://x/c.html"],
    }
    with db.conn:
        assert changes.record_column_listings(db, first, set(), "2026-01-01T00:00:00+00:00") == []
    # b.html moved to the other column, c.html left every column, a.html stayed
    second = {("p", "http://x/col1/"): ["http://x/a.html"], ("p", "http://x/col2/"): ["http://x/b.html"]}
    with db.conn:
        assert changes.record_column_listings(db, second, set(), "2026-02-01T00:00:00+00:00") == ["http://x/c.html"]
    [removal] = db.execute("select report_id, status, column_url from report_removals").fetchall()
    assert removal == ("r2", "gone_from_column", "http://x/col2/")
    # a portal whose list pages did not all answer flags nothing; a report listed again is withdrawn
    third = {("p", "http://x/col1/"): ["http://x/a.html", "http://x/c.html"]}
    with db.conn:
        assert changes.record_column_listings(db, third, {"p"}, "2026-03-01T00:00:00+00:00") == []
    assert db.execute("select count(*) from report_removals").fetchone()[0] == 0


def test_a_404_is_withdrawn_when_that_url_answers_again_not_when_another_does(tmp_path):
    db = stored(tmp_path / "archive.db", "http://x/a.html")
    with db.conn:
        db.execute(
            "insert into documents (url, role, parent_url) values ('http://x/a.pdf', 'attachment', 'http://x/a.html')"
        )
        assert changes.record_removal(db, "http://x/a.pdf", "http_404")
        assert not changes.record_removal(db, "http://x/unknown.html", "http_404")
    [(rid, url, missing)] = db.execute("select report_id, url, missing_url from report_removals").fetchall()
    assert (rid, url, missing) == ("r0", "http://x/a.html", "http://x/a.pdf")
    changes.note_present(db, "http://x/a.html")  # the page answered: its attachment is still gone
    assert db.execute("select count(*) from report_removals").fetchone()[0] == 1
    changes.note_present(db, "http://x/a.pdf")
    assert db.execute("select count(*) from report_removals").fetchone()[0] == 0
