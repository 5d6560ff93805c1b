"""What a crawl records: its portals, every fetch (with where its capture lies in the WARC
archive), documents and their other URLs, columns, rejected candidates, and failures with the
policy of which are tried again."""

import json

import sqlite_utils

from .schema import now


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


def record_reject(db, url, portal_id, title, reason, judged_by, column_url=None, source_hashes=None):
    """A candidate that is not a report (judged by its title, or by the content of these
    sources); a later verdict on the same URL replaces it."""
    stamp = now()
    with db.conn:
        db.execute(
            "insert into rejects (url, portal_id, title, reason, judged_by, column_url, source_hashes, first_seen, "
            "last_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (url) do update set "
            "title = excluded.title, reason = excluded.reason, judged_by = excluded.judged_by, "
            "source_hashes = excluded.source_hashes, last_seen = excluded.last_seen",
            [url, portal_id, title, reason, judged_by, column_url, source_hashes, stamp, stamp],
        )


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


def known_documents(db):
    """The URLs a crawl need not fetch again: archived attachments and pictures, final
    failures (a 404, a 2 GB body, a redirect loop ...), and report pages whose attachments
    are all one or the other."""
    known = {row[0] for row in db.execute("select url from documents where role in ('attachment', 'image')")}
    known |= {
        row[0]
        for row in db.execute(
            "select url from failures where stage in ('detail', 'attachment', 'image') and retryable = 0"
        )
    }
    pages = db.execute("select url, attachment_urls from documents where role = 'page'").fetchall()
    known |= {url for url, attachment_urls in pages if all(a in known for a in json.loads(attachment_urls or "[]"))}
    return known


def list_page_validators(db):
    """{list page URL: (ETag, Last-Modified)} of the latest successful fetch of each page that
    is no document and sent either validator."""
    validators = {}
    for url, headers in db.execute(
        "select url, headers from fetches where status between 200 and 299 "
        "and url not in (select url from documents) order by last_fetched_at"
    ):
        fields = {k.lower(): v for k, v in json.loads(headers or "{}").items()}
        if fields.get("etag") or fields.get("last-modified"):
            validators[url] = (fields.get("etag"), fields.get("last-modified"))
    return validators


def record_document(db, document):
    db["documents"].upsert({**document, "discovered_at": now()}, pk="url")


def record_alias(db, alias, url, kind, portal_id):
    """`alias` is another URL of the document at `url` (a big5 gateway link, a `_wap` page)."""
    db["url_aliases"].upsert(
        {"alias": alias, "url": url, "kind": kind, "portal_id": portal_id, "seen_at": now()}, pk="alias"
    )


# Kinds of failure worth trying again on the next run: the remote side's passing trouble, this
# machine's own (cannot_write: a full disk, a read-only database), what the crawl did not
# understand (unexpected_error), and the candidates a run left for later (candidates_capped).
# Everything else is final until the source changes (a 404, a corrupt or encrypted file, a
# 2 GB body, a redirect loop ...).
RETRYABLE_KINDS = {
    "timeout",
    "connection",
    "dns",
    "http_408",
    "http_429",
    "cannot_write",
    "unexpected_error",
    "candidates_capped",
}


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
