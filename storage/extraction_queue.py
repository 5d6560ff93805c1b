"""The extraction queue: what an extraction run has to do (report pages whose sources or
extractor changed, each with its attachments and where their captures lie), the report rows
it writes (with region and level from the stored `portals` row of the page's portal, so a
`scrapy crawl` followed by `govreports reextract` stores what `govreports crawl` stores),
pages kept as duplicates of another report, and the failures and rejects it records.

A report group is (page, [attachments]): `documents` rows with their WARC location; the
page also carries its portal's region and level."""

import json

import extractors

from . import crawl_records, reports

ATTACHMENTS_WITH_LOCATION = """
    select d.*, f.warc_file, f.warc_offset from documents d
    left join fetches f on f.url = d.url and f.sha256 = d.sha256
    where d.role in ('attachment', 'image') order by d.url"""


PAGES_WITH_LOCATION_AND_PORTAL = """
    select d.*, f.warc_file, f.warc_offset, p.region, p.level from documents d
    left join fetches f on f.url = d.url and f.sha256 = d.sha256
    left join portals p on p.id = d.portal_id
    where d.role = 'page' order by d.url"""


EXTRACTED_SOURCES = """
    select url, source_hashes, extractor_version from report_rows union all
    select page_url, source_hashes, extractor_version from duplicates"""


FAILED_FOR_GOOD = """
    select url, sha256 from failures where stage = 'extract_report' and retryable = 0
    union select url, source_hashes from rejects where judged_by = 'content'"""


DUPLICATE = "duplicate"
MIN_DUPLICATE_TEXT = 200  # characters: shorter texts ("详见附件") say too little to be matched


def pending_groups(db, only_changed=True):
    """[(page, [attachments])] whose sources or extractor changed (every group when not
    only_changed), less those that already failed for good with these sources and this
    extractor. A page's article images ride with its attachments."""
    attachments = {}
    for doc in db.query(ATTACHMENTS_WITH_LOCATION):
        attachments.setdefault(doc["parent_url"], []).append(doc)
    extracted = {r["url"]: (r["source_hashes"], r["extractor_version"]) for r in db.query(EXTRACTED_SOURCES)}
    failed_for_good = {(r["url"], r["sha256"]) for r in db.query(FAILED_FOR_GOOD)}
    groups = []
    for page in db.query(PAGES_WITH_LOCATION_AND_PORTAL):
        docs = attachments.get(page["url"], [])
        key = group_key(page, docs)
        if only_changed and extracted.get(page["url"]) == (key, extractors.EXTRACTOR_VERSION):
            continue
        if only_changed and (page["url"], failure_key(key)) in failed_for_good:
            continue
        groups.append((page, docs))
    return groups


def held_duplicates(db):
    """The URLs of the pages kept as duplicates of another report."""
    return {row[0] for row in db.execute("select page_url from duplicates")}


def page_report_id(page):
    return reports.report_id(page["portal_id"], page["doc_key"] or page["url"])


def group_key(page, attachments):
    return ",".join([page["sha256"]] + sorted(a["sha256"] for a in attachments))


def failure_key(key):
    """A final extraction failure holds only for these sources and this extractor version."""
    return f"{key}|{extractors.EXTRACTOR_VERSION}"


def check_status(checks):
    """One word per report for faceting: fail > not_assessable > pass (none: no checks)."""
    statuses = {c["status"] for c in checks}
    for status in ("fail", "not_assessable", "pass"):
        if status in statuses:
            return status
    return "none"


def report_row(page, attachments, result):
    """The reports row of an extraction; region and level are the page's portal's."""
    return {
        "id": page_report_id(page),
        "url": page["url"],
        "title": page.get("title") or result["title"],
        "agency": result["agency"],
        "year": result["year"],
        "layout": result["layout"],
        "published": result["published"],
        "portal_id": page["portal_id"],
        "source_format": result["source_format"],
        "source_url": result["source_url"],
        "region": page.get("region"),
        "level": page.get("level"),
        "sections": json.dumps(result["sections"], ensure_ascii=False),
        "facts_count": len(result["facts"]),
        "checks_failed": sum(1 for c in result["checks"] if c["status"] == "fail"),
        "check_status": check_status(result["checks"]),
        "source_hashes": group_key(page, attachments),
        "extractor_version": result["extractor_version"],
        "text": result["text"],
        "fingerprint": reports.fingerprint(result, result["facts"]),
    }


def other_page_of_the_document(db, rid, page):
    """(url, agency, source_hashes, extractor_version) of the stored page of the same source
    document at another URL (a gkmlpt post in the platform and in the site's own column),
    or None."""
    stored = reports.report_page(db, rid)
    return stored if stored and stored[0] != page["url"] else None


def prepared_row(page, attachments, result):
    """The report row with what the writer would otherwise compute (reports.prepare); the
    extraction workers call this, so the work runs on every core."""
    return reports.prepare(report_row(page, attachments, result), result["facts"], result["checks"])


def save(db, page, attachments, result):
    """Store one extraction; True when the report's content changed, DUPLICATE when it is
    another page of a stored report of the portal (then kept as that report's URL): the
    same source document at another URL, or the content of another report."""
    row = result.get("row") or prepared_row(page, attachments, result)
    row["id"] = reports.report_of_page(db, page["url"]) or row["id"]  # a stored page keeps its report's id
    rid, digest = row["id"], row["fingerprint"]
    other_page = other_page_of_the_document(db, rid, page)
    if other_page and (other_page[1] is not None or row["agency"] is None):
        reports.record_duplicate(db, page, rid, rid, group_key(page, attachments), result["extractor_version"])
        return DUPLICATE
    if len(result["text"]) >= MIN_DUPLICATE_TEXT:
        kept = reports.same_report(db, digest, rid, page["portal_id"])
        if kept:
            reports.record_duplicate(db, page, rid, kept, group_key(page, attachments), result["extractor_version"])
            return DUPLICATE
    reports.forget_duplicate(db, page["url"])
    if row["region"] is None:  # a portal stored without a region keeps what its reports had
        existing = db.execute("select region, level from report_rows where id = ?", [rid]).fetchone()
        if existing:
            row["region"], row["level"] = existing
    changed = reports.save_report(db, row, result["facts"], result["checks"])
    if other_page:  # this page names the agency the other page lacked: it takes its place
        reports.record_duplicate(db, {"url": other_page[0], "portal_id": page["portal_id"]}, rid, rid, *other_page[2:])
    return changed


def record_document_findings(db, page, attachments, errors, succeeded):
    """One failures row per document that had findings (its last finding's kind, every
    message); documents read cleanly lose their earlier one. errors: [(url, kind, message)]."""
    for url in succeeded:
        if not any(error[0] == url for error in errors):
            crawl_records.clear_failure(db, url, "extract")
    findings = {}
    for url, kind, message in errors:
        findings.setdefault(url, []).append((kind, message))
    for url, found in findings.items():
        sha = next(d["sha256"] for d in [page] + attachments if d["url"] == url)
        crawl_records.record_failure(
            db, url, "extract", found[-1][0], "; ".join(message for _, message in found), page["portal_id"], sha
        )


def record_report_failure(db, page, attachments, kind, message):
    """The report could not be made from these sources with this extractor (final unless
    the kind is retryable)."""
    crawl_records.record_failure(
        db, page["url"], "extract_report", kind, message, page["portal_id"], failure_key(group_key(page, attachments))
    )


def clear_report_failure(db, page):
    crawl_records.clear_failure(db, page["url"], "extract_report")


def reject_report(db, page, attachments, title, reason):
    """A candidate whose content is no report: recorded as a reject for these sources, and
    the report an earlier extraction made of it dropped (not the report of another page of
    the same document)."""
    crawl_records.record_reject(
        db,
        page["url"],
        page["portal_id"],
        title,
        reason,
        "content",
        source_hashes=failure_key(group_key(page, attachments)),
    )
    rid = reports.report_of_page(db, page["url"])
    if rid:
        reports.drop_report(db, rid)
