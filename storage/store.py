"""The SQLite database (archive.db): schema, migrations, idempotent writes, search index.

Tables (interfaces.md, extended): checks, fetches, documents, failures, portals, columns
(the annual-report columns a crawl found), rejects (candidates that are no report, and why),
url_aliases (other URLs of a document: big5 gateway, `_wap`), duplicates (report pages whose
content equals a report already stored, e.g. one report in the 部门 and the 本级 column),
reports_fts (contentless FTS5 over Han bigrams, rowid = report_rows.num), and the view
report_urls: every URL under which a report was published.

`reports` and `facts` (interfaces.md) are views, so that a million reports stay fast to
write, search and facet:
- report_rows: one light row per report (metadata, counts), `num` its integer key;
  report_texts: its text and sections, by num; reports = report_rows + report_texts
  (its `rowid` column is num, the reports_fts rowid);
- fact_values: WITHOUT ROWID, (report num, cell id) -> value, raw, flags, confidence (of a
  value read by OCR), where raw is NULL when it is the plain integer of value; fact_cells:
  the cell ids, append-only; facts = fact_values with the report id and the canonical keys.
report_counts (reports per year, region, layout, level, check status), fact_totals (per
year and region, the sums of the cells the charts and yearly queries add up), late_days (the
reports published after their legal deadline) and top_applications (each year's 100 reports
with most new requests) are summaries that refresh_summaries rebuilds after each extraction
run, so that no page goes through a million reports while a reader waits.
"""

import datetime
import hashlib
import json
import re

import sqlite_utils

from extractors.checks import CROSS_YEAR_RULE, cross_year_verdict

from .lock import database_lock
from .search import index_text
from .views import WIDE_VIEW, WIDE_VIEW_ZH, all_cells, cell_ids, create_views

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
            "source_sha256": str,
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
            "source_sha256": str,
            "extractor_version": str,
            "recorded_at": str,
        },
        ("report_id", "version"),
    ),
    "fact_cells": ({"id": int, "table_key": str, "row_key": str, "col_key": str}, "id"),
    "report_counts": (
        {"year": int, "region": str, "layout": str, "level": str, "check_status": str, "reports": int},
        None,
    ),
    "fact_totals": ({"year": int, "region": str, "cell": int, "reports": int, "total": float}, None),
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
            "source_sha256": str,
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
            "stage": str,
            "column_url": str,
            "source_sha256": str,
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
}
INDEXES = {
    "fact_cells": [["table_key", "row_key", "col_key"]],
    "checks": [["report_id"], ["rule", "status"], ["status"]],
    "late_days": [["days"]],
    "top_applications": [["value"]],
    "report_rows": [["year"], ["agency"], ["portal_id"], ["layout"], ["fingerprint"], ["url"]],
    "url_aliases": [["url"]],
    "duplicates": [["report_id"]],
    "documents": [["parent_url"], ["portal_id"]],
    "rejects": [["portal_id"]],
    "fetches": [["payload_digest"]],
}
UNIQUE_INDEXES = {"report_rows": [["id"]], "fact_cells": [["table_key", "row_key", "col_key"]]}
FTS_TABLE = "reports_fts"
# prefix='1': an index of every token's first character, so a one-character query (年, a
# prefix query over every bigram starting with it) reads one doclist instead of merging
# hundreds: 30 -> 0.2 ms at 20,000 reports, for 0.34 ms more a report at ingest and 5 KiB
FTS_OPTIONS = "prefix='1'"
FTS_SCHEMA = (
    "create virtual table {name} using fts5(title, agency, text, content='', "
    f"tokenize='unicode61 remove_diacritics 0', {FTS_OPTIONS})"
)
FACT_VALUES = """create table if not exists fact_values (report integer not null, cell integer not null,
    value real, raw text, flags text, confidence real, primary key (report, cell)) without rowid"""
LIGHT_COLUMNS = tuple(c for c in SCHEMA["report_rows"][0] if c != "num")
# text and sections as lookups, not a join: counting or faceting the view reads report_rows only
REPORTS_VIEW = f"""create view reports as select r.num as rowid, {", ".join(f"r.{c}" for c in LIGHT_COLUMNS)},
    (select t.sections from report_texts t where t.num = r.num) as sections,
    (select t.text from report_texts t where t.num = r.num) as text from report_rows r"""
# raw is stored only when it is not the plain integer of value ("12" for 12.0)
FACTS_VIEW = """create view facts as select r.id as report_id, c.table_key, c.row_key, c.col_key, f.value,
    coalesce(f.raw, cast(cast(f.value as integer) as text)) as raw, f.flags, f.confidence
    from fact_values f join report_rows r on r.num = f.report join fact_cells c on c.id = f.cell"""


def now():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def open_db(path):
    """Open (and create or migrate, under the database's lock) the database; WAL so readers
    never block the crawl."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at checkpoints, never corrupt
    db.execute("PRAGMA busy_timeout=30000")
    with database_lock(path):
        migrate(db)
    return db


def migrate(db):
    with db.conn:  # views first: they are made again below, and may name tables that move
        for view in ("report_urls", "reports", "facts", WIDE_VIEW, WIDE_VIEW_ZH):
            if _kind(db, view) == "view":
                db.execute(f'drop view "{view}"')
    for name, (columns, pk) in SCHEMA.items():
        table = db[name]
        if not table.exists():
            table.create(columns, pk=pk)
        else:
            missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
            for column, kind in missing.items():
                table.add_column(column, kind)
    db.execute(FACT_VALUES)
    if "confidence" not in db["fact_values"].columns_dict:  # a fact_values table from before OCR
        db.execute("alter table fact_values add column confidence real")
    for name, indexes in UNIQUE_INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns, unique=True, if_not_exists=True)
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns, if_not_exists=True)
    db.execute("create index if not exists fact_values_cell on fact_values (cell, report, value)")
    if FTS_TABLE not in db.table_names():
        db.execute(FTS_SCHEMA.format(name=FTS_TABLE))
    with db.conn:
        register_cells(db, all_cells())
        _move_old_tables(db)
        if FTS_OPTIONS not in db.execute("select sql from sqlite_master where name = ?", [FTS_TABLE]).fetchone()[0]:
            _rebuild_search_index(db)
        db.execute(REPORTS_VIEW)
        db.execute(FACTS_VIEW)
        create_views(db)
        db.execute(REPORT_URLS_VIEW)


def _kind(db, name):
    row = db.execute("select type from sqlite_master where name = ?", [name]).fetchone()
    return row[0] if row else None


def _move_old_tables(db):
    """An archive of the earlier schema (reports and facts as tables): rows move into
    report_rows/report_texts (num = the old rowid, which reports_fts already uses) and
    fact_values, then the old tables go and the views take their names."""
    if _kind(db, "reports") == "table":
        old = set(db["reports"].columns_dict)
        columns = [c for c in LIGHT_COLUMNS if c in old]
        db.execute(
            f"insert into report_rows (num, {', '.join(columns)}) select rowid, {', '.join(columns)} from reports"
        )
        db.execute("insert into report_texts (num, text, sections) select rowid, text, sections from reports")
        db.execute("drop table reports")
    if _kind(db, "facts") == "table":
        register_cells(db, db.execute("select distinct table_key, row_key, col_key from facts").fetchall())
        confidence = "f.confidence" if "confidence" in db["facts"].columns_dict else "null"
        db.execute(f"""insert into fact_values (report, cell, value, raw, flags, confidence)
            select r.num, c.id, f.value, case when f.raw = cast(cast(f.value as integer) as text) then null
              else f.raw end, f.flags, {confidence}
            from facts f join report_rows r on r.id = f.report_id
              join fact_cells c on (c.table_key, c.row_key, c.col_key) = (f.table_key, f.row_key, f.col_key)""")
        db.execute("drop table facts")


def _rebuild_search_index(db):
    """An archive whose reports_fts lacks FTS_OPTIONS: the index is built again from the
    stored reports (about 3 ms a report), then takes the old one's name."""
    db.execute(f"drop table if exists {FTS_TABLE}_new")
    db.execute(FTS_SCHEMA.format(name=f"{FTS_TABLE}_new"))
    rows = db.execute(
        "select r.num, r.title, r.agency, t.text from report_rows r left join report_texts t on t.num = r.num"
    )
    db.conn.executemany(
        f"insert into {FTS_TABLE}_new (rowid, title, agency, text) values (?, ?, ?, ?)",
        ((num, index_text(title), index_text(agency), index_text(text)) for num, title, agency, text in rows),
    )
    db.execute(f"drop table {FTS_TABLE}")
    db.execute(f"alter table {FTS_TABLE}_new rename to {FTS_TABLE}")


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


def record_column(db, url, portal_id, parent_url, link_text, depth):
    """An annual-report column found by the crawl (its first list page); first_seen is kept."""
    stamp = now()
    with db.conn:
        db.execute(
            "insert into columns (url, portal_id, parent_url, link_text, depth, first_seen, last_seen) "
            "values (?, ?, ?, ?, ?, ?, ?) on conflict (portal_id, url) do update set "
            "last_seen = excluded.last_seen",
            [url, portal_id, parent_url, link_text, depth, stamp, stamp],
        )


def record_reject(db, url, portal_id, title, reason, stage, column_url=None, source_sha256=None):
    """A candidate that is not a report (judged by its title, or by the content of these
    sources); a later verdict on the same URL replaces it."""
    stamp = now()
    with db.conn:
        db.execute(
            "insert into rejects (url, portal_id, title, reason, stage, column_url, source_sha256, first_seen, "
            "last_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (url) do update set "
            "title = excluded.title, reason = excluded.reason, stage = excluded.stage, "
            "source_sha256 = excluded.source_sha256, last_seen = excluded.last_seen",
            [url, portal_id, title, reason, stage, column_url, source_sha256, stamp, stamp],
        )


def report_id(portal_id, document_key):
    """Stable id of a report: its portal and the source's own document id (or canonical
    URL), never its title."""
    return hashlib.sha1(f"{portal_id}|{document_key}".encode()).hexdigest()[:16]


def upsert_portals(db, portals):
    db["portals"].upsert_all(
        (
            {
                "id": p["id"],
                "name": p.get("name"),
                "region": p.get("region"),
                "level": p.get("level"),
                "family": p.get("family"),
                "start_urls": json.dumps(p["start_urls"]),
            }
            for p in portals
        ),
        pk="id",
    )


def record_fetch(db, url, sha256, status, content_type, size, headers, portal_id, location):
    """One row per distinct (url, content): a re-fetch of the same bytes only updates times.
    location: where the payload lives in the WARC archive (file, offset, digest, date)."""
    stamp = now()
    existing = list(db["fetches"].rows_where("url = ? and sha256 = ?", [url, sha256]))
    if existing:
        db["fetches"].update((url, sha256), {"last_fetched_at": stamp, "status": status})
        return
    db["fetches"].insert(
        {
            "url": url,
            "sha256": sha256,
            "status": status,
            "fetched_at": stamp,
            "last_fetched_at": stamp,
            "content_type": content_type,
            "size": size,
            "headers": json.dumps(headers, ensure_ascii=False),
            "portal_id": portal_id,
            **location,
        }
    )


def touch_fetch(db, url):
    """A 304 Not Modified: the latest capture of url is still current."""
    db.execute(
        "update fetches set last_fetched_at = ? where url = ? and rowid = "
        "(select rowid from fetches where url = ? order by last_fetched_at desc limit 1)",
        [now(), url, url],
    )


def first_capture(db, digest):
    """The first fetch whose payload had this digest: (url, warc date, file, offset), or None."""
    return db.execute(
        "select url, warc_date, warc_file, warc_offset from fetches "
        "where payload_digest = ? and warc_file is not null order by fetched_at limit 1",
        [digest],
    ).fetchone()


def latest_fetch(db, url):
    return db.execute(
        "select sha256, headers, warc_file, warc_offset from fetches where url = ? "
        "and status between 200 and 299 order by last_fetched_at desc limit 1",
        [url],
    ).fetchone()


def record_document(db, document):
    db["documents"].upsert({**document, "discovered_at": now()}, pk="url")


def record_alias(db, alias, url, kind, portal_id):
    """`alias` is another URL of the document at `url` (a big5 gateway link, a `_wap` page)."""
    db["url_aliases"].upsert(
        {"alias": alias, "url": url, "kind": kind, "portal_id": portal_id, "seen_at": now()}, pk="alias"
    )


def record_duplicate(db, page, page_report_id, report_id, source_sha256, extractor_version):
    """A report page whose content equals report `report_id`: kept as one of its URLs, and the
    page's own report row, if an earlier extraction made one, is dropped."""
    with db.conn:
        db["duplicates"].upsert(
            {
                "page_url": page["url"],
                "page_report_id": page_report_id,
                "report_id": report_id,
                "portal_id": page["portal_id"],
                "source_sha256": source_sha256,
                "extractor_version": extractor_version,
                "recorded_at": now(),
            },
            pk="page_url",
        )
        drop_report(db, page_report_id)


def forget_duplicate(db, page_url):
    """A page held as a duplicate now has content of its own."""
    with db.conn:
        db.execute("delete from duplicates where page_url = ?", [page_url])


def drop_report(db, rid):
    old = _stored_search_fields(db, rid)
    if old is None:
        return
    _drop_content(db, rid, old)
    db.execute("delete from report_texts where num = ?", [old[0]])
    db.execute("delete from report_rows where num = ?", [old[0]])


def _stored_search_fields(db, rid):
    """(num, title, agency, text) of a stored report, or None."""
    return db.execute(
        "select r.num, r.title, r.agency, t.text from report_rows r "
        "left join report_texts t on t.num = r.num where r.id = ?",
        [rid],
    ).fetchone()


def same_report(db, digest, rid, portal_id):
    """The id of another report of this portal with this content fingerprint, or None.
    (Across portals a republished report stays one report per portal: each portal's own
    record of what it published.)"""
    row = db.execute(
        "select id from report_rows where fingerprint = ? and id != ? and portal_id = ? order by rowid limit 1",
        [digest, rid, portal_id],
    ).fetchone()
    return row[0] if row else None


# Kinds of failure worth trying again on the next run; everything else is final until the
# source changes (a 404, a corrupt or encrypted file, a 2 GB body, a redirect loop ...).
RETRYABLE_KINDS = {"timeout", "connection", "dns", "http_408", "http_429"}


def is_retryable(kind):
    return kind in RETRYABLE_KINDS or kind.startswith("http_5")


def record_failure(db, url, stage, kind, message, portal_id=None, sha256=None):
    """A failure row per (url, stage); repeats count attempts and keep the first time."""
    stamp = now()
    key = (url, stage)
    retryable = int(is_retryable(kind))
    try:
        row = db["failures"].get(key)
    except sqlite_utils.db.NotFoundError:
        db["failures"].insert(
            {
                "url": url,
                "stage": stage,
                "kind": kind,
                "message": message,
                "retryable": retryable,
                "portal_id": portal_id,
                "sha256": sha256,
                "first_seen": stamp,
                "last_seen": stamp,
                "attempts": 1,
            }
        )
        return
    db["failures"].update(
        key,
        {
            "kind": kind,
            "message": message,
            "retryable": retryable,
            "sha256": sha256,
            "last_seen": stamp,
            "attempts": row["attempts"] + 1,
        },
    )


def clear_failure(db, url, stage):
    db["failures"].delete_where("url = ? and stage = ?", [url, stage])


# Parts of a page that change on every visit: "浏览次数：312", "点击数: 5", "今天是：2026年11月23日 星期一"
VOLATILE_RE = re.compile(
    r"(?:浏览次数|浏览量|点击数|点击量|访问量|阅读次数|阅读量)\s*[:：]?\s*\d+"
    r"|今天是\s*[:：]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*星期.)?"
)


def content_hash(report_row, facts, checks):
    """Hash of what a reader sees: metadata, text, facts, checks, with volatile page parts
    (visit counters, today's date) stripped first."""
    fields = {
        k: report_row.get(k) for k in ("title", "agency", "year", "layout", "published", "sections", "source_format")
    }
    fields["text"] = VOLATILE_RE.sub("", report_row.get("text") or "")
    fields["sections"] = VOLATILE_RE.sub("", fields["sections"] or "")
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode())
    for fact in sorted(
        (f["table"], f["row"], f["col"], repr(f["value"]), f["raw"], ",".join(f.get("flags", []))) for f in facts
    ):
        digest.update("\x1f".join(fact).encode() + b"\x1e")
    for item in sorted((c["rule"], c["status"], c["detail"]) for c in checks):
        digest.update("\x1f".join(item).encode() + b"\x1e")
    return digest.hexdigest()


def fingerprint(report_row, facts):
    """What makes two pages one report: agency, year, text (volatile parts and whitespace
    removed) and facts; not the URL, title wording or publication date, which differ between
    the columns that carry the same report."""
    text = re.sub(r"\s+", "", VOLATILE_RE.sub("", report_row.get("text") or ""))
    digest = hashlib.sha256(
        json.dumps([report_row.get("agency"), report_row.get("year"), text], ensure_ascii=False).encode()
    )
    for fact in sorted((f["table"], f["row"], f["col"], repr(f["value"])) for f in facts):
        digest.update("\x1f".join(fact).encode() + b"\x1e")
    return digest.hexdigest()


def save_report(db, report_row, facts, checks):
    """Insert or update one report; True when its content changed (see save_reports)."""
    return save_reports(db, [(report_row, facts, checks)])[0]


def prepare(report_row, facts, checks):
    """What save_reports would otherwise compute in the single writer: the content hash and
    the reports_fts entry (title, agency, text as Han bigrams). The extraction workers call
    this (pipeline.extract_group), so the work runs on every core; report_row must not
    change afterwards."""
    report_row["prepared_hash"] = content_hash(report_row, facts, checks)
    report_row["search"] = tuple(index_text(report_row.get(f)) for f in ("title", "agency", "text"))
    report_row["fact_rows"] = [
        (
            (f["table"], f["row"], f["col"]),
            f["value"],
            _stored_raw(f["value"], f["raw"]),
            ",".join(f.get("flags", ())) or None,
            f.get("confidence"),
        )
        for f in facts
    ]
    return report_row


def save_reports(db, entries):
    """Insert or update reports with their facts, checks and search entries, in one
    transaction. entries: [(report_row, facts, checks)]. For each report, True when its
    content changed (a new report_versions row is written); otherwise only the extractor
    stamp and source hash are updated."""
    stamp = now()
    changed = []
    conn = db.conn
    cells = cell_ids(db)
    with conn:
        for report_row, facts, checks in entries:
            if "prepared_hash" not in report_row:
                report_row = prepare(dict(report_row), facts, checks)
            rid = report_row["id"]
            digest = report_row["prepared_hash"]
            previous = conn.execute("select content_hash, version, num from report_rows where id = ?", [rid]).fetchone()
            if previous and previous[0] == digest:
                conn.execute(
                    "update report_rows set extractor_version = ?, source_sha256 = ?, extracted_at = ?, "
                    "fingerprint = coalesce(?, fingerprint) where id = ?",
                    [
                        report_row["extractor_version"],
                        report_row["source_sha256"],
                        stamp,
                        report_row.get("fingerprint"),
                        rid,
                    ],
                )
                changed.append(False)
                continue
            version = (previous[1] or 0) + 1 if previous else 1
            row = {**report_row, "content_hash": digest, "version": version, "changed_at": stamp, "extracted_at": stamp}
            conn.execute(
                "insert into report_versions (report_id, version, content_hash, source_sha256, "
                "extractor_version, recorded_at) values (?, ?, ?, ?, ?, ?)",
                [rid, version, digest, row["source_sha256"], row["extractor_version"], stamp],
            )
            if previous:
                _drop_content(db, rid, _stored_search_fields(db, rid))
                # pages held as duplicates of the old content are looked at again
                conn.execute("delete from duplicates where report_id = ?", [rid])
            num = _write_report_row(conn, row, previous[2] if previous else None)
            conn.execute(
                "insert or replace into report_texts (num, text, sections) values (?, ?, ?)",
                [num, row.get("text"), row.get("sections")],
            )
            conn.executemany(
                "insert into fact_values (report, cell, value, raw, flags, confidence) values (?, ?, ?, ?, ?, ?)",
                [
                    (num, cells.get(key) or _cell_id(db, cells, key), value, raw, flags, confidence)
                    for key, value, raw, flags, confidence in row["fact_rows"]
                ],
            )
            conn.executemany(
                "insert into checks (report_id, rule, status, detail) values (?, ?, ?, ?)",
                [(rid, c["rule"], c["status"], c["detail"]) for c in checks],
            )
            conn.execute(
                f"insert into {FTS_TABLE}(rowid, title, agency, text) values (?, ?, ?, ?)", [num, *row["search"]]
            )
            changed.append(True)
    return changed


def _write_report_row(conn, row, num):
    """Insert or update the light row; its num."""
    columns = [c for c in LIGHT_COLUMNS if c in row]
    values = [row[c] for c in columns]
    if num is None:
        return conn.execute(
            f"insert into report_rows ({', '.join(columns)}) values ({', '.join('?' * len(columns))})", values
        ).lastrowid
    conn.execute(f"update report_rows set {', '.join(f'{c} = ?' for c in columns)} where num = ?", values + [num])
    return num


def _cell_id(db, cells, key):
    """The id of a (table, row, col) key fact_cells does not hold yet."""
    register_cells(db, [key])
    cells.update(cell_ids(db))
    return cells[key]


def _stored_raw(value, raw):
    """NULL when raw is the plain integer text of value (the facts view gives it back)."""
    if isinstance(value, (int, float)) and float(value).is_integer() and raw == str(int(value)):
        return None
    return raw


def _drop_content(db, rid, old):
    """A report's facts, checks and search entry (old: its num, title, agency, text)."""
    _fts_delete(db, old)
    db.execute("delete from fact_values where report = ?", [old[0]])
    db.execute("delete from checks where report_id = ?", [rid])


def _fts_delete(db, old):
    num, title, agency, text = old
    db.execute(
        f"insert into {FTS_TABLE}({FTS_TABLE}, rowid, title, agency, text) values ('delete', ?, ?, ?, ?)",
        [num, index_text(title), index_text(agency), index_text(text)],
    )


# the cells the charts and the yearly canned queries add up: 表三's total column, 表四's
# total and corrected columns
SUMMED_CELLS = "(table_key = 't3' and col_key = 'total') or (table_key = 't4' and col_key in ('total', 'corrected'))"


# 《条例》第四十九、五十条: departments publish by 31 January, people's governments by 31 March
DEADLINE = "(year + 1) || case when agency like '%人民政府' then '-03-31' else '-01-31' end"


def refresh_summaries(db):
    """Rebuild report_counts and fact_totals from the stored reports."""
    with db.conn:
        db.execute("delete from report_counts")
        db.execute("""insert into report_counts (year, region, layout, level, check_status, reports)
            select year, region, layout, level, check_status, count(*) from report_rows group by 1, 2, 3, 4, 5""")
        db.execute("delete from fact_totals")
        db.execute(f"""insert into fact_totals (year, region, cell, reports, total)
            select r.year, r.region, f.cell, count(*), sum(f.value)
            from fact_cells c join fact_values f on f.cell = c.id join report_rows r on r.num = f.report
            where {SUMMED_CELLS} group by r.year, r.region, f.cell""")
        db.execute("delete from late_days")
        db.execute(f"""insert into late_days (num, days)
            select num, julianday(published) - julianday({DEADLINE}) from report_rows
            where published is not null and year is not null and published > {DEADLINE}""")
        db.execute("delete from top_applications")
        db.execute("""insert into top_applications (year, num, value)
            select year, num, value from (
              select r.year, f.report as num, f.value,
                row_number() over (partition by r.year order by f.value desc) as place
              from fact_cells c join fact_values f on f.cell = c.id join report_rows r on r.num = f.report
              where c.table_key = 't3' and c.row_key = 'new_received' and c.col_key = 'total')
            where place <= 100""")


# Each report with the report of the year before by the same agency on the same portal (the
# latest published, then the smallest id, when there are several), and both 表三 totals.
CROSS_YEAR_PAIRS = """
with carried as (
  select report_id, max(case when row_key = 'carried_forward' then value end) as forward,
         max(case when row_key = 'carried_over' then value end) as over
  from facts where table_key = 't3' and col_key = 'total' and row_key in ('carried_forward', 'carried_over')
  group by report_id),
pairs as (
  select later.id as later_id, earlier.id as earlier_id, earlier.year as earlier_year, later.year as year,
         row_number() over (partition by later.id order by earlier.published desc, earlier.id) as rank
  from reports later join reports earlier on earlier.agency = later.agency
    and earlier.portal_id = later.portal_id and earlier.year = later.year - 1)
select later_id, earlier_id, earlier_year, year, e.forward, l.over from pairs
  left join carried e on e.report_id = earlier_id left join carried l on l.report_id = later_id
where rank = 1"""


def refresh_cross_year_checks(db):
    """Soft identity across years for one agency: 表三 carried_forward (total) of year Y =
    carried_over (total) of year Y+1, checked on the later report; a report with no earlier
    one gets no row. Recomputed from all stored reports, and only rows that differ are
    rewritten, so a run that was interrupted anywhere leaves the same rows as one that was not."""
    wanted = {later_id: cross_year_verdict(*pair) for later_id, *pair in db.execute(CROSS_YEAR_PAIRS)}
    stored = {}
    for rid, status, detail in db.execute(
        "select report_id, status, detail from checks where rule = ?", [CROSS_YEAR_RULE]
    ):
        stored.setdefault(rid, []).append((status, detail))
    with db.conn:
        for rid in stored.keys() | wanted.keys():
            if stored.get(rid) == ([wanted[rid]] if rid in wanted else None):
                continue
            db.execute("delete from checks where report_id = ? and rule = ?", [rid, CROSS_YEAR_RULE])
            if rid in wanted:
                db.execute(
                    "insert into checks (report_id, rule, status, detail) values (?, ?, ?, ?)",
                    [rid, CROSS_YEAR_RULE, *wanted[rid]],
                )
