"""Named migrations, each applied once. `_migrations` holds the name of every migration
applied to a database (and when); `migrate` applies the others, in the order of MIGRATIONS,
under the database's lock. The commands that write run it once before they write (crawl,
scout, demo, reextract, and `scrapy crawl` when its spider starts); opening a database
(schema.open_db) only connects, so the readers, the crawl's components and every 304 list
page pay a connection, not a migration.

A migration is a small function of the database, named for what it does; it only adds what
is missing (so one interrupted by a kill simply runs again). An archive made before there
were named migrations has none recorded: every migration runs on it, and finds most of its
work done. To change the schema later, append a migration (a new table: add it to
schema.SCHEMA and append `create_tables("name")`; a new column: `add_columns("table",
"column")`); never edit or rename one that was applied. A column renamed in schema.SCHEMA is
the exception to appending: its `rename_columns` migration goes first, so that the migrations
after it (which read schema.SCHEMA) find the column under its new name in any archive.

The views (reports, facts, report_urls, the wide views) and the cell_labels table are made
from the code (the schema's columns, the extractors' canonical cells and labels): after the
migrations, those whose definition in the database differs from the code's are made again."""

from .lock import database_lock
from .reports import refill_chart_summaries
from .schema import (
    AGENCY_INDEXES,
    CHANGE_INDEXES,
    FACT_VALUES,
    FACTS_VIEW,
    FEED_FILTER_INDEXES,
    FTS_OPTIONS,
    FTS_SCHEMA,
    FTS_TABLE,
    INDEXES,
    LIGHT_COLUMNS,
    REPORT_URLS_VIEW,
    REPORTS_VIEW,
    SCHEMA,
    UNIQUE_INDEXES,
    now,
    open_db,
    register_cells,
)
from .search import index_text
from .views import WIDE_VIEW, WIDE_VIEW_ZH, all_cells, cell_ids, cell_label_rows, wide_views

MIGRATIONS_TABLE = "_migrations"

# the tables the first named migration makes: a table added to schema.SCHEMA since comes
# with a migration of its own
FIRST_TABLES = (
    "portals",
    "fetches",
    "documents",
    "report_rows",
    "report_texts",
    "report_versions",
    "fact_cells",
    "fact_totals",
    "late_days",
    "top_applications",
    "checks",
    "url_aliases",
    "duplicates",
    "columns",
    "rejects",
    "failures",
    "report_counts",
    "check_counts",
    "fetch_counts",
    "document_counts",
    "report_url_counts",
)


def create_tables(*names, name=None):
    """A migration (called `name`, by default after the tables) that makes these tables of
    schema.SCHEMA, or adds the columns an earlier archive's copy of one lacks."""

    def create(db):
        for name in names:
            columns, pk = SCHEMA[name]
            table = db[name]
            if not table.exists():
                table.create(columns, pk=pk)
                continue
            for column, kind in columns.items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)

    create.__name__ = name or f"create_tables_{'_'.join(names)}"
    return create


def add_columns(table, *columns):
    """A migration that adds these columns (typed as in schema.SCHEMA) to a table."""

    def add(db):
        for column in columns:
            if column not in db[table].columns_dict:
                db[table].add_column(column, SCHEMA[table][0][column])

    add.__name__ = f"add_columns_{table}_{'_'.join(columns)}"
    return add


def rename_columns(renames, name):
    """A migration (called `name`) that renames columns, [(tables, old, new)], in each of
    `tables` that has it under its old name and not yet under the new (SQLite keeps the values
    and indexes); tables that do not exist are skipped."""

    def rename(db):
        with db.conn:
            for tables, old, new in renames:
                for table in tables:
                    columns = db[table].columns_dict if db[table].exists() else {}
                    if old in columns and new not in columns:
                        db.execute(f'alter table "{table}" rename column {old} to {new}')

    rename.__name__ = name
    return rename


def create_fact_values(db):
    """fact_values is WITHOUT ROWID (sqlite-utils cannot say so); one from before OCR lacks
    the confidence column."""
    db.execute(FACT_VALUES)
    if "confidence" not in db["fact_values"].columns_dict:
        db.execute("alter table fact_values add column confidence real")


def _create_indexes(db, indexes, unique=False):
    """indexes: {table: [columns, ...]}, each made where missing."""
    for table, all_columns in indexes.items():
        for columns in all_columns:
            db[table].create_index(columns, unique=unique, if_not_exists=True)


def add_indexes(indexes, name):
    """A migration (called `name`) that makes these indexes, {table: [columns, ...]}."""

    def add(db):
        _create_indexes(db, indexes)

    add.__name__ = name
    return add


def create_indexes(db):
    _create_indexes(db, UNIQUE_INDEXES, unique=True)
    _create_indexes(db, INDEXES)
    # replaced by (agency, portal_id, year), which also finds a report's previous year: with
    # the agency alone SQLite paired reports through the year index, 100,000 x 16,000 rows
    db.execute("drop index if exists idx_report_rows_agency")
    db.execute("create index if not exists fact_values_cell on fact_values (cell, report, value)")


def create_search_index(db):
    """reports_fts with FTS_OPTIONS; an archive whose index was made with other options is
    indexed again from the stored reports."""
    if FTS_TABLE not in db.table_names():
        db.execute(FTS_SCHEMA.format(name=FTS_TABLE))
    elif FTS_OPTIONS not in db.execute("select sql from sqlite_master where name = ?", [FTS_TABLE]).fetchone()[0]:
        with db.conn:
            _rebuild_search_index(db)


def move_rows_of_the_old_tables(db):
    """An archive of the earlier schema (reports and facts as tables): rows move into
    report_rows/report_texts (num = the old rowid, which reports_fts already uses) and
    fact_values, then the old tables go and the views take their names. The canonical cells
    are registered first, so that they keep the first ids."""
    with db.conn:
        register_cells(db, all_cells())
        if _kind(db, "reports") == "table":
            old = set(db["reports"].columns_dict)
            columns = [c for c in LIGHT_COLUMNS if c in old]
            db.execute(
                f"insert into report_rows (num, {', '.join(columns)}) select rowid, {', '.join(columns)} from reports"
            )
            db.execute("insert into report_texts (num, text, sections) select rowid, text, sections from reports")
            db.execute("drop table reports")
        if _kind(db, "facts") == "table":
            register_cells(db, db.execute("select distinct table_key, row_key, col_key from facts").fetchall())
            confidence = "f.confidence" if "confidence" in db["facts"].columns_dict else "null"
            db.execute(f"""insert into fact_values (report, cell, value, raw, flags, confidence)
                select r.num, c.id, f.value, case when f.raw = cast(cast(f.value as integer) as text) then null
                  else f.raw end, f.flags, {confidence}
                from facts f join report_rows r on r.id = f.report_id
                  join fact_cells c on (c.table_key, c.row_key, c.col_key) = (f.table_key, f.row_key, f.col_key)""")
            db.execute("drop table facts")


def add_chart_summaries(db):
    """fact_totals per level and by whether the reports' checks pass (`passing`: the figures
    leave out the failing ones unless asked), and chart_totals (the charts' measures per year,
    region, level and passing: their filters), filled from the stored facts."""
    for column, kind in (("level", str), ("passing", int)):
        if column not in db["fact_totals"].columns_dict:
            db["fact_totals"].add_column(column, kind)
    create_tables("chart_totals")(db)
    with db.conn:
        refill_chart_summaries(db)


MIGRATIONS = (
    # renames first (see above): source_sha256 held a comma-joined list of hashes (with the
    # extractor version after "|" in rejects); rejects.stage was what a candidate was judged by,
    # not the crawl step failures.stage names
    rename_columns(
        [
            (("reports", "report_rows", "report_versions", "duplicates", "rejects"), "source_sha256", "source_hashes"),
            (("rejects",), "stage", "judged_by"),
        ],
        name="rename_source_hashes_and_rejects_judged_by",
    ),
    create_tables(*FIRST_TABLES, name="create_first_tables"),
    create_fact_values,
    create_indexes,
    move_rows_of_the_old_tables,
    create_search_index,
    create_tables("portal_checks", "portal_health"),
    add_columns("portal_health", "no_reports_reason", "no_reports_detail"),
    add_columns("portal_health", "rendered_pages"),
    add_chart_summaries,
    create_tables("agencies", "agency_names", "agency_reports", "compliance", name="create_agency_tables"),
    add_indexes(AGENCY_INDEXES, name="create_agency_indexes"),
    create_tables("report_changes", "report_removals", "column_links", name="create_tables_of_changes_and_removals"),
    add_indexes(CHANGE_INDEXES, name="create_indexes_of_changes_and_removals"),
    add_indexes(FEED_FILTER_INDEXES, name="create_indexes_of_the_filtered_late_and_missing_feeds"),
)


def migrate(db_path):
    """Apply the migrations db_path has not had, then bring the views in step with the code;
    the names of those applied now."""
    with database_lock(db_path):
        db = open_db(db_path)
        try:
            return _migrate(db)
        finally:
            db.close()


def _migrate(db):
    db.execute("PRAGMA journal_mode=WAL")  # kept by the file: set once, for every later connection
    db.execute(f"create table if not exists {MIGRATIONS_TABLE} (name text primary key, applied_at text)")
    applied = {row[0] for row in db.execute(f"select name from {MIGRATIONS_TABLE}")}
    pending = [migration for migration in MIGRATIONS if migration.__name__ not in applied]
    if pending:  # views first: they are made again below, and may name tables that move
        with db.conn:
            for view in DERIVED_VIEWS:
                if _kind(db, view) == "view":
                    db.execute(f'drop view "{view}"')
    for migration in pending:
        migration(db)
        with db.conn:
            db.execute(f"insert into {MIGRATIONS_TABLE} (name, applied_at) values (?, ?)", [migration.__name__, now()])
    refresh_derived(db)
    return [migration.__name__ for migration in pending]


DERIVED_VIEWS = ("reports", "facts", "report_urls", WIDE_VIEW, WIDE_VIEW_ZH)


def derived_views(db):
    """{view name: its create statement}, as the code makes them now."""
    return {
        "reports": REPORTS_VIEW,
        "facts": FACTS_VIEW,
        "report_urls": REPORT_URLS_VIEW,
        **wide_views(cell_ids(db)),
    }


def refresh_derived(db):
    """Register the canonical cells a newer extractor added; make again each view whose
    definition differs from the code's, and cell_labels when its rows do."""
    with db.conn:
        register_cells(db, all_cells())
        for name, sql in derived_views(db).items():
            stored = db.execute("select type, sql from sqlite_master where name = ?", [name]).fetchone()
            if stored and stored[0] == "view":
                if _normal(stored[1]) == _normal(sql):
                    continue
                db.execute(f'drop view "{name}"')
            db.execute(sql)
        labels = cell_label_rows()
        if not db["cell_labels"].exists() or list(db["cell_labels"].rows) != labels:
            db["cell_labels"].drop(ignore=True)
            db["cell_labels"].insert_all(labels, pk=("table_key", "row_key", "col_key"))


def _normal(sql):
    """A create statement as compared: SQLite keeps the text, upper-casing its first words."""
    return " ".join(sql.split()).lower()


def _kind(db, name):
    row = db.execute("select type from sqlite_master where name = ?", [name]).fetchone()
    return row[0] if row else None


def _rebuild_search_index(db):
    """The index built again under a new name from the stored reports, then given the old
    one's name."""
    db.execute(f"drop table if exists {FTS_TABLE}_new")
    db.execute(FTS_SCHEMA.format(name=f"{FTS_TABLE}_new"))
    rows = db.execute(
        "select r.num, r.title, r.agency, t.text from report_rows r left join report_texts t on t.num = r.num"
    )
    db.conn.executemany(
        f"insert into {FTS_TABLE}_new (rowid, title, agency, text) values (?, ?, ?, ?)",
        ((num, index_text(title), index_text(agency), index_text(text)) for num, title, agency, text in rows),
    )
    db.execute(f"drop table {FTS_TABLE}")
    db.execute(f"alter table {FTS_TABLE}_new rename to {FTS_TABLE}")
