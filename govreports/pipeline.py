"""After a crawl: turn archived documents into reports, facts and checks.

A report is a detail page plus its attachments. The page's own text is the report unless
an attachment carries the tables (or the page is only a pointer to it), in which case the
attachment's extraction is stored, under the page's URL and title. Extraction runs in a
process pool, outside Scrapy's reactor.
"""

import json
import os
from concurrent.futures import ProcessPoolExecutor

import extractors
from extractors.report import DocumentError, extract_document

from . import store
from .warc import WarcArchive, archive_dir


DOCUMENTS_WITH_LOCATION = """
    select d.*, f.warc_file, f.warc_offset from documents d
    left join fetches f on f.url = d.url and f.sha256 = d.sha256
    where d.role = ?"""


def report_groups(db, only_changed=True):
    """[(page document, [attachment documents])] whose sources or extractor changed."""
    attachments = {}
    for doc in db.query(DOCUMENTS_WITH_LOCATION, ["attachment"]):
        attachments.setdefault(doc["parent_url"], []).append(doc)
    extracted = {r["id"]: (r["source_sha256"], r["extractor_version"])
                 for r in db.query("select id, source_sha256, extractor_version from reports")}
    groups = []
    for page in sorted(db.query(DOCUMENTS_WITH_LOCATION, ["page"]), key=lambda d: d["url"]):
        docs = attachments.get(page["url"], [])
        rid = store.report_id(page["portal_id"], page["doc_key"] or page["url"])
        key = group_key(page, docs)
        if only_changed and extracted.get(rid) == (key, extractors.EXTRACTOR_VERSION):
            continue
        groups.append((page, docs))
    return groups


def group_key(page, attachments):
    return ",".join([page["sha256"]] + sorted(a["sha256"] for a in attachments))


def extract_group(archive_root, page, attachments):
    """Worker: extract a page and its attachments; returns (page, attachments, result, errors)."""
    archive = WarcArchive(archive_root)
    errors, results = [], []
    for doc in [page] + attachments:
        try:
            if doc["warc_file"] is None:
                raise OSError("no archived capture of this document")
            data = archive.read(doc["warc_file"], doc["warc_offset"])
            result = extract_document(data, name=doc["url"], url=doc["url"], http_charset=doc.get("http_charset"))
        except (DocumentError, OSError, ValueError) as error:
            errors.append((doc["url"], type(error).__name__, str(error)))
            continue
        result["source_url"] = doc["url"]
        results.append(result)
    if not results:
        return page, attachments, None, errors
    best = results[0]
    for result in results[1:]:
        if _better(result, best):
            best = result
    # Metadata the attachment lacks (a PDF rarely says when it was put online) comes from the page.
    for field in ("title", "agency", "year", "published"):
        if best[field] is None:
            best[field] = next((r[field] for r in results if r[field] is not None), None)
    return page, attachments, best, errors


def _better(candidate, current):
    """More facts wins; with equal facts, an attachment wins over a page that only points to it."""
    if len(candidate["facts"]) != len(current["facts"]):
        return len(candidate["facts"]) > len(current["facts"])
    return len(current["text"]) < 300 <= len(candidate["text"])


def extract_pending(db_path, workers=None, only_changed=True, portals=None):
    """Extract every report whose sources or extractor version changed. Returns counts:
    extracted (looked at), changed (content differed: rows rewritten), failed."""
    db = store.open_db(db_path)
    root = str(archive_dir(db_path))
    portal_info = {p["id"]: p for p in (portals or [])}
    groups = report_groups(db, only_changed)
    counts = {"extracted": 0, "changed": 0, "failed": 0}
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        outcomes = (extract_group(root, page, docs) for page, docs in groups)
        _store_outcomes(db, outcomes, portal_info, counts)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(extract_group, root, page, docs) for page, docs in groups]
            _store_outcomes(db, (f.result() for f in futures), portal_info, counts)
    db.close()
    return counts


def _store_outcomes(db, outcomes, portal_info, counts):
    for page, docs, result, errors in outcomes:
        for url, kind, message in errors:
            store.record_failure(db, url, "extract", kind, message, page["portal_id"])
        if result is None:
            counts["failed"] += 1
            continue
        for doc in [page] + docs:
            store.clear_failure(db, doc["url"], "extract")
        counts["extracted"] += 1
        counts["changed"] += save(db, page, docs, result, portal_info.get(page["portal_id"], {}))


def check_status(checks):
    """One word per report for faceting: fail > not_assessable > pass (none: no checks)."""
    statuses = {c["status"] for c in checks}
    for status in ("fail", "not_assessable", "pass"):
        if status in statuses:
            return status
    return "none"


def save(db, page, attachments, result, portal):
    """Store one extraction; True when the report's content changed."""
    rid = store.report_id(page["portal_id"], page["doc_key"] or page["url"])
    row = {
        "id": rid, "url": page["url"], "title": page.get("title") or result["title"],
        "agency": result["agency"], "year": result["year"], "layout": result["layout"],
        "published": result["published"], "portal_id": page["portal_id"],
        "source_format": result["source_format"], "source_url": result["source_url"],
        "region": portal.get("region"), "level": portal.get("level"),
        "sections": json.dumps(result["sections"], ensure_ascii=False),
        "facts_count": len(result["facts"]),
        "checks_failed": sum(1 for c in result["checks"] if c["status"] == "fail"),
        "check_status": check_status(result["checks"]),
        "source_sha256": group_key(page, attachments), "extractor_version": result["extractor_version"],
        "text": result["text"],
    }
    if portal.get("region") is None:
        existing = db.execute("select region, level from reports where id = ?", [rid]).fetchone()
        if existing:
            row["region"], row["level"] = existing
    return store.save_report(db, row, result["facts"], result["checks"])
