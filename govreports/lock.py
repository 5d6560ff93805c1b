"""One crawl at a time per database: an exclusive, non-blocking flock on <db>.lock.
The kernel drops the lock when the process dies, so a killed crawl never leaves it stale."""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class CrawlLocked(RuntimeError):
    pass


@contextmanager
def crawl_lock(db_path):
    path = Path(f"{db_path}.lock")
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise CrawlLocked(f"another govreports run ({holder}) is using {db_path}") from None
    try:
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
