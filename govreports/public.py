"""Public serving mode (`govreports serve --public`): what an archive open to anyone needs.

- Custom SQL is off (metadata `allow_sql: false`): the canned queries, table pages, facets,
  search and CSV stay; `?sql=`, `_where=` and with them `pragma_database_list` do not.
- The `/-/` debug pages (databases, settings, versions, threads, plugins, metadata, ...),
  which show the database's absolute path and the server's software, are 404; the charts
  page and static files stay. So are the internal databases and the database download.
- Queries run in two lanes, each with a bounded number of requests at once and a bounded
  queue: searches (the reports table's search, the canned search) and everything else
  that reads the database. Datasette runs each request's queries one after the other, and
  its SQL thread pool is sized to both lanes together, so a flood of heavy pages can fill
  only its own lane's threads: a search never queues behind them. A request that waits
  too long, or finds its lane's queue full, gets 503 with Retry-After at once.
"""

import asyncio
import re
from urllib.parse import parse_qs

SEARCH_SLOTS = 3  # searches at once
OTHER_SLOTS = 2  # other requests that query the database at once
QUEUE_LIMIT = 40  # requests waiting for a slot in one lane; one more is refused
QUEUE_SECONDS = 10  # the longest a request waits for a slot
SQL_THREADS = SEARCH_SLOTS + OTHER_SLOTS

# Pages under /-/ that stay public: "/-/static/app.css", "/-/static-plugins/x/y.js", "/-/charts"
PUBLIC_DASH_RE = re.compile(r"^/-/(?:static/|static-plugins/|charts$)")
# Paths never served: "/-/versions.json", "/_internal", "/_memory/...", "/archive.db" (a download)
HIDDEN_RE = re.compile(r"^/(?:-/|_internal(?:[/.]|$)|_memory(?:[/.]|$)|[^/]+\.db$)")
# A search: "/archive/reports?_search=复议", "/archive/reports.json?_search=…", "/archive/search_reports?q=…"
SEARCH_PATH_RE = re.compile(r"^/[^/]+/(?P<page>reports|search_reports)(?:\.json|\.csv)?$")


def lane_of(path, query_string):
    """'search', 'other', or None for paths that never query the database (static files)."""
    if path.startswith("/-/static"):
        return None
    match = SEARCH_PATH_RE.match(path)
    if match and (match["page"] == "search_reports" or "_search" in parse_qs(query_string)):
        return "search"
    return "other"


class Lane:
    """A number of requests at once, and a bounded queue of those waiting their turn."""

    def __init__(self, slots):
        self.slots = asyncio.Semaphore(slots)
        self.waiting = 0

    async def enter(self):
        """True once a slot is held; False when the queue is full or the wait too long."""
        if not self.slots.locked():
            await self.slots.acquire()  # a free slot: taken at once
            return True
        if self.waiting >= QUEUE_LIMIT:
            return False
        self.waiting += 1
        try:
            await asyncio.wait_for(self.slots.acquire(), QUEUE_SECONDS)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            self.waiting -= 1

    def leave(self):
        self.slots.release()


def public_gate(app):
    """ASGI middleware around Datasette: hides debug pages, puts queries in their lanes."""
    lanes = {"search": Lane(SEARCH_SLOTS), "other": Lane(OTHER_SLOTS)}

    async def gate(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        path = scope["path"]
        if HIDDEN_RE.match(path) and not PUBLIC_DASH_RE.match(path):
            return await respond(send, 404, "Not found")
        lane = lanes.get(lane_of(path, scope.get("query_string", b"").decode("latin-1")))
        if lane is None:
            return await app(scope, receive, send)
        if not await lane.enter():
            return await respond(send, 503, "Busy: too many requests at once. Please try again shortly.",
                                 [(b"retry-after", b"5")])
        try:
            await app(scope, receive, send)
        finally:
            lane.leave()

    return gate


async def respond(send, status, text, headers=()):
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers]})
    await send({"type": "http.response.body", "body": body})


def public_metadata(metadata):
    """The served metadata with custom SQL off and the plugin told to gate requests."""
    plugins = {**metadata.get("plugins", {}), "govreports": {"public": True}}
    return {**metadata, "allow_sql": False, "plugins": plugins}
