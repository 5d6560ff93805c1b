"""Datasette plugin (registered by entry point): Chinese search and snippets.

- escape_fts(query): Datasette wraps every ?_search= and search-box query in it; ours
  turns the query into the Han-bigram FTS5 expression that reports_fts is indexed with.
  Registered trylast so it replaces Datasette's own escape_fts (which would find nothing).
  `_searchmode=raw` bypasses escape_fts: raw queries must be written in bigrams.
- govreports_snippet(text, query): the first passage of text holding a query term, with
  the term in 【】, for canned search queries (a contentless FTS table has no snippet()).
- /-/charts: applications, appeals, outcome mix over years, reports and applications by region
  (server-side SVG, filtered by region, level, year; charts.py), each chart's query canned.
- the `counted` facet type (facets.py): reports facets from the report_counts summary.
- /-/search, /<db>/reports/<id>, /<db>/-/capture/<n>[/view], /<db>/-/web/<time>/<url>: the
  researcher's pages (search_page.py, report_page.py, capture_page.py; web.py what they share).
- /<db>/-/compliance(.csv), /<db>/-/agency/<id>, /<db>/-/feeds/{late,missing}.atom: who
  published and when (agency_pages.py).
- /<db>/-/compare?a=&b= (compare_page.py) and the Atom feeds /<db>/-/feeds/{reports,changes,
  removals}.atom (changes_feeds.py); the table pages of report_changes and report_removals
  announce theirs (datasette/overrides/table.html, a loader put first at startup).
- on the reports page, the search box leads to /-/search; a title links to its report page; text and sections show as their
  length (the JSON and CSV still carry them whole).
- the database page counts every table but the few whose count SQLite cannot stop in time;
  the facts and report_urls views are counted only when filtered to one report.
- every connection to the archive is query_only: no plugin, canned query or API can write.
- with `govreports serve --public`, requests pass the public gate (govreports/public.py),
  and an unexpected error's message (which could name a file) is not shown.
- Datasette's own 500 for a bad parameter (`_sort=` an unknown column) is answered 400, and
  its 500 for a POST to a canned query 405 (ours only read).
- a stored URL is a link only when it is http(s) (the `web_link` template filter).
- CSV downloads with a UTF-8 BOM and readable file names, `/archive/报告统计表.json` (downloads.py);
  /-/release: the bulk release of `govreports serve --release FOLDER` (release_page.py).
"""

import re
import sqlite3
from urllib.parse import parse_qsl, urlencode

from datasette import Response, hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup, escape

from storage import queries
from storage.search import fts_query, query_terms

from . import (
    agency_pages,
    capture_page,
    changes_feeds,
    charts,
    compare_page,
    datasette_zh,
    report_page,
    search_page,
    web,
)
from .downloads import readable_downloads
from .facets import CountedFacet
from .labels import shown_value
from .public import PAGE_RE, READ_METHODS, is_public, public_gate, respond
from .release_page import release_file, release_page


def snippet(text, query):
    """govreports_snippet: the search page's first passage (search_page.snippets: prose first), matches in 【】;
    the text's start when no term is found."""
    if not text or not query:
        return None
    found = search_page.snippets(text, search_page.highlight_pattern(query_terms(query)), limit=1, html=False)
    return found[0].passage if found else text[: 2 * search_page.SNIPPET_WIDTH]


@hookimpl(trylast=True)
def prepare_connection(conn, database):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("govreports_snippet", 2, snippet, deterministic=True)
    if database != "_internal":
        queries.forbid_writes(conn)  # Datasette never writes to the archive


@hookimpl
def register_routes():
    return [
        (r"^/-/charts$", charts.charts_page),
        (r"^/-/search(\.(?P<format>json|csv))?$", search_page.search_page),
        (r"^/(?P<database>[^/]+)/reports/(?P<id>[^/.]+)$", report_page.report_page),
        # any capture "number" reaches the page, which answers 404 for one that is none ("²"):
        # a path no route matches ends in Datasette's 404 handler, which fails outside an except
        (r"^/(?P<database>[^/]+)/-/capture/(?P<rowid>[^/]+)$", capture_page.capture_page),
        (r"^/(?P<database>[^/]+)/-/capture/(?P<rowid>[^/]+)/view$", capture_page.capture_view),
        (r"^/(?P<database>[^/]+)/-/web/(?P<moment>[^/]+)/(?P<url>.+)$", capture_page.capture_at),
        (r"^/-/release$", release_page),
        (r"^/-/release/(?P<name>[^/]+)$", release_file),
        (r"^/(?P<database>[^/]+)/-/compliance(\.(?P<format>csv))?$", agency_pages.compliance_page),
        (r"^/(?P<database>[^/]+)/-/agency/(?P<id>[0-9a-f]{12})$", agency_pages.agency_page),
        (r"^/(?P<database>[^/]+)/-/feeds/(?P<status>late|missing)\.atom$", agency_pages.feed_page),
        (r"^/(?P<database>[^/]+)/-/compare(\.(?P<format>json))?$", compare_page.compare_page),
        (r"^/(?P<database>[^/]+)/-/feeds/(?P<feed>reports|changes|removals)\.atom$", changes_feeds.feed_page),
    ]


# Tables whose count(*) SQLite cannot interrupt (one opcode walks the whole b-tree, so
# Datasette's 5 ms limit never fires) and that grow with the text or every fact: the
# database page says "Many rows" for them instead of spending seconds at a million reports.
UNCOUNTED_TABLES = re.compile(r"^(report_texts|fact_values|reports_fts(_\w+)?)$")  # reports_fts_data


def table_counts_without(db, uncounted):
    """Datasette's Database.table_counts, skipping the tables `uncounted` matches."""

    async def table_counts(limit=10):
        counts = {}
        for table in await db.table_names():
            if uncounted.match(table):
                counts[table] = None
                continue
            try:
                counts[table] = (await db.execute(queries.table_row_count(table), custom_time_limit=limit)).rows[0][0]
            except (QueryInterrupted, sqlite3.OperationalError, sqlite3.DatabaseError):
                counts[table] = None
        return counts

    return table_counts


@hookimpl
def startup(datasette):
    # Datasette 0.65 prints each error it answers with rich when rich is installed (frictionless,
    # a test dependency, brings it): outside an except block that raises, so a 404 for a bad
    # capture number becomes a 500, and every frame's locals go to stderr. Its pages stay,
    # unprinted. (Imported here, not with this module: Datasette imports this module while it
    # loads its plugins, before its own error pages are registered.)
    from datasette import handle_exception as datasette_error_pages

    datasette_error_pages.rich = None
    changes_feeds.override_templates(datasette)
    for db in datasette.databases.values():
        if not db.is_memory:
            db.table_counts = table_counts_without(db, UNCOUNTED_TABLES)


@hookimpl
def handle_exception(datasette, request, exception):
    """Datasette refuses a bad parameter of its own pages (a sort by an unknown column, a
    `_through` with no foreign key) with a DatasetteError left at status 500: answered 400.
    In public mode an unexpected error says only that it happened: its message (a file
    not found, a database that cannot be opened) could hold a path on the server."""
    if isinstance(exception, DatasetteError) and exception.status == 500:
        exception.status = 400  # Datasette's own handler then answers it
        return None
    if not is_public(datasette) or isinstance(exception, (DatasetteError, Base400)):
        return None
    message = "Internal error: the request could not be answered."
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": 500}, status=500)
    return Response.text(message, status=500)


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["web_link"] = web.web_link
    datasette_zh.install(env)  # Datasette's own labels in Chinese


@hookimpl
def canned_queries(datasette, database):
    """The charts' queries (charts.py), on the database the charts read."""
    return charts.canned_queries() if database == datasette.get_database().name else None


@hookimpl
def register_facet_classes():
    return [CountedFacet]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/search"), "label": "检索"},
        {"href": datasette.urls.path("/-/charts"), "label": "图表"},
        {"href": datasette.urls.path(f"/{datasette.get_database().name}/-/compliance"), "label": "按时发布情况"},
    ]


# On the reports page, the search box leads to /-/search (newest first, capped counts, a
# snippet per result): Datasette's own ?_search= groups, counts and facets every match,
# seconds at 100,000 reports. ?_search= itself keeps working for links and the API.
SEARCH_BOX_SCRIPT = """
document.querySelectorAll('form input[name=_search]').forEach(function (box) {
  box.form.addEventListener('submit', function (event) {
    if (!box.value.trim()) { return; }
    event.preventDefault();
    window.location = '/-/search?q=' + encodeURIComponent(box.value.trim());
  });
});"""


@hookimpl
def extra_body_script(database, table, view_name):
    scripts = [SEARCH_BOX_SCRIPT] if table == "reports" else []
    scripts += [datasette_zh.COLUMN_MENU_SCRIPT] if view_name == "table" else []
    return "\n".join(scripts) or None


LONG_COLUMNS = {"text": "全文", "sections": "六个部分"}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """On the reports page: titles link to the report page; long text shows as its length.
    On every page: canonical keys (county, pass, t4_row_totals) and checks' details in
    Chinese (labels.shown_value); the JSON and CSV keep them as stored."""
    shown = shown_value(table, column, value)
    if shown != value:
        return shown
    if table != "reports":
        return None
    if column in LONG_COLUMNS and isinstance(value, str):
        return Markup(f'<span class="gr-long">（{LONG_COLUMNS[column]} {len(value):,} 字）</span>')
    if column == "title" and value and "id" in row.keys():
        href = datasette.urls.path(f"/{database}/reports/{row['id']}")
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None


# Views with a row per fact or URL (200 million at a million reports): counting them would
# run until Datasette's time limit on every page, so their pages are counted only when
# filtered to one report. "/archive/facts", "/archive/report_urls.json"
BIG_VIEW_PAGE_RE = re.compile(r"^/[^/]+/(?:facts|report_urls)(?:\.json)?$")


def counted_only_for_one_report(app):
    """ASGI: a big view's page without a report_id filter gets `_nocount=1`."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http" and BIG_VIEW_PAGE_RE.match(scope["path"]):
            pairs = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
            if not any(key == "_nocount" or key.split("__")[0] == "report_id" for key, _ in pairs):
                scope = {**scope, "query_string": urlencode(pairs + [("_nocount", "1")]).encode()}
        await app(scope, receive, send)

    return wrapped


def canned_queries_only_read(app, canned):
    """ASGI: our canned queries only read, so anything but GET or HEAD to one is 405 (Datasette
    itself fails with a 500 on a POST to a query that is not writable)."""

    async def wrapped(scope, receive, send):
        page = PAGE_RE.match(scope["path"]) if scope["type"] == "http" else None
        if page and page["page"] in canned and scope.get("method", "GET") not in READ_METHODS:
            return await respond(send, 405, "Canned queries only read: GET and HEAD.", [(b"allow", b"GET, HEAD")])
        await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper(datasette):
    canned = {
        name for database in (datasette.metadata("databases") or {}).values() for name in database.get("queries", {})
    }
    canned |= set(charts.canned_queries())
    if not is_public(datasette):
        return lambda app: readable_downloads(canned_queries_only_read(counted_only_for_one_report(app), canned))
    return lambda app: readable_downloads(public_gate(counted_only_for_one_report(app), canned))
