"""The portal_checks and portal_health tables: one row per portal, its latest check or crawl."""


def write_checks(db, rows):
    with db.conn:
        db["portal_checks"].upsert_all(rows, pk="portal_id")


def write_health(db, rows):
    with db.conn:
        db["portal_health"].upsert_all(rows, pk="portal_id")


def portal_counts(db, portal_id, due_year):
    """What the archive holds for one portal: reports (and those of due_year), rejects, open
    failures (and by kind), columns found (the start URL's counted too)."""
    one = lambda sql, *params: db.execute(sql, [portal_id, *params]).fetchone()[0]  # noqa: E731
    kinds = dict(db.execute("select kind, count(*) from failures where portal_id = ? group by kind", [portal_id]))
    return {
        "reports": one("select count(*) from reports where portal_id = ?"),
        "due": one("select count(*) from reports where portal_id = ? and year = ?", due_year),
        "rejects": one("select count(*) from rejects where portal_id = ?"),
        "failures": sum(kinds.values()),
        "failure_kinds": kinds,
        "columns": one("select count(*) + 1 from columns where portal_id = ?"),
    }


def reject_reasons(db, portal_id):
    """{reason: candidates rejected for it} of one portal."""
    return dict(db.execute("select reason, count(*) from rejects where portal_id = ? group by reason", [portal_id]))
