"""Named migrations, each applied once, by the commands that write; opening a database only
connects. An archive the code before named migrations left is brought forward whole."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from extractors import keys
from storage import migrations, reports, schema

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

BEFORE_MIGRATIONS = Path(__file__).parents[1] / "fixtures" / "archive_before_migrations.db"
NAMES = [migration.__name__ for migration in migrations.MIGRATIONS]


def schema_rows(path):
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute("select type, name, sql from sqlite_master"), key=repr)


def table_rows(path, table):
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(f"select * from {table}"), key=repr)


def wide_rows(path):
    """The wide view's rows as {column: value}, by report id."""
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return sorted((dict(row) for row in conn.execute("select * from report_cells")), key=lambda row: row["id"])


def aligned(row):
    """A row of the wide view as it was made before the layouts were aligned, as it reads now:
    （六）其他处理 of a report printing its three rows (2021) is their sum."""
    parts = keys.T3_OTHER_ROWS["2021"]
    out = dict(row)
    for col in keys.T3_COLUMNS:
        values = [row[f"t3_{part}_{col}"] for part in parts]
        if row[f"t3_other_{col}"] is None and None not in values:
            out[f"t3_other_{col}"] = sum(values)
    return out


def test_opening_a_database_only_connects(tmp_path):
    fresh = tmp_path / "fresh.db"
    schema.open_db(fresh).close()
    assert schema_rows(fresh) == []
    old = tmp_path / "old.db"
    shutil.copy(BEFORE_MIGRATIONS, old)
    before = schema_rows(old)
    db = schema.open_db(old)
    assert db.execute("select count(*) from reports").fetchone()[0] == 13
    db.close()
    assert schema_rows(old) == before


def test_each_migration_is_applied_once(tmp_path):
    path = tmp_path / "archive.db"
    assert len(set(NAMES)) == len(NAMES)
    assert migrations.migrate(path) == NAMES
    made = schema_rows(path)
    assert migrations.migrate(path) == []
    assert schema_rows(path) == made
    assert [name for (name,) in sqlite3.connect(path).execute("select name from _migrations order by rowid")] == NAMES


def test_every_table_of_the_schema_is_made_by_a_migration(tmp_path):
    """A table added to schema.SCHEMA needs a migration appended (create_tables) too: archives
    that had the first migrations would not get it otherwise."""
    path = tmp_path / "archive.db"
    migrations.migrate(path)
    db = schema.open_db(path)
    for name, (columns, _) in schema.SCHEMA.items():
        assert db[name].exists(), f"append migrations.create_tables({name!r}) to MIGRATIONS"
        assert set(columns) <= set(db[name].columns_dict), name


def test_an_archive_of_the_code_before_named_migrations_is_brought_forward(tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(BEFORE_MIGRATIONS, path)
    kept = {table: table_rows(path, table) for table in ("reports", "facts", "checks", "report_urls")}
    wide = wide_rows(path)
    assert len(kept["facts"]) > 1000
    assert migrations.migrate(path) == NAMES
    for table, rows in kept.items():
        assert table_rows(path, table) == rows, table
    assert wide_rows(path) == [aligned(row) for row in wide]  # the wide view aligns the layouts now
    db = schema.open_db(path)
    found = db.execute(
        "select count(*) from reports_fts join reports r on r.rowid = reports_fts.rowid where reports_fts match ?",
        ['"年度"'],
    ).fetchone()[0]
    assert found == 13
    report = dict(next(db["reports"].rows))
    changed = {**report, "text": report["text"] + "（更正）", "content_hash": None}
    facts = [{"table": "t3", "row": "granted", "col": "total", "value": 7, "raw": "7"}]
    assert reports.save_report(db, changed, facts, []) is True
    assert db.execute("select count(*) from reports where id = ?", [report["id"]]).fetchone()[0] == 1
    db.close()
    assert migrations.migrate(path) == []


def test_views_out_of_step_with_the_code_are_made_again(tmp_path):
    path = tmp_path / "archive.db"
    migrations.migrate(path)
    made = schema_rows(path)
    with sqlite3.connect(path) as conn:
        conn.execute("drop view report_cells")
        conn.execute('drop view "报告统计表"')
        conn.execute('create view "报告统计表" as select 1 as x')
        conn.execute("delete from cell_labels where rowid = 1")
    assert migrations.migrate(path) == []
    assert schema_rows(path) == made
    assert len(table_rows(path, "cell_labels")) == len(migrations.cell_label_rows())


RENAME = "rename_source_hashes_and_rejects_judged_by"


def test_an_archive_with_the_old_column_names_keeps_its_values_under_the_new(tmp_path):
    """source_sha256 became source_hashes (it holds a comma-joined list), rejects.stage became
    judged_by (failures.stage, the crawl step, keeps its name): an archive every other migration
    was applied to is renamed in place."""
    path = tmp_path / "archive.db"
    migrations.migrate(path)
    with sqlite3.connect(path) as conn:
        for table in ("report_rows", "report_versions", "duplicates", "rejects"):
            conn.execute(f"alter table {table} rename column source_hashes to source_sha256")
        conn.execute("alter table rejects rename column judged_by to stage")
        conn.execute("insert into rejects (url, reason, stage, source_sha256) values ('u', 'r', 'content', 'a,b|9')")
        conn.execute("insert into duplicates (page_url, source_sha256) values ('p', 'c,d')")
        conn.execute("delete from _migrations where name = ?", [RENAME])
    assert migrations.migrate(path) == [RENAME]
    assert table_rows(path, "rejects")[0][4:7] == ("content", None, "a,b|9")
    db = schema.open_db(path)
    assert [r["source_hashes"] for r in db["duplicates"].rows] == ["c,d"]
    assert "stage" in db["failures"].columns_dict and "stage" not in db["rejects"].columns_dict
    for name, (columns, _) in schema.SCHEMA.items():
        assert set(columns) == set(db[name].columns_dict), name


def test_the_source_hashes_of_an_archive_before_named_migrations_are_kept(tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(BEFORE_MIGRATIONS, path)
    before = {row[0] for row in sqlite3.connect(path).execute("select source_sha256 from reports")}
    migrations.migrate(path)
    after = {row[0] for row in sqlite3.connect(path).execute("select source_hashes from report_rows")}
    assert after == before and None not in after
