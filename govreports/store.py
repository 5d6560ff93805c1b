"""The SQLite database (archive.db): schema, migrations, idempotent writes, search index.

Tables (interfaces.md, extended): reports, facts, checks, fetches, documents, failures,
portals, columns (the annual-report columns a crawl found), rejects (candidates that are no
report, and why), url_aliases (other URLs of a document: big5 gateway, `_wap`), duplicates (report
pages whose content equals a report already stored, e.g. one report in the 部门 and the 本级
column), reports_fts (contentless FTS5 over Han bigrams, rowid = reports.rowid), and the
view report_urls: every URL under which a report was published.
"""

import datetime
import hashlib
import json
import re

import sqlite_utils

from .lock import database_lock
from .search import index_text
from .views import create_views

SCHEMA = {
    "portals": ({"id": str, "name": str, "region": str, "level": str, "family": str,
                 "start_urls": str}, "id"),
    "fetches": ({"url": str, "sha256": str, "status": int, "fetched_at": str, "last_fetched_at": str,
                 "content_type": str, "size": int, "headers": str, "portal_id": str,
                 "warc_file": str, "warc_offset": int, "payload_digest": str, "warc_date": str},
                ("url", "sha256")),
    "documents": ({"url": str, "portal_id": str, "role": str, "parent_url": str, "doc_key": str,
                   "title": str, "attachment_urls": str, "sha256": str, "content_type": str, "http_charset": str,
                   "discovered_at": str}, "url"),
    "reports": ({"id": str, "url": str, "title": str, "agency": str, "year": int, "layout": str,
                 "published": str, "portal_id": str, "source_format": str, "source_url": str,
                 "region": str, "level": str, "sections": str, "facts_count": int,
                 "checks_failed": int, "check_status": str, "source_sha256": str, "extractor_version": str,
                 "content_hash": str, "fingerprint": str, "version": int, "changed_at": str,
                 "extracted_at": str, "text": str}, "id"),
    "report_versions": ({"report_id": str, "version": int, "content_hash": str, "source_sha256": str,
                         "extractor_version": str, "recorded_at": str}, ("report_id", "version")),
    "facts": ({"report_id": str, "table_key": str, "row_key": str, "col_key": str, "value": float,
               "raw": str, "flags": str, "confidence": float},  # confidence: of a value read by OCR
              ("report_id", "table_key", "row_key", "col_key")),
    "checks": ({"report_id": str, "rule": str, "status": str, "detail": str}, None),
    "url_aliases": ({"alias": str, "url": str, "kind": str, "portal_id": str, "seen_at": str}, "alias"),
    "duplicates": ({"page_url": str, "page_report_id": str, "report_id": str, "portal_id": str,
                    "source_sha256": str, "extractor_version": str, "recorded_at": str}, "page_url"),
    # every annual-report column the crawl found: where, from which page, by which link text
    "columns": ({"url": str, "portal_id": str, "parent_url": str, "link_text": str, "depth": int,
                 "first_seen": str, "last_seen": str}, ("portal_id", "url")),
    # candidates judged not to be reports, and why (by their title, or by their content)
    "rejects": ({"url": str, "portal_id": str, "title": str, "reason": str, "stage": str, "column_url": str,
                 "source_sha256": str, "first_seen": str, "last_seen": str}, "url"),
    "failures": ({"url": str, "stage": str, "kind": str, "message": str, "retryable": int,
                  "portal_id": str, "sha256": str, "first_seen": str, "last_seen": str, "attempts": int},
                 ("url", "stage")),
}
INDEXES = {
    "facts": [["table_key", "row_key", "col_key"]],
    "checks": [["report_id"], ["rule", "status"]],
    "reports": [["year"], ["agency"], ["portal_id"], ["layout"], ["fingerprint"]],
    "url_aliases": [["url"]],
    "duplicates": [["report_id"]],
    "documents": [["parent_url"], ["portal_id"]],
    "rejects": [["portal_id"]],
    "fetches": [["payload_digest"]],
}
FTS_TABLE = "reports_fts"


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


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
    for name, (columns, pk) in SCHEMA.items():
        table = db[name]
        if not table.exists():
            table.create(columns, pk=pk)
        else:
            missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
            for column, kind in missing.items():
                table.add_column(column, kind)
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns, if_not_exists=True)
    if FTS_TABLE not in db.table_names():
        db.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, agency, text, "
                   "content='', tokenize='unicode61 remove_diacritics 0')")
    with db.conn:
        create_views(db)
        db.execute("drop view if exists report_urls")
        db.execute(REPORT_URLS_VIEW)


REPORT_URLS_VIEW = """
create view report_urls as
  select id as report_id, url, 'page' as role from reports
  union select r.id, d.url, 'attachment' from reports r join documents d on d.parent_url = r.url
  union select report_id, page_url, 'duplicate' from duplicates
  union select x.report_id, d.url, 'duplicate attachment' from duplicates x join documents d on d.parent_url = x.page_url
  union select p.report_id, a.alias, a.kind from url_aliases a join (
    select id as report_id, url from reports union select report_id, page_url from duplicates) p on p.url = a.url"""


def record_column(db, url, portal_id, parent_url, link_text, depth):
    """An annual-report column found by the crawl (its first list page); first_seen is kept."""
    stamp = now()
    with db.conn:
        db.execute("insert into columns (url, portal_id, parent_url, link_text, depth, first_seen, last_seen) "
                   "values (?, ?, ?, ?, ?, ?, ?) on conflict (portal_id, url) do update set "
                   "last_seen = excluded.last_seen", [url, portal_id, parent_url, link_text, depth, stamp, stamp])


def record_reject(db, url, portal_id, title, reason, stage, column_url=None, source_sha256=None):
    """A candidate that is not a report (judged by its title, or by the content of these
    sources); a later verdict on the same URL replaces it."""
    stamp = now()
    with db.conn:
        db.execute("insert into rejects (url, portal_id, title, reason, stage, column_url, source_sha256, first_seen, "
                   "last_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (url) do update set "
                   "title = excluded.title, reason = excluded.reason, stage = excluded.stage, "
                   "source_sha256 = excluded.source_sha256, last_seen = excluded.last_seen",
                   [url, portal_id, title, reason, stage, column_url, source_sha256, stamp, stamp])


def report_id(portal_id, document_key):
    """Stable id of a report: its portal and the source's own document id (or canonical
    URL), never its title."""
    return hashlib.sha1(f"{portal_id}|{document_key}".encode()).hexdigest()[:16]


def upsert_portals(db, portals):
    db["portals"].upsert_all(
        ({"id": p["id"], "name": p.get("name"), "region": p.get("region"), "level": p.get("level"),
          "family": p.get("family"), "start_urls": json.dumps(p["start_urls"])} for p in portals),
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
    db["fetches"].insert({
        "url": url, "sha256": sha256, "status": status, "fetched_at": stamp,
        "last_fetched_at": stamp, "content_type": content_type, "size": size,
        "headers": json.dumps(headers, ensure_ascii=False), "portal_id": portal_id, **location,
    })


def touch_fetch(db, url):
    """A 304 Not Modified: the latest capture of url is still current."""
    db.execute("update fetches set last_fetched_at = ? where url = ? and rowid = "
               "(select rowid from fetches where url = ? order by last_fetched_at desc limit 1)",
               [now(), url, url])


def first_capture(db, digest):
    """The first fetch whose payload had this digest: (url, warc date, file, offset), or None."""
    return db.execute("select url, warc_date, warc_file, warc_offset from fetches "
                      "where payload_digest = ? and warc_file is not null order by fetched_at limit 1",
                      [digest]).fetchone()


def latest_fetch(db, url):
    return db.execute("select sha256, headers, warc_file, warc_offset from fetches where url = ? "
                      "and status between 200 and 299 order by last_fetched_at desc limit 1", [url]).fetchone()


def record_document(db, document):
    db["documents"].upsert({**document, "discovered_at": now()}, pk="url")


def record_alias(db, alias, url, kind, portal_id):
    """`alias` is another URL of the document at `url` (a big5 gateway link, a `_wap` page)."""
    db["url_aliases"].upsert({"alias": alias, "url": url, "kind": kind, "portal_id": portal_id,
                              "seen_at": now()}, pk="alias")


def record_duplicate(db, page, page_report_id, report_id, source_sha256, extractor_version):
    """A report page whose content equals report `report_id`: kept as one of its URLs, and the
    page's own report row, if an earlier extraction made one, is dropped."""
    with db.conn:
        db["duplicates"].upsert({"page_url": page["url"], "page_report_id": page_report_id,
                                 "report_id": report_id, "portal_id": page["portal_id"],
                                 "source_sha256": source_sha256, "extractor_version": extractor_version,
                                 "recorded_at": now()}, pk="page_url")
        drop_report(db, page_report_id)


def forget_duplicate(db, page_url):
    """A page held as a duplicate now has content of its own."""
    with db.conn:
        db.execute("delete from duplicates where page_url = ?", [page_url])


def drop_report(db, rid):
    old = db.execute("select rowid, title, agency, text from reports where id = ?", [rid]).fetchone()
    if old is None:
        return
    _drop_content(db, rid, old)
    db.execute("delete from reports where id = ?", [rid])


def same_report(db, digest, rid, portal_id):
    """The id of another report of this portal with this content fingerprint, or None.
    (Across portals a republished report stays one report per portal: each portal's own
    record of what it published.)"""
    row = db.execute("select id from reports where fingerprint = ? and id != ? and portal_id = ? "
                     "order by rowid limit 1", [digest, rid, portal_id]).fetchone()
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
        db["failures"].insert({"url": url, "stage": stage, "kind": kind, "message": message,
                               "retryable": retryable, "portal_id": portal_id, "sha256": sha256,
                               "first_seen": stamp, "last_seen": stamp, "attempts": 1})
        return
    db["failures"].update(key, {"kind": kind, "message": message, "retryable": retryable, "sha256": sha256,
                                "last_seen": stamp, "attempts": row["attempts"] + 1})


def clear_failure(db, url, stage):
    db["failures"].delete_where("url = ? and stage = ?", [url, stage])


# Parts of a page that change on every visit: "浏览次数：312", "点击数: 5", "今天是：2026年11月23日 星期一"
VOLATILE_RE = re.compile(r"(?:浏览次数|浏览量|点击数|点击量|访问量|阅读次数|阅读量)\s*[:：]?\s*\d+"
                         r"|今天是\s*[:：]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*星期.)?")


def content_hash(report_row, facts, checks):
    """Hash of what a reader sees: metadata, text, facts, checks, with volatile page parts
    (visit counters, today's date) stripped first."""
    fields = {k: report_row.get(k) for k in ("title", "agency", "year", "layout", "published",
                                              "sections", "source_format")}
    fields["text"] = VOLATILE_RE.sub("", report_row.get("text") or "")
    fields["sections"] = VOLATILE_RE.sub("", fields["sections"] or "")
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode())
    for fact in sorted((f["table"], f["row"], f["col"], repr(f["value"]), f["raw"], ",".join(f.get("flags", [])))
                       for f in facts):
        digest.update("\x1f".join(fact).encode() + b"\x1e")
    for item in sorted((c["rule"], c["status"], c["detail"]) for c in checks):
        digest.update("\x1f".join(item).encode() + b"\x1e")
    return digest.hexdigest()


def fingerprint(report_row, facts):
    """What makes two pages one report: agency, year, text (volatile parts and whitespace
    removed) and facts; not the URL, title wording or publication date, which differ between
    the columns that carry the same report."""
    text = re.sub(r"\s+", "", VOLATILE_RE.sub("", report_row.get("text") or ""))
    digest = hashlib.sha256(json.dumps([report_row.get("agency"), report_row.get("year"), text],
                                       ensure_ascii=False).encode())
    for fact in sorted((f["table"], f["row"], f["col"], repr(f["value"])) for f in facts):
        digest.update("\x1f".join(fact).encode() + b"\x1e")
    return digest.hexdigest()


def save_report(db, report_row, facts, checks):
    """Insert or update one report; True when its content changed (see save_reports)."""
    return save_reports(db, [(report_row, facts, checks)])[0]


REPORT_COLUMNS = tuple(SCHEMA["reports"][0])


def save_reports(db, entries):
    """Insert or update reports with their facts, checks and search entries, in one
    transaction. entries: [(report_row, facts, checks)]. For each report, True when its
    content changed (a new report_versions row is written); otherwise only the extractor
    stamp and source hash are updated."""
    stamp = now()
    changed = []
    conn = db.conn
    with conn:
        for report_row, facts, checks in entries:
            rid = report_row["id"]
            digest = content_hash(report_row, facts, checks)
            previous = conn.execute("select content_hash, version, rowid, title, agency, text from reports "
                                    "where id = ?", [rid]).fetchone()
            if previous and previous[0] == digest:
                conn.execute("update reports set extractor_version = ?, source_sha256 = ?, extracted_at = ?, "
                             "fingerprint = coalesce(?, fingerprint) where id = ?",
                             [report_row["extractor_version"], report_row["source_sha256"], stamp,
                              report_row.get("fingerprint"), rid])
                changed.append(False)
                continue
            version = (previous[1] or 0) + 1 if previous else 1
            row = {**report_row, "content_hash": digest, "version": version, "changed_at": stamp, "extracted_at": stamp}
            conn.execute("insert into report_versions (report_id, version, content_hash, source_sha256, "
                         "extractor_version, recorded_at) values (?, ?, ?, ?, ?, ?)",
                         [rid, version, digest, row["source_sha256"], row["extractor_version"], stamp])
            if previous:
                _drop_content(db, rid, previous[2:])
                # pages held as duplicates of the old content are looked at again
                conn.execute("delete from duplicates where report_id = ?", [rid])
            columns = [c for c in REPORT_COLUMNS if c in row]
            conn.execute(
                f"insert into reports ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
                f"on conflict(id) do update set {', '.join(f'{c} = excluded.{c}' for c in columns if c != 'id')}",
                [row[c] for c in columns])
            conn.executemany(
                "insert into facts (report_id, table_key, row_key, col_key, value, raw, flags, confidence) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                [(rid, f["table"], f["row"], f["col"], f["value"], f["raw"], ",".join(f.get("flags", [])) or None,
                  f.get("confidence")) for f in facts])
            conn.executemany("insert into checks (report_id, rule, status, detail) values (?, ?, ?, ?)",
                             [(rid, c["rule"], c["status"], c["detail"]) for c in checks])
            rowid = previous[2] if previous else conn.execute("select rowid from reports where id = ?", [rid]).fetchone()[0]
            conn.execute(f"insert into {FTS_TABLE}(rowid, title, agency, text) values (?, ?, ?, ?)",
                         [rowid, index_text(row["title"]), index_text(row["agency"]), index_text(row["text"])])
            changed.append(True)
    return changed


def _drop_content(db, rid, old):
    """A report's facts, checks and search entry (old: its rowid, title, agency, text)."""
    _fts_delete(db, old)
    for table in ("facts", "checks"):
        db.execute(f"delete from {table} where report_id = ?", [rid])


def _fts_delete(db, old):
    rowid, title, agency, text = old
    db.execute(
        f"insert into {FTS_TABLE}({FTS_TABLE}, rowid, title, agency, text) values ('delete', ?, ?, ?, ?)",
        [rowid, index_text(title), index_text(agency), index_text(text)],
    )


CROSS_YEAR_RULE = "cross_year_carry"


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
    for rid, status, detail in db.execute("select report_id, status, detail from checks where rule = ?",
                                          [CROSS_YEAR_RULE]):
        stored.setdefault(rid, []).append((status, detail))
    with db.conn:
        for rid in stored.keys() | wanted.keys():
            if stored.get(rid) == ([wanted[rid]] if rid in wanted else None):
                continue
            db.execute("delete from checks where report_id = ? and rule = ?", [rid, CROSS_YEAR_RULE])
            if rid in wanted:
                db.execute("insert into checks (report_id, rule, status, detail) values (?, ?, ?, ?)",
                           [rid, CROSS_YEAR_RULE, *wanted[rid]])


def cross_year_verdict(earlier_id, earlier_year, year, forward, over):
    """(status, detail) of the carry-over check of a report against the year before."""
    if forward is None or over is None:
        return "not_assessable", f"表三 of {earlier_year} or {year} not read"
    if forward == over:
        return "pass", ""
    return "fail", (f"{earlier_year} report ({earlier_id}) carried forward {forward:g} requests; "
                    f"this {year} report says {over:g} were carried over")
