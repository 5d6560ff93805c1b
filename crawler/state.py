"""What earlier crawls left, read from the database before a crawl starts: known document
URLs, final failures, list-page validators and the archived copies of list pages."""

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
    known = crawl_records.known_documents(db)
    validators = crawl_records.list_page_validators(db)
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
