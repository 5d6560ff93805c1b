"""One writer at a time per database file: an exclusive, non-blocking flock on the database
file itself, so the lock belongs to the file's identity (device and inode), whatever names it:
a symlink, a relative path, `..`, or a hard link in another folder all meet the same lock.
Every writer takes it: `govreports crawl`, `scout`, `reextract`, `scrapy crawl portals`, and
any migration. The kernel drops the lock when its holder dies, so a killed run never leaves
it stale. Within one process the lock is reentrant: a crawl that holds it can migrate the
database without locking itself out.

flock and SQLite's own locks (POSIX fcntl locks) are independent on a local filesystem,
which WAL mode requires anyway."""

import fcntl
import os
from contextlib import contextmanager, nullcontext


class DatabaseLocked(RuntimeError):
    pass


LOCKED_EXIT_STATUS = 75  # EX_TEMPFAIL: a scheduler may simply try again


_held = {}  # (st_dev, st_ino) of a database file -> how many times this process holds its lock now


def identity(db_path):
    """(st_dev, st_ino) of the database file (created empty when missing: SQLite reads an
    empty file as an empty database)."""
    os.close(os.open(db_path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666))
    info = os.stat(db_path)
    return info.st_dev, info.st_ino


@contextmanager
def database_lock(db_path):
    """Raises DatabaseLocked when another process (or another open of the file) holds the
    lock on db_path's file."""
    key = identity(db_path)
    with _exclusive(db_path) if not _held.get(key) else nullcontext():
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _held[key] -= 1


@contextmanager
def _exclusive(db_path):
    fd = os.open(db_path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DatabaseLocked(
            f"another govreports run ({holder(db_path) or 'another process'}) is using {db_path}"
        ) from None
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def holder(db_path):
    """'pid N' of the process that holds the lock on db_path's file, or None (not locked,
    or a process this one cannot see)."""
    try:
        info = os.stat(db_path)
        with open("/proc/locks") as locks:
            lines = locks.read().splitlines()
    except OSError:
        return None
    file_id = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in lines:
        fields = line.split()
        if fields[1:2] == ["FLOCK"] and len(fields) > 5 and fields[5] == file_id:
            return f"pid {fields[4]}"
    return None
