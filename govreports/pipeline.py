"""After a crawl: turn archived documents into reports, facts and checks.

A report is a detail page plus its attachments. The page's own text is the report unless
an attachment carries the tables (or the page is only a pointer to it), in which case the
attachment's extraction is stored, under the page's URL and title. Extraction runs in a
process pool, outside Scrapy's reactor.
"""

import json
import os
from concurrent.futures import ProcessPoolExecutor

from extractors import EXTRACTOR_VERSION
from extractors.report import DocumentError, extract_document

from . import store
from .archive import archive_for


def report_groups(db, only_changed=True):
    """[(page document, [attachment documents])] whose sources changed since extraction."""
    attachments = {}
    for doc in db["documents"].rows_where("role = 'attachment'"):
        attachments.setdefault(doc["parent_url"], []).append(doc)
    extracted = {r["id"]: (r["source_sha256"], r["extractor_version"])
                 for r in db.query("select id, source_sha256, extractor_version from reports")}
    groups = []
    for page in db["documents"].rows_where("role = 'page'", order_by="url"):
        docs = attachments.get(page["url"], [])
        rid = store.report_id(page["portal_id"], page["url"])
        key = group_key(page, docs)
        if only_changed and extracted.get(rid) == (key, EXTRACTOR_VERSION):
            continue
        groups.append((page, docs))
    return groups


def group_key(page, attachments):
    return ",".join([page["sha256"]] + sorted(a["sha256"] for a in attachments))


def extract_group(archive_root, page, attachments):
    """Worker: extract a page and its attachments; returns (page, result, errors)."""
    from .archive import Archive

    archive = Archive(archive_root)
    errors, results = [], []
    for doc in [page] + attachments:
        try:
            data = archive.get(doc["sha256"])
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
    """Extract every report whose sources changed. Returns counts."""
    db = store.open_db(db_path)
    archive = archive_for(db_path)
    portal_info = {p["id"]: p for p in (portals or [])}
    groups = report_groups(db, only_changed)
    counts = {"extracted": 0, "failed": 0}
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(extract_group, str(archive.root), page, docs) for page, docs in groups]
        for future in futures:
            page, docs, result, errors = future.result()
            for url, kind, message in errors:
                store.record_failure(db, url, "extract", kind, message, page["portal_id"])
            if result is None:
                counts["failed"] += 1
                continue
            for doc in [page] + docs:
                store.clear_failure(db, doc["url"], "extract")
            save(db, page, docs, result, portal_info.get(page["portal_id"], {}))
            counts["extracted"] += 1
    db.close()
    return counts


def check_status(checks):
    """One word per report for faceting: fail > not_assessable > pass (none: no checks)."""
    statuses = {c["status"] for c in checks}
    for status in ("fail", "not_assessable", "pass"):
        if status in statuses:
            return status
    return "none"


def save(db, page, attachments, result, portal):
    rid = store.report_id(page["portal_id"], page["url"])
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
        "source_sha256": group_key(page, attachments), "extractor_version": EXTRACTOR_VERSION,
        "extracted_at": store.now(), "text": result["text"],
    }
    if portal.get("region") is None:
        existing = db.execute("select region, level from reports where id = ?", [rid]).fetchone()
        if existing:
            row["region"], row["level"] = existing
    store.save_report(db, row, result["facts"], result["checks"])
