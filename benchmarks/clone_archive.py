"""A bigger archive for the search benchmarks, made from a smaller one in minutes instead of
hours: every report copied `--copies` times under new numbers and ids (same title, agency,
text and facet values), its search tokens indexed for each copy. No facts or checks are
copied: the search page reads report_rows, report_texts and reports_fts only.

    python benchmarks/clone_archive.py /tmp/bench100000/archive.db /tmp/bench1m/archive.db --copies 9

then `storage_search.py --db /tmp/bench1m/archive.db --reuse --no-sizes --search-only`.
"""

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's storage

from storage.schema import FTS_TABLE  # noqa: E402
from storage.search import index_text  # noqa: E402

BATCH = 500  # source reports a transaction


def clone(source, target, copies):
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as conn:
        conn.execute("VACUUM INTO ?", [str(target)])
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    last = db.execute("select max(num) from report_rows").fetchone()[0]
    columns = [row[1] for row in db.execute("pragma table_info(report_rows)")]
    copied = ", ".join(
        "num + :shift" if c == "num" else f"{c} || :suffix" if c in ("id", "url") else c for c in columns
    )
    started = time.perf_counter()
    for copy in range(1, copies + 1):
        shift = {"shift": copy * last, "suffix": f"#copy{copy}"}
        db.execute(
            f"insert into report_rows ({', '.join(columns)}) select {copied} from report_rows where num <= {last}",
            shift,
        )
        db.execute(
            "insert into report_texts (num, text, sections) "
            f"select num + :shift, text, sections from report_texts where num <= {last}",
            shift,
        )
        db.commit()
        print(f"  rows of copy {copy} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    reader = sqlite3.connect(source)
    rows = reader.execute(
        "select r.num, r.title, r.agency, t.text from report_rows r join report_texts t on t.num = r.num order by r.num"
    )
    done = 0
    while batch := rows.fetchmany(BATCH):
        tokens = [(num, index_text(title), index_text(agency), index_text(text)) for num, title, agency, text in batch]
        db.executemany(
            f"insert into {FTS_TABLE} (rowid, title, agency, text) values (?, ?, ?, ?)",
            [(num + copy * last, *rest) for copy in range(1, copies + 1) for num, *rest in tokens],
        )
        db.commit()
        done += len(batch)
        print(f"\r  indexed {done * copies:,} copies, {time.perf_counter() - started:.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    total = db.execute("select count(*) from report_rows").fetchone()[0]
    print(f"{total:,} reports in {target} after {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=9)
    args = parser.parse_args()
    clone(args.source, args.target, args.copies)


if __name__ == "__main__":
    main()
