"""The storage layer, below both the crawler and the commands: the SQLite schema and its
migrations, fetch and failure bookkeeping, report writing (store.py), the search index's
tokens (search.py), the views (views.py), the WARC archive (warc.py) and the lock that keeps
one writer per database (lock.py). It imports nothing of the crawler or the commands."""

__version__ = "0.1.0"
