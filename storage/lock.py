"""One writer at a time per database file: an exclusive, non-blocking flock on a lock file
named after the database's resolved path, so a symlink or a relative path to the same file
meets the same lock. Every command that writes takes it (crawl, scout, reextract, and any
migration). The kernel drops the lock when its holder dies, so a killed run never leaves it
stale. Within one process the lock is reentrant: a crawl that holds it can migrate the database
without locking itself out."""

import fcntl
import os
from contextlib import contextmanager, nullcontext
from pathlib import Path


class DatabaseLocked(RuntimeError):
    pass


_held = {}  # lock file -> how many times this process holds it now


def lock_file(db_path):
    return Path(f"{Path(db_path).resolve()}.lock")


@contextmanager
def database_lock(db_path):
    """Raises DatabaseLocked when another process holds the lock on db_path's file."""
    path = lock_file(db_path)
    with _exclusive(path, db_path) if not _held.get(path) else nullcontext():
        _held[path] = _held.get(path, 0) + 1
        try:
            yield
        finally:
            _held[path] -= 1


@contextmanager
def _exclusive(path, db_path):
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise DatabaseLocked(f"another govreports run ({holder}) is using {db_path}") from None
    try:
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
