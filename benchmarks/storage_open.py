"""What opening the database costs: schema.open_db next to a bare SQLite connection (the
floor), and the connection's first statement, which makes SQLite read the schema (every
open pays it at its first query, whatever opened it); with the code of this checkout, also
what a command that writes pays once for the migrations when none is pending.

    python benchmarks/storage_open.py [--root CHECKOUT] [--opens 200]

--root measures another checkout's storage package (e.g. the code before named migrations,
whose open_db migrated at every open) on a copy of the same archive:
tests/fixtures/archive_before_migrations.db (13 reports of the sample portal)."""

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT / "tests" / "fixtures" / "archive_before_migrations.db"


def per_call_ms(action, calls):
    """The best of five rounds of `calls` calls, in ms a call."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        best = min(best, time.perf_counter() - start)
    return best / calls * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose storage/ is measured")
    parser.add_argument("--opens", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from storage import schema

    folder = Path(tempfile.mkdtemp())
    path = folder / "archive.db"
    shutil.copy(ARCHIVE, path)
    try:
        from storage import migrations
    except ImportError:  # the code before named migrations: its open_db migrates
        migrations = None
        schema.open_db(path).close()
    else:
        migrations.migrate(path)

    def bare():
        sqlite3.connect(path).close()

    def bare_and_first_statement():
        conn = sqlite3.connect(path)
        conn.execute("select count(*) from report_rows").fetchone()
        conn.close()

    def open_db():
        schema.open_db(path).close()

    def open_db_and_first_statement():
        db = schema.open_db(path)
        db.execute("select count(*) from report_rows").fetchone()
        db.close()

    floor = per_call_ms(bare, args.opens)
    print(f"storage/ of {args.root.resolve()}")
    print(f"bare sqlite3 connection (floor)           {floor:8.3f} ms")
    for label, action in (
        ("bare connection + first statement", bare_and_first_statement),
        ("schema.open_db", open_db),
        ("schema.open_db + first statement", open_db_and_first_statement),
    ):
        ms = per_call_ms(action, args.opens)
        print(f"{label:<42}{ms:8.3f} ms  {ms / floor:7.1f}x the floor")
    if migrations is not None:
        ms = per_call_ms(lambda: migrations.migrate(path), max(1, args.opens // 20))
        print(f"{'migrations.migrate, none pending':<42}{ms:8.3f} ms  (once per command that writes)")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
