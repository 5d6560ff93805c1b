"""Health after a crawl of many portals: a summary on the terminal, every portal's health
in the `portal_health` table (Datasette: facets region, level, family, flag)."""

import collections
import json

TABLE_UP_TO = 20  # portals: up to this many, the per-portal table is printed as well


def record_health(db_path, portals, health, due_year, crawled_at):
    """The portal_health rows of this crawl, written to the database and returned; a portal
    without a report for due_year says why (no_reports_reason, no_reports_detail)."""
    from crawler.silent_zeros import no_reports_reason
    from storage import agencies, portal_status, schema

    db = schema.open_db(db_path)
    rows = []
    for portal in portals:
        stats = health.get(portal["id"], {})
        counts = portal_status.portal_counts(db, portal["id"], due_year)
        archive = {
            **counts,
            "due_report": int(bool(counts["due"])),
            "reject_reasons": portal_status.reject_reasons(db, portal["id"]),
        }
        reason, detail = no_reports_reason(stats, archive, due_year)
        rows.append(
            {
                "portal_id": portal["id"],
                "name": portal.get("name"),
                "code": portal.get("code"),
                "region": portal.get("region"),
                "level": portal.get("level"),
                "family": portal.get("family") or detected_family(stats),
                "flags": json.dumps(portal.get("flags", []), ensure_ascii=False),
                "crawled_at": crawled_at,
                "list_pages": stats.get("list_pages", 0) + stats.get("list_not_modified", 0),
                "reports_new": stats.get("reports", 0),
                "known_skipped": stats.get("known_skipped", 0),
                "rendered_pages": stats.get("rendered_pages", 0),
                "due_year": due_year,
                "due_report": archive["due_report"],
                **{key: counts[key] for key in ("reports", "failures", "columns")},
                "failure_kinds": json.dumps(counts["failure_kinds"], ensure_ascii=False),
                "no_reports_reason": reason,
                "no_reports_detail": detail,
            }
        )
    portal_status.write_health(db, rows)
    agencies.refresh(db)  # whether a year without report is missing depends on this crawl
    db.close()
    return rows


def detected_family(stats):
    return next((key[len("looks_like_") :] for key in stats if key.startswith("looks_like_")), None)


def print_summary(rows, due_year):
    kinds = collections.Counter()
    for row in rows:
        kinds.update(json.loads(row["failure_kinds"]))
    not_due = [row for row in rows if not row["due_report"]]
    print(
        f"crawled {len(rows):,} portals: {sum(r['reports_new'] for r in rows):,} reports new, "
        f"{sum(r['known_skipped'] for r in rows):,} known; {len(not_due):,} portals with no report for "
        f"{due_year} ({sum(1 for r in not_due if not r['reports']):,} of them with no report at all)"
    )
    reasons = collections.Counter(row["no_reports_reason"] for row in not_due)
    if reasons:
        print(
            f"why no report for {due_year}: "
            + ", ".join(f"{reason} {n:,}" for reason, n in reasons.most_common())
            + " (portal_health.no_reports_detail says what to do)"
        )
    rendered = sum(row.get("rendered_pages") or 0 for row in rows)
    if rendered:
        rendering = sum(1 for row in rows if row.get("rendered_pages"))
        print(f"{rendered:,} list pages filled by script rendered in the browser, on {rendering:,} portals")
    if kinds:
        print("open failures by kind: " + ", ".join(f"{kind} {n:,}" for kind, n in kinds.most_common()))
    print("every portal's health: the table portal_health (govreports serve: /archive/portal_health)")
