"""What earlier crawls left, read from the database before a crawl starts: known document
URLs, final failures, list-page validators and the archived copies of list pages."""

import json

from storage import crawl_records, schema
from storage.warc import WarcArchive, archive_dir


class CrawlState:
    """What earlier crawls left: known document URLs (a report page only once all its
    attachments are archived), list-page validators, archived list pages."""

    def __init__(self, known_urls=(), validators=None, archived_body=None, full=False, scout=False):
        self.known_urls = set(known_urls)
        self.validators = validators or {}
        self.archived_body = archived_body
        self.full = full
        self.scout = scout


def crawl_state(db_path, full=False, scout=False):
    """Known documents, list-page validators and archived copies, from earlier crawls."""
    db = schema.open_db(db_path)
    known = {row[0] for row in db.execute("select url from documents where role in ('attachment', 'image')")}
    # Final failures (a 404, a 2 GB body, a redirect loop ...) are not fetched again.
    given_up = {
        row[0]
        for row in db.execute(
            "select url from failures where stage in ('detail', 'attachment', 'image') and retryable = 0"
        )
    }
    known |= given_up
    for url, attachment_urls in db.execute("select url, attachment_urls from documents where role = 'page'"):
        if all(a in known or a in given_up for a in json.loads(attachment_urls or "[]")):
            known.add(url)
    validators = {}
    for url, headers in db.execute(
        "select url, headers from fetches where status between 200 and 299 "
        "and url not in (select url from documents) order by last_fetched_at"
    ):
        fields = {k.lower(): v for k, v in json.loads(headers or "{}").items()}
        if fields.get("etag") or fields.get("last-modified"):
            validators[url] = (fields.get("etag"), fields.get("last-modified"))
    db.close()
    archive = WarcArchive(archive_dir(db_path))

    def archived_body(url):
        reader = schema.open_db(db_path)
        try:
            latest = crawl_records.latest_fetch(reader, url)
        finally:
            reader.close()
        return archive.read(latest[2], latest[3]) if latest and latest[2] else None

    return CrawlState(known, validators, archived_body, full=full, scout=scout)
