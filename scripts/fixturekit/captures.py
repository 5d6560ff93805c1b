"""Captures written straight into an archive as a crawl archives what it fetched: for the tests
and benchmarks that need a page, a picture or a compression bomb the sample portal lacks."""

import hashlib

from storage import crawl_records, schema
from storage.warc import WarcArchive, archive_dir


def archive_capture(db_path, url, headers, body):
    """A 200 answer of url (headers: [(name, value)] with its Content-Type; body: the bytes as
    sent) archived beside db_path and recorded in its fetches; its capture number."""
    archive = WarcArchive(archive_dir(db_path))
    location = archive.record(url, "GET /", [], "HTTP/1.1", "200 OK", headers, body)
    archive.close()
    location.pop("revisit")
    sha256 = hashlib.sha256(body).hexdigest()
    content_type = dict(headers)["Content-Type"]
    db = schema.open_db(db_path)
    try:
        crawl_records.record_fetch(db, url, sha256, 200, content_type, len(body), headers, None, location)
        return db.execute("select rowid from fetches where url = ? and sha256 = ?", [url, sha256]).fetchone()[0]
    finally:
        db.close()
