"""The storage layer, below both the crawler and the commands: the SQLite schema, its views
and named migrations (schema.py, views.py, migrations.py), what a crawl records
(crawl_records.py), the extraction queue (extraction_queue.py), report writing (reports.py),
what changed after publication (changes.py),
the statements of the served pages (queries.py), the search index's tokens (search.py), the WARC archive (warc.py) and
the lock that keeps one writer per database (lock.py). It imports nothing of the crawler or
the commands."""

__version__ = "0.1.0"
