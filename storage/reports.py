"""Writing reports: stable ids, content hashes and fingerprints, rows prepared in the
extraction workers and written by one writer (facts, checks, search entries, versions),
duplicates of another report, and what is computed over several reports: the summaries
(report_counts per year, region, layout, level, check status; fact_totals; late_days;
top_applications), rebuilt after each extraction run so that no page goes through a million
reports while a reader waits, and the cross-year carry-over checks.
"""

import hashlib
import json
import re

from extractors.checks import CROSS_YEAR_RULE, cross_year_verdict

from . import agencies, changes
from .schema import FACET_SUMMARIES, FTS_TABLE, LIGHT_COLUMNS, now, register_cells, summary_source
from .search import index_text
from .views import cell_ids


def report_id(portal_id, document_key):
    """Stable id of a report: its portal and the source's own document id (or canonical
    URL), never its title."""
    return hashlib.sha1(f"{portal_id}|{document_key}".encode()).hexdigest()[:16]


def record_duplicate(db, page, page_report_id, report_id, source_hashes, extractor_version):
    """A report page whose content equals report `report_id`: kept as one of its URLs, and the
    page's own report row, if an earlier extraction made one, is dropped."""
    with db.conn:
        db["duplicates"].upsert(
            {
                "page_url": page["url"],
                "page_report_id": page_report_id,
                "report_id": report_id,
                "portal_id": page["portal_id"],
                "source_hashes": source_hashes,
                "extractor_version": extractor_version,
                "recorded_at": now(),
            },
            pk="page_url",
        )
        if page_report_id != report_id:
            drop_report(db, page_report_id)


def report_of_page(db, url):
    """The id of the report whose page is `url`, or None (its id stays when the page's
    document key changes: a family that learnt the CMS's id for it)."""
    row = db.execute("select id from report_rows where url = ? limit 1", [url]).fetchone()
    return row[0] if row else None


def report_page(db, rid):
    """(url, agency, source_hashes, extractor_version) of the stored report `rid`'s page, or None."""
    return db.execute(
        "select url, agency, source_hashes, extractor_version from report_rows where id = ?", [rid]
    ).fetchone()


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
    this (govreports/extraction.py's extract_group), so the work runs on every core; report_row must not
    change afterwards."""
    report_row["prepared_hash"] = content_hash(report_row, facts, checks)
    report_row["search"] = tuple(index_text(report_row.get(f)) for f in ("title", "agency", "text"))
    report_row["fact_rows"] = _fact_rows(facts)
    return report_row


def _fact_rows(facts):
    """(plain, marked): plain facts, the usual kind, as (key, value); facts with a raw text
    other than their integer, flags or an OCR confidence as (key, value, raw, flags,
    confidence). Binding three values a row instead of six is the faster write (benchmarks/README.md)."""
    plain, marked = [], []
    for f in facts:
        key = (f["table"], f["row"], f["col"])
        raw = _stored_raw(f["value"], f["raw"])
        flags = ",".join(f.get("flags", ())) or None
        confidence = f.get("confidence")
        if raw is None and flags is None and confidence is None:
            plain.append((key, f["value"]))
        else:
            marked.append((key, f["value"], raw, flags, confidence))
    return plain, marked


def save_reports(db, entries):
    """Insert or update reports with their facts, checks and search entries, in one
    transaction. entries: [(report_row, facts, checks)]. For each report, True when its
    content changed (a new report_versions row is written, and when its published sources
    changed too, a report_changes row saying what changed: storage/changes.py); otherwise only
    the extractor stamp and source hash are updated."""
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
                    "update report_rows set extractor_version = ?, source_hashes = ?, extracted_at = ?, "
                    "fingerprint = coalesce(?, fingerprint) where id = ?",
                    [
                        report_row["extractor_version"],
                        report_row["source_hashes"],
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
                "insert into report_versions (report_id, version, content_hash, source_hashes, "
                "extractor_version, recorded_at) values (?, ?, ?, ?, ?, ?)",
                [rid, version, digest, row["source_hashes"], row["extractor_version"], stamp],
            )
            if previous:
                changes.record_change(conn, rid, previous[2], row)
                _drop_content(db, rid, _stored_search_fields(db, rid))
                # pages held as duplicates of the old content are looked at again
                conn.execute("delete from duplicates where report_id = ?", [rid])
            num = _write_report_row(conn, row, previous[2] if previous else None)
            conn.execute(
                "insert or replace into report_texts (num, text, sections) values (?, ?, ?)",
                [num, row.get("text"), row.get("sections")],
            )
            plain, marked = row["fact_rows"]
            conn.executemany(
                "insert into fact_values (report, cell, value) values (?, ?, ?)",
                [(num, cells.get(key) or _cell_id(db, cells, key), value) for key, value in plain],
            )
            if marked:
                conn.executemany(
                    "insert into fact_values (report, cell, value, raw, flags, confidence) values (?, ?, ?, ?, ?, ?)",
                    [(num, cells.get(key) or _cell_id(db, cells, key), *rest) for key, *rest in marked],
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


# the charts' measures (chart_totals' columns): which summed cells each adds up
CHART_MEASURES = {
    "received": "c.table_key = 't3' and c.row_key = 'new_received' and c.col_key = 'total'",
    "reviews": "c.table_key = 't4' and c.row_key = 'review' and c.col_key = 'total'",
    "lawsuits": "c.table_key = 't4' and c.row_key like 'litigation%' and c.col_key = 'total'",
    "granted": "c.table_key = 't3' and c.row_key = 'granted' and c.col_key = 'total'",
    "partially_granted": "c.table_key = 't3' and c.row_key = 'partially_granted' and c.col_key = 'total'",
    "denied": "c.table_key = 't3' and c.row_key like 'denied_%' and c.col_key = 'total'",
    "unavailable": "c.table_key = 't3' and c.row_key like 'unavailable_%' and c.col_key = 'total'",
    "not_processed": "c.table_key = 't3' and c.row_key like 'not_processed_%' and c.col_key = 'total'",
    "other": "c.table_key = 't3' and c.row_key like 'other%' and c.col_key = 'total'",
}


def refill_chart_summaries(db):
    """fact_totals again from the stored facts (the summed cells per year, region, level and
    whether the reports' checks pass), then chart_totals from it."""
    db.execute("delete from fact_totals")
    db.execute(f"""insert into fact_totals (year, region, level, passing, cell, reports, total)
        select r.year, r.region, r.level, r.check_status is not 'fail', f.cell, count(*), sum(f.value)
        from fact_cells c join fact_values f on f.cell = c.id join report_rows r on r.num = f.report
        where {SUMMED_CELLS} group by r.year, r.region, r.level, r.check_status is not 'fail', f.cell""")
    refill_chart_totals(db)


def refill_chart_totals(db):
    """chart_totals from fact_totals: the charts' measures per year, region, level and whether
    the reports' checks pass, a row per place and year, so a chart reads tens of thousands of rows at the nation's scale, not
    the hundreds of thousands of fact_totals."""
    measures = ", ".join(CHART_MEASURES)
    sums = ", ".join(f"sum(case when {cells} then t.total else 0 end)" for cells in CHART_MEASURES.values())
    db.execute("delete from chart_totals")
    db.execute(f"""insert into chart_totals (year, region, level, passing, {measures})
        select t.year, t.region, t.level, t.passing, {sums}
        from fact_totals t join fact_cells c on c.id = t.cell group by t.year, t.region, t.level, t.passing""")


def refresh_summaries(db):
    """Rebuild the summaries from the stored rows: the big pages' facet counts, fact_totals,
    chart_totals, late_days and top_applications; then the agencies and their compliance grid."""
    with db.conn:
        for page, (summary, columns, count) in FACET_SUMMARIES.items():
            listed = ", ".join(columns)
            db.execute(f"delete from {summary}")
            db.execute(
                f"insert into {summary} ({listed}, {count}) "
                f"select {listed}, count(*) from {summary_source(page)} group by {listed}"
            )
        refill_chart_summaries(db)
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
    agencies.refresh(db)


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
