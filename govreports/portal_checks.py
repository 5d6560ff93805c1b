"""`govreports portals check`: check the selected portals (crawler/check.py), keep one row per
portal in the database's `portal_checks` table and in a CSV a person can sort, print a
summary, and with `--update` write the columns found back into the registry."""

import collections
import csv
import datetime
import tempfile
from pathlib import Path

from govreports.health import TABLE_UP_TO

CSV_COLUMNS = (
    "portal_id", "name", "region", "level", "verdict", "answers", "failure_kind", "looks_like", "family",
    "columns_found", "first_page_reports", "list_pages_announced", "disclosure_home", "start_url", "final_url", "title", "flags",
    "failure_detail", "checked_at",
)  # fmt: skip


def check_portals(portals, db_path, csv_path, registry_path, update, settings_module, overrides):
    from crawler.check import check_rows, run_check, update_registry
    from storage import portal_status, schema
    from storage.lock import database_lock
    from storage.migrations import migrate

    checked_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="govreports-check-") as scratch:
        # the failures are in the rows: the log keeps to errors, under the progress bar
        quiet = {"LOG_LEVEL": "ERROR", **(overrides or {})}
        results = run_check(portals, Path(scratch) / "check.db", settings_module, quiet)
    rows = check_rows(portals, results, checked_at)
    with database_lock(db_path):
        migrate(db_path)
        db = schema.open_db(db_path)
        portal_status.write_checks(db, rows)
        db.close()
    write_csv(rows, csv_path)
    if len(rows) <= TABLE_UP_TO:
        print_table(rows)
    print_summary(rows)
    print(f"one row per portal in the table portal_checks of {db_path} and in {csv_path}")
    if update:
        count = update_registry(registry_path, rows, checked_at[:10])
        print(f"--update: {count} portals got the columns found as extra start URLs")
    return 0


def print_table(rows):
    print(f"{'portal':<28} {'status':<10} {'family':<22} {'reports':>7} {'columns':>7}  start URL")
    for row in rows:
        status = {"failed": "FAILED", "dead_end": "DEAD END", "ok": "ok"}[row["verdict"]]
        print(
            f"{row['portal_id']:<28} {status:<10} {family_verdict(row):<22} {row['first_page_reports']:>7} "
            f"{row['columns_found']:>7}  {row['start_url']}"
        )


def family_verdict(row):
    """'trs ok', 'hanweb: looks like trs', or 'looks like gkmlpt' when the registry names none."""
    looks, declared = row["looks_like"], row["family"]
    if looks is None:
        return "-"
    if declared is None:
        return f"looks like {looks}"
    return f"{declared} ok" if declared == looks else f"{declared}: looks like {looks}"


def write_csv(rows, path):
    """Sorted as a person reads it: failures first (by kind), then dead ends, then the rest."""
    order = {"failed": 0, "dead_end": 1, "ok": 2}
    ranked = sorted(
        rows, key=lambda r: (order[r["verdict"]], r["failure_kind"] or "", r["region"] or "", r["portal_id"])
    )
    with open(path, "w", newline="", encoding="utf-8-sig") as out:  # the BOM: Excel reads it as UTF-8
        writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(ranked)


def print_summary(rows):
    verdicts = collections.Counter(row["verdict"] for row in rows)
    kinds = collections.Counter(row["failure_kind"] for row in rows if row["failure_kind"])
    answered = sum(row["answers"] for row in rows)
    print(
        f"checked {len(rows):,} portals: {answered:,} answered; {verdicts['ok']:,} lead to reports "
        f"({sum(1 for r in rows if r['columns_found']):,} with an annual-report column found, "
        f"{sum(1 for r in rows if r['disclosure_home']):,} through their 信息公开 home), "
        f"{verdicts['dead_end']:,} dead ends (need a column by hand), {verdicts['failed']:,} failed"
    )
    if kinds:
        print("failures by kind: " + ", ".join(f"{kind} {n:,}" for kind, n in kinds.most_common()))
