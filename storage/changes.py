"""What changed after publication: reports whose published text, numbers or attachment
changed after their first capture (`report_changes`), and reports gone from their portal
(`report_removals`: a known report URL that now answers 404 or 410, or that left its column on
a crawl that read the column fully). The rows are written here, by the single writer:
save_reports (storage/reports.py) calls `record_change` before it replaces a report's content;
the crawl's pipeline calls `record_column_listings`, `record_removal` and `note_present`.

Also the statements the feeds and the comparison page read (govreports/changes_feeds.py,
govreports/compare_page.py) and the URLs the light re-check requests (crawler/spiders/recheck.py).
"""

import json
import re

from . import reports
from .schema import now

TEXT_EXCERPT = 60  # characters each side of the first difference, kept in text_before/text_after


def record_change(conn, rid, num, row):
    """The stored version of report `rid` (at `num`) is about to be replaced by `row` (its
    prepared new content): when the published source changed (not only the extractor), one
    report_changes row says what changed: the text, which cells (old -> new), the attachment."""
    old = conn.execute(
        "select r.version, r.source_hashes, r.source_url, r.source_format, r.url, r.portal_id, r.agency, r.year, "
        "r.region, t.text from report_rows r left join report_texts t on t.num = r.num where r.num = ?",
        [num],
    ).fetchone()
    version, old_source, old_source_url, old_format, url, portal_id, agency, year, region, old_text = old
    if old_source == row.get("source_hashes"):
        return  # the same sources read by a newer extractor: no change of the publication
    cells = changed_cells(_stored_facts(conn, num), _new_facts(row))
    before, after = first_difference(old_text, row.get("text"))
    attachment = (row.get("source_url"), row.get("source_format")) != (old_source_url, old_format) or (
        row.get("source_url") not in (None, url) and old_source != row.get("source_hashes")
    )
    kinds = [
        kind
        for kind, changed in (("text", before is not None), ("numbers", bool(cells)), ("attachment", attachment))
        if changed
    ]
    first_seen = conn.execute(
        "select recorded_at from report_versions where report_id = ? order by version limit 1", [rid]
    ).fetchone()
    conn.execute(
        "insert or replace into report_changes (report_id, from_version, to_version, url, portal_id, agency, year, "
        "region, first_seen, changed_at, kinds, text_changed, cells_changed, cells, text_before, text_after, "
        "attachment_changed, old_source_hashes, new_source_hashes) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            rid,
            version,
            (version or 0) + 1,
            url,
            portal_id,
            row.get("agency") or agency,
            row.get("year") or year,
            row.get("region") or region,
            first_seen[0] if first_seen else None,
            now(),
            ",".join(kinds) or "metadata",
            int(before is not None),
            len(cells),
            json.dumps(cells, ensure_ascii=False),
            before,
            after,
            int(attachment),
            old_source,
            row.get("source_hashes"),
        ],
    )


def _stored_facts(conn, num):
    return {
        (t, r, c): value
        for t, r, c, value in conn.execute(
            "select c.table_key, c.row_key, c.col_key, f.value from fact_values f "
            "join fact_cells c on c.id = f.cell where f.report = ?",
            [num],
        )
    }


def _new_facts(row):
    plain, marked = row["fact_rows"]
    return {tuple(key): value for key, value, *_ in [*plain, *marked]}


def changed_cells(old, new):
    """[{cell: 't3/new_received/total', old, new}] for every canonical cell whose value
    differs (a cell present in one version only has None on the other side)."""
    return [
        {"cell": "/".join(key), "old": old.get(key), "new": new.get(key)}
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


def _plain(text):
    return re.sub(r"\s+", "", reports.VOLATILE_RE.sub("", text or ""))


def first_difference(old, new):
    """(before, after): the passage around the first place where the two texts differ
    (whitespace and visit counters aside), or (None, None) when they read the same."""
    old, new = _plain(old), _plain(new)
    if old == new:
        return None, None
    start = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    tail = 0
    while tail < min(len(old), len(new)) - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    left = max(0, start - TEXT_EXCERPT)
    return old[left : len(old) - tail + TEXT_EXCERPT], new[left : len(new) - tail + TEXT_EXCERPT]


# -- removals ------------------------------------------------------------------

# The report a URL is the page, the source or an alias of.
REPORT_OF_URL = """
    select id, url, portal_id, agency, year, region from report_rows where url = :url
    union all select r.id, r.url, r.portal_id, r.agency, r.year, r.region
      from url_aliases a join report_rows r on r.url = a.url where a.alias = :url
    union all select r.id, r.url, r.portal_id, r.agency, r.year, r.region
      from documents d join report_rows r on r.url = d.parent_url where d.url = :url and d.role = 'attachment'
    limit 1"""


def record_removal(db, url, status, column_url=None):
    """The known report at `url` (its page, an attachment or an alias) is gone: `status` is
    http_404, http_410 or gone_from_column. A report already flagged keeps its first time."""
    report = db.execute(REPORT_OF_URL, {"url": url}).fetchone()
    if report is None:
        return False
    rid, page_url, portal_id, agency, year, region = report
    present = db.execute(
        "select max(last_fetched_at) from fetches where url in (?, ?) and status between 200 and 299", [url, page_url]
    ).fetchone()[0]
    stamp = now()
    db.execute(
        "insert into report_removals (report_id, url, missing_url, portal_id, agency, year, region, status, "
        "column_url, first_seen_missing, last_seen_missing, last_seen_present) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (report_id) do update set "
        "missing_url = excluded.missing_url, status = excluded.status, "
        "column_url = coalesce(excluded.column_url, column_url), last_seen_missing = excluded.last_seen_missing",
        [rid, page_url, url, portal_id, agency, year, region, status, column_url, stamp, stamp, present],
    )
    return True


def note_present(db, url):
    """The report page or attachment at `url` answered again: a 404/410 flagged for it is
    withdrawn (one gone from its column stays until a column lists it again)."""
    db.execute("delete from report_removals where missing_url = ? and status != 'gone_from_column'", [url])


def record_column_listings(db, listings, partly_read, stamp):
    """The links a crawl read in each column (`column_links`, their first and last time):
    listings {(portal id, column URL): [URL]}. A report listed again is no longer flagged as
    gone from its column. In a column of a portal whose columns were all read (no list page
    failed: partly_read holds the others), a known report listed there before, and in no
    column of its portal now, is flagged `gone_from_column`. Returns the URLs flagged."""
    for (portal_id, column_url), urls in listings.items():
        db.conn.executemany(
            "insert into column_links (portal_id, column_url, url, first_seen, last_seen) values (?, ?, ?, ?, ?) "
            "on conflict (portal_id, column_url, url) do update set last_seen = excluded.last_seen",
            [(portal_id, column_url, url, stamp, stamp) for url in urls],
        )
        db.conn.executemany(
            "delete from report_removals where status = 'gone_from_column' and missing_url = ?", [(u,) for u in urls]
        )
    flagged = []
    for portal_id, column_url in listings:
        if portal_id in partly_read:
            continue
        gone = db.execute(
            "select url from column_links where portal_id = :portal and column_url = :column and last_seen < :stamp "
            "and url not in (select url from column_links where portal_id = :portal and last_seen = :stamp)",
            {"portal": portal_id, "column": column_url, "stamp": stamp},
        ).fetchall()
        flagged += [url for (url,) in gone if record_removal(db, url, "gone_from_column", column_url)]
    return flagged


# -- the light re-check ----------------------------------------------------------


def known_portals(db, portal_ids=()):
    """The portals (as the registry gives them: id, name, region, level, family, start_urls)
    that hold stored reports, or these of them."""
    where = f"and id in ({','.join('?' * len(portal_ids))})" if portal_ids else ""
    rows = db.execute(
        f"select id, name, region, level, family, start_urls from portals "
        f"where id in (select distinct portal_id from report_rows) {where}",
        list(portal_ids),
    ).fetchall()
    return [
        {"id": i, "name": n, "region": r, "level": lv, "family": f, "start_urls": json.loads(urls or "[]")}
        for i, n, r, lv, f, urls in rows
    ]


# Every known report URL: each report's page, and the attachments it was read with.
RECHECK_TARGETS = """
    select r.url, r.portal_id, 'page' as role, null as parent_url from report_rows r {where}
    union select d.url, r.portal_id, d.role, r.url from report_rows r
      join documents d on d.parent_url = r.url and d.role = 'attachment' {where}"""


def recheck_targets(db, portal_ids=()):
    """[(url, portal id, role, parent url, ETag, Last-Modified)] of every known report URL (of
    these portals), with the validators of its latest successful capture."""
    where = f"where r.portal_id in ({','.join('?' * len(portal_ids))})" if portal_ids else ""
    targets = []
    for url, portal_id, role, parent in db.execute(RECHECK_TARGETS.format(where=where), [*portal_ids, *portal_ids]):
        latest = db.execute(
            "select headers from fetches where url = ? and status between 200 and 299 "
            "order by last_fetched_at desc limit 1",
            [url],
        ).fetchone()
        fields = {k.lower(): v for k, v in json.loads(latest[0] or "{}").items()} if latest else {}
        targets.append((url, portal_id, role, parent, fields.get("etag"), fields.get("last-modified")))
    return targets


def change_tallies(db):
    """{changes, removals}: rows of report_changes and report_removals."""
    return {
        "changes": db.execute("select count(*) from report_changes").fetchone()[0],
        "removals": db.execute("select count(*) from report_removals").fetchone()[0],
    }


# -- what the feeds and the comparison page read ------------------------------------

LATEST_CHANGES = """
    select report_id, to_version, url, agency, year, region, changed_at, kinds, cells_changed, cells,
      text_before, text_after from report_changes order by changed_at desc, report_id desc limit :limit"""

LATEST_REMOVALS = """
    select report_id, url, missing_url, agency, year, region, status, first_seen_missing from report_removals
    order by first_seen_missing desc, report_id desc limit :limit"""

NEW_REPORT_ROWS = """
    select r.num, r.id, r.title, r.agency, r.year, r.region, r.published, r.url, v.recorded_at
    from report_rows r left join report_versions v on v.report_id = r.id and v.version = 1
    where r.num in ({marks}) order by r.num desc"""


def new_report_rows(count):
    return NEW_REPORT_ROWS.format(marks=",".join("?" * count))


COMPARED_REPORT = "select id, title, agency, year, region, layout, portal_id from report_rows where id = ?"

FACTS_OF_REPORT_BY_CELL = """
    select c.table_key, c.row_key, c.col_key, f.value, coalesce(f.raw, cast(cast(f.value as integer) as text))
    from report_rows r join fact_values f on f.report = r.num join fact_cells c on c.id = f.cell where r.id = ?"""

# The report of the year before by the same agency on the same portal (index (agency, portal_id, year))
PREVIOUS_YEAR_REPORT = """
    select id from report_rows where agency = ? and portal_id = ? and year = ? order by published desc, id limit 1"""

# A report page's 发布后的修改: its changes (by the primary key (report_id, to_version)) and its removal
CHANGES_OF_REPORT = """
    select from_version, to_version, changed_at, kinds, cells, text_before, text_after from report_changes
    where report_id = ? order by to_version"""

REMOVAL_OF_REPORT = """
    select status, missing_url, column_url, first_seen_missing, last_seen_missing, last_seen_present
    from report_removals where report_id = ?"""
