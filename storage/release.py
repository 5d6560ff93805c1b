"""What a bulk release (`govreports export`, govreports/release.py) reads from the archive: a
consistent copy of the database file, and the rows of the tables and views it publishes as CSV."""

import sqlite3

from .views import WIDE_VIEW, WIDE_VIEW_ZH

# The CSV files of a release: file stem -> (table or view, its columns; None for all)
REPORT_COLUMNS = (
    "id", "url", "title", "agency", "year", "layout", "published", "portal_id", "source_format",
    "source_url", "region", "level", "facts_count", "checks_failed", "check_status",
)  # fmt: skip
RELEASE_TABLES = {
    "reports": ("reports", REPORT_COLUMNS),
    "facts": ("facts", ("report_id", "table_key", "row_key", "col_key", "value", "raw", "flags", "confidence")),
    "report_cells": (WIDE_VIEW, None),
    "report_cells_zh": (WIDE_VIEW_ZH, None),
    "checks": ("checks", ("report_id", "rule", "status", "detail")),
    "cell_labels": ("cell_labels", None),
}


def copy_database(source_path, copy_path):
    """A consistent copy of the database: SQLite's online backup copies the pages of one
    moment, even while a crawl writes. The copy is in rollback-journal mode, so it opens
    read-only from any folder (no -wal or -shm file needed)."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(copy_path)
    try:
        source.backup(copy)
        copy.execute("pragma journal_mode=delete")
    finally:
        copy.close()
        source.close()


def open_copy(copy_path):
    return sqlite3.connect(f"file:{copy_path}?mode=ro", uri=True)


def table_rows(db, table, columns=None):
    """(column names, a cursor over the rows) of a table or view, in its stored order."""
    selected = ", ".join(f'"{column}"' for column in columns) if columns else "*"
    cursor = db.execute(f'select {selected} from "{table}"')
    return [description[0] for description in cursor.description], cursor


def cell_labels(db):
    """{wide column name: (table_key, row_key, col_key, Chinese label)} of every canonical cell."""
    rows = db.execute("select column_name, table_key, row_key, col_key, label from cell_labels")
    return {name: (t, r, c, label) for name, t, r, c, label in rows}


def report_count(db):
    return db.execute("select count(*) from report_rows").fetchone()[0]


def extracted_until(db):
    """The time of the latest extraction in the archive (ISO 8601), or None."""
    return db.execute("select max(extracted_at) from report_rows").fetchone()[0]
