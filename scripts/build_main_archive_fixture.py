"""Build tests/fixtures/archive_before_migrations.db: the archive an earlier release of the
code leaves (before named migrations), for the test that brings it forward.

    git worktree add /tmp/before ad3a146   # the last commit before named migrations
    python scripts/build_main_archive_fixture.py /tmp/before

runs that checkout's `govreports demo --no-serve` (the bundled sample portal, crawled and
extracted offline) into a scratch folder, then keeps the database only (the WARC files stay
out: the test reads the rows, not the captures), vacuumed."""

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "archive_before_migrations.db"


def main(checkout):
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "archive.db"
        subprocess.run(
            [sys.executable, "-m", "govreports.cli", "demo", "--no-serve", "--db", str(db)],
            cwd=checkout,
            env={**os.environ, "PYTHONPATH": str(checkout)},
            check=True,
        )
        conn = sqlite3.connect(db)
        conn.execute("pragma journal_mode=delete")
        conn.execute("vacuum")
        conn.close()
        OUT.write_bytes(db.read_bytes())
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
