"""Content-addressed store of every original as fetched: originals/ab/cd/<sha256>.

Writes are atomic (temp file + rename) and idempotent: the same bytes land once."""

import hashlib
import os
import tempfile
from pathlib import Path


class Archive:
    def __init__(self, root):
        self.root = Path(root)

    def path(self, sha256):
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data):
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        return sha256

    def get(self, sha256):
        return self.path(sha256).read_bytes()


def archive_for(db_path):
    """The archive that belongs to a database: originals/ beside it."""
    return Archive(Path(db_path).resolve().parent / "originals")
