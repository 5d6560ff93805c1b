"""The SQLite database (archive.db): its schema, its views and the search index's table,
and the connection to it (migrations.py brings an archive to this schema).

Tables (interfaces.md, extended): checks, fetches, documents, failures, portals,
portal_checks (the latest `portals check` of each portal), portal_health (each portal's
health after its latest crawl), columns
(the annual-report columns a crawl found), rejects (candidates that are no report, and why),
url_aliases (other URLs of a document: big5 gateway, `_wap`), duplicates (report pages whose
content equals a report already stored, e.g. one report in the 部门 and the 本级 column),
reports_fts (contentless FTS5 over Han bigrams, rowid = report_rows.num), report_changes,
report_removals and column_links (what changed after publication: storage/changes.py), and
the view report_urls: every URL under which a report was published.

`reports` and `facts` (interfaces.md) are views, so that a million reports stay fast to
write, search and facet:
- report_rows: one light row per report (metadata, counts), `num` its integer key;
  report_texts: its text and sections, by num; reports = report_rows + report_texts
  (its `rowid` column is num, the reports_fts rowid);
- fact_values: WITHOUT ROWID, (report num, cell id) -> value, raw, flags, confidence (of a
  value read by OCR), where raw is NULL when it is the plain integer of value; fact_cells:
  the cell ids, append-only; facts = fact_values with the report id and the canonical keys.
Summaries, rebuilt after every extraction run (storage/reports.py): the facet counts of
the big pages (FACET_SUMMARIES: report_counts, check_counts, ...), fact_totals, late_days
and top_applications. Agencies (storage/agencies.py, rebuilt with them and after each
crawl's portal health): agencies, agency_names, agency_reports and the compliance grid.
"""

import datetime

import sqlite_utils

from extractors.vocabulary import FACET_COLUMNS

SCHEMA = {
    "portals": ({"id": str, "name": str, "region": str, "level": str, "family": str, "start_urls": str}, "id"),
    "fetches": (
        {
            "url": str,
            "sha256": str,
            "status": int,
            "fetched_at": str,
            "last_fetched_at": str,
            "content_type": str,
            "size": int,
            "headers": str,
            "portal_id": str,
            "warc_file": str,
            "warc_offset": int,
            "payload_digest": str,
            "warc_date": str,
        },
        ("url", "sha256"),
    ),
    "documents": (
        {
            "url": str,
            "portal_id": str,
            "role": str,
            "parent_url": str,
            "doc_key": str,
            "title": str,
            "attachment_urls": str,
            "sha256": str,
            "content_type": str,
            "http_charset": str,
            "discovered_at": str,
        },
        "url",
    ),
    "report_rows": (
        {
            "num": int,
            "id": str,
            "url": str,
            "title": str,
            "agency": str,
            "year": int,
            "layout": str,
            "published": str,
            "portal_id": str,
            "source_format": str,
            "source_url": str,
            "region": str,
            "level": str,
            "facts_count": int,
            "checks_failed": int,
            "check_status": str,
            "source_hashes": str,
            "extractor_version": str,
            "content_hash": str,
            "fingerprint": str,
            "version": int,
            "changed_at": str,
            "extracted_at": str,
        },
        "num",
    ),
    "report_texts": ({"num": int, "text": str, "sections": str}, "num"),
    "report_versions": (
        {
            "report_id": str,
            "version": int,
            "content_hash": str,
            "source_hashes": str,
            "extractor_version": str,
            "recorded_at": str,
        },
        ("report_id", "version"),
    ),
    "fact_cells": ({"id": int, "table_key": str, "row_key": str, "col_key": str}, "id"),
    # passing: 0 for the reports whose checks fail (left out of the figures unless asked for)
    "fact_totals": (
        {"year": int, "region": str, "cell": int, "reports": int, "total": float, "level": str, "passing": int},
        None,
    ),
    # the charts' measures per year, region and level, one column each (reports.CHART_MEASURES)
    "chart_totals": (
        {
            "year": int,
            "region": str,
            "level": str,
            "passing": int,
            "received": float,
            "reviews": float,
            "lawsuits": float,
            "granted": float,
            "partially_granted": float,
            "denied": float,
            "unavailable": float,
            "not_processed": float,
            "other": float,
        },
        None,
    ),
    "late_days": ({"num": int, "days": float}, "num"),
    "top_applications": ({"year": int, "num": int, "value": float}, None),
    "checks": ({"report_id": str, "rule": str, "status": str, "detail": str}, None),
    "url_aliases": ({"alias": str, "url": str, "kind": str, "portal_id": str, "seen_at": str}, "alias"),
    "duplicates": (
        {
            "page_url": str,
            "page_report_id": str,
            "report_id": str,
            "portal_id": str,
            "source_hashes": str,
            "extractor_version": str,
            "recorded_at": str,
        },
        "page_url",
    ),
    # every annual-report column the crawl found: where, from which page, by which link text
    "columns": (
        {
            "url": str,
            "portal_id": str,
            "parent_url": str,
            "link_text": str,
            "depth": int,
            "first_seen": str,
            "last_seen": str,
        },
        ("portal_id", "url"),
    ),
    # candidates judged not to be reports, and why (by their title, or by their content)
    "rejects": (
        {
            "url": str,
            "portal_id": str,
            "title": str,
            "reason": str,
            "judged_by": str,
            "column_url": str,
            "source_hashes": str,
            "first_seen": str,
            "last_seen": str,
        },
        "url",
    ),
    "failures": (
        {
            "url": str,
            "stage": str,
            "kind": str,
            "message": str,
            "retryable": int,
            "portal_id": str,
            "sha256": str,
            "first_seen": str,
            "last_seen": str,
            "attempts": int,
        },
        ("url", "stage"),
    ),
    # the latest `portals check` of each portal (crawler/check.py): answers, family, 信息公开
    # home, annual-report columns, reports on their first pages, failure kind
    "portal_checks": (
        {
            "portal_id": str,
            "name": str,
            "code": str,
            "region": str,
            "level": str,
            "flags": str,
            "start_url": str,
            "verdict": str,
            "answers": int,
            "status": int,
            "final_url": str,
            "title": str,
            "family": str,
            "looks_like": str,
            "disclosure_home": str,
            "columns_found": int,
            "column_urls": str,
            "first_page_reports": int,
            "list_pages_announced": int,
            "failure_kind": str,
            "failure_detail": str,
            "checked_at": str,
        },
        "portal_id",
    ),
    # each portal's health after its latest crawl (govreports/health.py)
    "portal_health": (
        {
            "portal_id": str,
            "name": str,
            "code": str,
            "region": str,
            "level": str,
            "family": str,
            "flags": str,
            "crawled_at": str,
            "list_pages": int,
            "reports_new": int,
            "known_skipped": int,
            "reports": int,
            "due_year": int,
            "due_report": int,
            "failures": int,
            "failure_kinds": str,
            "columns": int,
            "no_reports_reason": str,
            "no_reports_detail": str,
            "rendered_pages": int,
        },
        "portal_id",
    ),
    # who publishes and when (storage/agencies.py)
    "agencies": (
        {
            "id": str,
            "name": str,
            "kind": str,
            "level": str,
            "region": str,
            "code": str,
            "portal_id": str,
            "registered": int,
            "first_year": int,
            "last_year": int,
            "reports": int,
            "sort_key": str,
        },
        "id",
    ),
    "agency_names": (
        {"agency_id": str, "name": str, "how": str, "first_year": int, "last_year": int, "reports": int},
        ("agency_id", "name"),
    ),
    "agency_reports": ({"num": int, "agency_id": str, "year": int}, "num"),
    "compliance": (
        {
            "agency_id": str,
            "year": int,
            "status": str,
            "days_late": int,
            "report_id": str,
            "date": str,
            "date_source": str,
            "deadline": str,
            "reason": str,
            "name": str,
            "kind": str,
            "level": str,
            "region": str,
            "portal_id": str,
            "sort_key": str,
            "judged_at": str,
        },
        ("agency_id", "year"),
    ),
    # reports whose published source changed after their first capture, and what changed
    # (storage/changes.py): kinds text / numbers / attachment; cells a JSON list of
    # {cell: 't3/new_received/total', old, new}; text_before/after the first differing passage
    "report_changes": (
        {
            "report_id": str,
            "from_version": int,
            "to_version": int,
            "url": str,
            "portal_id": str,
            "agency": str,
            "year": int,
            "region": str,
            "first_seen": str,
            "changed_at": str,
            "kinds": str,
            "text_changed": int,
            "cells_changed": int,
            "cells": str,
            "text_before": str,
            "text_after": str,
            "attachment_changed": int,
            "old_source_hashes": str,
            "new_source_hashes": str,
        },
        ("report_id", "to_version"),
    ),
    # reports gone from their portal: status http_404 / http_410 (the re-check) or
    # gone_from_column (a crawl that read the column fully no longer lists it)
    "report_removals": (
        {
            "report_id": str,
            "url": str,
            "missing_url": str,
            "portal_id": str,
            "agency": str,
            "year": int,
            "region": str,
            "status": str,
            "column_url": str,
            "first_seen_missing": str,
            "last_seen_missing": str,
            "last_seen_present": str,
        },
        "report_id",
    ),
    # every link a crawl read in an annual-report column, first and last time (removals)
    "column_links": (
        {"portal_id": str, "column_url": str, "url": str, "first_seen": str, "last_seen": str},
        ("portal_id", "column_url", "url"),
    ),
}


# The facet counts of the pages that grow with the archive (a row per report, check, fetch,
# document or URL), rebuilt after every extraction run (reports.refresh_summaries), so that
# these pages' facets cost the same at any size (govreports/facets.py):
# page -> (summary table, facet columns, count column)
FACET_SUMMARIES = {
    "reports": ("report_counts", FACET_COLUMNS, "reports"),
    "checks": ("check_counts", ("rule", "status"), "rows"),
    "fetches": ("fetch_counts", ("status", "content_type", "portal_id"), "rows"),
    "documents": ("document_counts", ("role", "portal_id"), "rows"),
    "report_urls": ("report_url_counts", ("role",), "rows"),
}


def summary_source(page):
    """The table a page's facet summary is counted from: the page's own, or for the reports
    view its light rows."""
    return "report_rows" if page == "reports" else page


def _summary_schema(page, columns, count):
    """A facet summary's columns, typed as in the page's table (a view's are text)."""
    source = SCHEMA.get(summary_source(page), ({}, None))[0]
    return {**{c: source.get(c, str) for c in columns}, count: int}, None


SCHEMA.update({summary: _summary_schema(page, *rest) for page, (summary, *rest) in FACET_SUMMARIES.items()})


INDEXES = {
    "fact_cells": [["table_key", "row_key", "col_key"]],
    "checks": [["report_id"], ["rule", "status"], ["status"]],
    "late_days": [["days"]],
    "top_applications": [["value"]],
    # every counted facet column (facets.py), alone and after the year (the usual first
    # filter): a page filtered by them is counted through an index, not row by row; the year
    # alone too, which keeps a year's reports in num order (newest first without a sort)
    "report_rows": [
        ["year"],
        ["year", "layout"],
        ["year", "region"],
        ["year", "level"],
        ["year", "check_status"],
        ["agency", "portal_id", "year"],
        ["portal_id"],
        ["layout"],
        ["region"],
        ["level"],
        ["check_status"],
        ["fingerprint"],
        ["url"],
    ],
    "url_aliases": [["url"]],
    "duplicates": [["report_id"]],
    "documents": [["parent_url"], ["portal_id"]],
    "rejects": [["portal_id"]],
    "fetches": [["payload_digest"]],
}


# the agency pages, the compliance grid and its feeds read through these (storage/agencies.py)
AGENCY_INDEXES = {
    "agencies": [["sort_key"], ["region", "sort_key"], ["level", "sort_key"], ["kind", "sort_key"], ["name"]],
    "agency_reports": [["agency_id", "year"]],
    # the feeds' order (newest first, then the agency) read straight off an index
    "compliance": [
        ["year", "sort_key"],
        ["status", "date", "agency_id"],
        ["status", "deadline", "agency_id"],
        ["year", "status"],
    ],
}


# the late and missing feeds narrowed by kind, level or region (storage/agencies.feed_rows):
# kind and level read in the feed's order (date for late, deadline for missing), a region's
# rows found by its prefix's range
FEED_FILTER_INDEXES = {
    "compliance": [
        ["status", "kind", "date", "agency_id"],
        ["status", "kind", "deadline", "agency_id"],
        ["status", "level", "date", "agency_id"],
        ["status", "level", "deadline", "agency_id"],
        ["status", "region"],
    ],
}


# made by their own migration, after their tables (storage/changes.py): the feeds read the
# newest rows through the time indexes
CHANGE_INDEXES = {
    "report_changes": [["changed_at", "report_id"], ["kinds"], ["portal_id"]],
    "report_removals": [["first_seen_missing", "report_id"], ["missing_url"], ["status"]],
    "column_links": [["url"]],
}


UNIQUE_INDEXES = {"report_rows": [["id"]], "fact_cells": [["table_key", "row_key", "col_key"]]}


FTS_TABLE = "reports_fts"


# tokenize='ascii': index_text hands over tokens already folded and split at single spaces,
# which the ascii tokenizer keeps whole as unicode61 did, in less time a report.
# prefix='1': an index of every token's first character, so a one-character query (年, a
# prefix query over every bigram starting with it) reads one doclist instead of merging
# hundreds, for a little more time and space a report at ingest. Figures of both:
# benchmarks/README.md ("What was tried").
# An archive whose index was made with other options is indexed again (migrations.py).
FTS_OPTIONS = "tokenize='ascii', prefix='1'"


FTS_SCHEMA = "create virtual table {name} using fts5(title, agency, text, content='', " + FTS_OPTIONS + ")"


FACT_VALUES = """create table if not exists fact_values (report integer not null, cell integer not null,
    value real, raw text, flags text, confidence real, primary key (report, cell)) without rowid"""


LIGHT_COLUMNS = tuple(c for c in SCHEMA["report_rows"][0] if c != "num")


# text and sections as lookups, not a join: counting or faceting the view reads report_rows only
REPORTS_VIEW = f"""create view reports as select r.num as rowid, {", ".join(f"r.{c}" for c in LIGHT_COLUMNS)},
    (select t.sections from report_texts t where t.num = r.num) as sections,
    (select t.text from report_texts t where t.num = r.num) as text from report_rows r"""


# raw is stored only when it is not the plain integer of value ("12" for 12.0); value reads as
# an integer when whole (a count is 12 in JSON and CSV, an amount in 万元 keeps its decimals)
FACTS_VIEW = """create view facts as select r.id as report_id, c.table_key, c.row_key, c.col_key,
    iif(f.value = cast(f.value as integer), cast(f.value as integer), f.value) as value,
    coalesce(f.raw, cast(cast(f.value as integer) as text)) as raw, f.flags, f.confidence
    from fact_values f join report_rows r on r.num = f.report join fact_cells c on c.id = f.cell"""


def now():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def open_db(path):
    """Connect to the database. Nothing is created or migrated here: the commands that write
    run migrations.migrate first (which also puts the file in WAL mode, so readers never
    block the crawl)."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at checkpoints, never corrupt
    db.execute("PRAGMA busy_timeout=30000")
    db.execute("PRAGMA cache_size=-65536")  # 64 MiB: the search and fact indexes' hot pages stay in memory
    return db


def register_cells(db, cells):
    """Give every (table, row, col) key an id in fact_cells; ids are never renumbered."""
    db.conn.executemany(
        "insert or ignore into fact_cells (table_key, row_key, col_key) values (?, ?, ?)",
        [tuple(cell) for cell in cells],
    )


# UNION ALL of branches that cannot repeat a row, each joined through an index, so a page of
# the view streams instead of first collecting and sorting every URL of the archive
REPORT_URLS_VIEW = """
create view report_urls as
  select id as report_id, url, 'page' as role from report_rows
  union all select r.id, d.url, 'attachment' from report_rows r join documents d on d.parent_url = r.url
  union all select report_id, page_url, 'duplicate' from duplicates
  union all select x.report_id, d.url, 'duplicate attachment' from duplicates x
    join documents d on d.parent_url = x.page_url
  union all select r.id, a.alias, a.kind from url_aliases a join report_rows r on r.url = a.url
  union all select x.report_id, a.alias, a.kind from url_aliases a join duplicates x on x.page_url = a.url"""
