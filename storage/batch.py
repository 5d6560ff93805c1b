"""Many small writes as one transaction: the single writer commits once per batch of
reports, not once per report. Each commit ends the search index's in-memory segment and
writes every page it touched to the WAL, so a batch of 500 costs a third of a transaction
per report (figures: benchmarks/README.md, "Storage and search").

    with WriteBatch(db, size=500) as batch:
        for outcome in outcomes:
            store(db, outcome)   # `with db.conn:` blocks inside join the batch
            batch.wrote()        # commits every `size` writes
        ...
        batch.commit()           # before waiting for more work: never hold the write lock idle
"""


class _JoinedConnection:
    """The database's connection, whose `with conn:` blocks and commit() join the open
    batch instead of committing it."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False  # an error propagates; the batch is rolled back as a whole

    def commit(self):
        pass


class WriteBatch:
    """A context for a sqlite_utils Database: writes inside are committed every `size`
    calls of wrote(), on commit(), and at the end; an error rolls back the open batch."""

    def __init__(self, db, size=500):
        self.db, self.size, self.pending = db, size, 0
        self._conn = db.conn

    def __enter__(self):
        self.db.conn = _JoinedConnection(self._conn)
        return self

    def __exit__(self, kind, error, traceback):
        self.db.conn = self._conn
        if kind is None:
            self._conn.commit()
        else:
            self._conn.rollback()
        return False

    def wrote(self):
        self.pending += 1
        if self.pending >= self.size:
            self.commit()

    def commit(self):
        self._conn.commit()
        self.pending = 0
