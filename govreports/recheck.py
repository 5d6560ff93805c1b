"""`govreports recheck`: the light re-check of known report URLs (crawler/spiders/recheck.py),
then an extraction run over what changed, so that `report_changes` and `report_removals` are
current. Scheduled on its own (deploy/govreports-recheck.timer, deploy/crontab)."""

from crawler.run import run_recheck
from govreports.extraction import extract_pending
from storage import changes, schema
from storage.lock import database_lock


def recheck(db_path, portal_ids=(), settings_module="crawler.settings", workers=None, overrides=None):
    """Re-check, extract, and say what was found: {rechecked, not_modified, removed,
    extracted, changed, changes, removals} (changes, removals: rows in the tables now)."""
    with database_lock(db_path):
        stats = run_recheck(db_path, portal_ids, settings_module, overrides)
        counts = extract_pending(db_path, workers=workers)
    totals = {key: 0 for key in ("rechecked", "not_modified", "removed")}
    for key, value in stats.items():
        kind = key.rsplit("/", 1)[-1]
        if key.startswith("portal/") and kind in totals:
            totals[kind] += value
    db = schema.open_db(db_path)
    try:
        tallies = changes.change_tallies(db)
    finally:
        db.close()
    return {**totals, "extracted": counts["extracted"], "changed": counts["changed"], **tallies}


def print_recheck(summary):
    print(
        f"re-checked {summary['rechecked']} known report URLs: {summary['not_modified']} not modified, "
        f"{summary['removed']} gone (404/410); {summary['changed']} reports changed. "
        f"In the archive: {summary['changes']} changes after publication, {summary['removals']} removed reports"
    )
