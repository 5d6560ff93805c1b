"""Public serving mode (`govreports serve --public`): what an archive open to anyone needs.

- Custom SQL is off: refused at the door (403) before it can wait for anything, and
  `allow_sql: false` in the metadata hides its forms. The canned queries, table pages,
  facets, search and CSV stay; `?sql=`, `_where=` and with them `pragma_database_list` go.
- The `/-/` debug pages (databases, settings, versions, threads, plugins, metadata, ...),
  which show the database's absolute path and the server's software, are 404; the search
  and charts pages, static files and the bulk release (/-/release/, downloads.py) stay. So are
  the internal databases and the database download: the release holds a copy of the database.
- Refusals (the gate's own and every answer of status 400 or more: a capture too large, a
  number that is no capture, a bad parameter) are answered a second late, holding no lane
  slot, so that clients resending at once (30 of them, say) send a request a second each
  rather than hundreds: a refusal costs the server little, but a flood of them would take
  the CPU that searches need.
- Queries run in four lanes, each with a bounded number of requests at once and a bounded
  queue: searches (the reports table's search, the canned search), browsing (a page of a
  table or a row with no filter, sort or facet of the caller's choosing; the canned
  queries, whose SQL is ours; the comparison and the feeds) and everything else (filters,
  sorts, facets, CSV streams, charts), where heavy queries land, one at a time; and archived copies (`/-/capture/`),
  whose inflating never takes a browsing slot. Datasette runs each request's queries
  one after the other, and its SQL thread pool is sized to the lanes together, so a flood
  of heavy queries fills only its own lane's threads: a search never queues behind them. A
  request that waits too long, or finds its lane's queue full, gets 503 with Retry-After.
- A request holds its slot while it computes, not while a slow client reads: a piece of the
  response the client has not taken within half a second is sent on without the slot (a CSV
  stream to a client that stops reading holds none), which is taken back before the next
  query. A client that takes no piece for SEND_SECONDS is dropped.
- Only GET and HEAD are answered (405 otherwise): nothing public writes.
"""

import asyncio
import re
from urllib.parse import parse_qs

SLOTS = {"search": 3, "browse": 2, "heavy": 1, "capture": 1}  # requests of each lane at once
QUEUE_LIMIT = 40  # requests waiting for a slot in one lane; one more is refused
QUEUE_SECONDS = 10  # the longest a request waits for a slot
REFUSAL_SECONDS = 1  # a refusal (403, 405, 503) is sent this late: a client retrying at once cannot flood
SLOT_SEND_SECONDS = 0.5  # a message the client has not taken by then is sent on without the slot
SEND_SECONDS = 20  # a client taking longer than this to take one piece of a response is dropped
READ_METHODS = {"GET", "HEAD"}  # the public server only reads
SQL_THREADS = sum(SLOTS.values())
# Parameters that only page through or shape a table or query: "?_size=10&_shape=array"
BROWSE_PARAMETERS = {"_size", "_next", "_shape", "_labels", "_nl", "_json", "_col", "_nocol"}
CUSTOM_SQL_PARAMETERS = {"sql", "_where"}

# Pages under /-/ that stay public: "/-/static/app.css", "/-/static-plugins/x/y.js", "/-/charts",
# "/-/search", "/-/search.json", "/-/search.csv", "/-/release", "/-/release/facts.csv"
PUBLIC_DASH_RE = re.compile(r"^/-/(?:static/|static-plugins/|charts$|search(?:\.json|\.csv)?$|release(?:/|$))")
# Paths never served: "/-/versions.json", "/_internal", "/_memory/...", "/archive.db" (a download)
HIDDEN_RE = re.compile(r"^/(?:-/|_internal(?:[/.]|$)|_memory(?:[/.]|$)|[^/]+\.db$)")
# A table or canned query page: "/archive/reports", "/archive/search_reports.json", "/archive/x.csv"
PAGE_RE = re.compile(r"^/[^/]+/(?P<page>[^/]+?)(?:\.json|\.csv)?$")
SEARCH_QUERY = "search_reports"  # the canned search
# An archived copy: "/archive/-/capture/12"
CAPTURE_RE = re.compile(r"^/[^/]+/-/capture/")
# Pages of ours that read a few rows through an index whatever their filters and the archive's
# size: the grid and the agency pages (agency_pages.py), "/archive/-/compliance",
# "/archive/-/agency/3f2a9c0d1e4b" (not the grid's CSV, every cell); the comparison of two
# reports, "/archive/-/compare", "/archive/-/compare.json"; the feeds, "/archive/-/feeds/late.atom",
# "/archive/-/feeds/changes.atom" (a feed of a search, "?q=", goes with the searches)
INDEXED_PAGE_RE = re.compile(r"^/[^/]+/-/(?:compliance$|agency/|compare(?:\.json)?$|feeds/\w+\.atom$)")
# The grid's CSV, every cell under its filters: "/archive/-/compliance.csv"
GRID_CSV_RE = re.compile(r"^/[^/]+/-/compliance\.csv$")


def lane_of(path, parameters, canned=()):
    """'search', 'browse', 'heavy', 'capture', or None for static files and the release's (they never query).
    canned: the names of the canned queries."""
    if path.startswith(("/-/static", "/-/release")):  # files, and a page listing them: no query
        return None
    if CAPTURE_RE.match(path):
        return "capture"
    if INDEXED_PAGE_RE.match(path):
        return "search" if parameters.get("q") else "browse"
    page = PAGE_RE.match(path)
    page = page["page"] if page and not path.startswith("/-/") else None
    if page == SEARCH_QUERY or (page == "reports" and "_search" in parameters) or path.startswith("/-/search"):
        return "search"
    if page in canned:
        return "browse"
    if GRID_CSV_RE.match(path):
        return "heavy"
    if not path.startswith("/-/") and set(parameters) <= BROWSE_PARAMETERS:
        return "browse"
    return "heavy"


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
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1

    async def reenter(self):
        """A slot again for a request already admitted: it waits its turn, never refused."""
        await self.slots.acquire()

    def leave(self):
        self.slots.release()


class SlowClient(Exception):
    """The client did not take a piece of its response within SEND_SECONDS."""


def sending_outside_lane(send, lane):
    """`send` for a request holding a slot of `lane`. A refusal (status 400 or more) is sent
    REFUSAL_SECONDS late, holding no slot. A message the client has not taken within
    SLOT_SEND_SECONDS goes on being sent without the slot (a client reading slowly, or not at
    all, holds none), which is taken back before the request computes more; a message not
    taken within SEND_SECONDS ends the request (SlowClient). Returns (the send to give the
    app, its state: whether the slot is held)."""
    state = {"holds_slot": True, "dropped": False, "refused": False}

    def let_go():
        if state["holds_slot"]:
            lane.leave()
            state["holds_slot"] = False

    async def send_message(message):
        if state["dropped"]:
            raise SlowClient
        if message["type"] == "http.response.start" and message["status"] >= 400:
            state["refused"] = True
            let_go()
            await asyncio.sleep(REFUSAL_SECONDS)
        sending = asyncio.ensure_future(send(message))
        if state["holds_slot"]:
            try:
                return await asyncio.wait_for(asyncio.shield(sending), SLOT_SEND_SECONDS)
            except TimeoutError:
                let_go()
        try:
            await asyncio.wait_for(sending, SEND_SECONDS)
        except TimeoutError:
            state["dropped"] = True
            raise SlowClient(f"the client took nothing for {SEND_SECONDS} s: dropped") from None
        more_to_compute = message["type"] == "http.response.start" or message.get("more_body")
        if more_to_compute and not state["refused"]:
            await lane.reenter()
            state["holds_slot"] = True

    return send_message, state


def public_gate(app, canned=()):
    """ASGI middleware around Datasette: hides debug pages, refuses custom SQL, puts
    queries in their lanes. canned: the names of the canned queries."""
    lanes = {name: Lane(slots) for name, slots in SLOTS.items()}

    async def gate(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        path = scope["path"]
        if scope.get("method", "GET") not in READ_METHODS:
            return await refuse(send, 405, "This server only reads: GET and HEAD.", [(b"allow", b"GET, HEAD")])
        if HIDDEN_RE.match(path) and not PUBLIC_DASH_RE.match(path):
            return await respond(send, 404, "Not found")
        parameters = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if CUSTOM_SQL_PARAMETERS & set(parameters):
            return await refuse(send, 403, "Custom SQL is off on this server; the canned queries are not.")
        lane = lanes.get(lane_of(path, parameters, canned))
        if lane is None:
            return await app(scope, receive, send)
        if not await lane.enter():
            return await refuse(
                send, 503, "Busy: too many requests at once. Please try again shortly.", [(b"retry-after", b"5")]
            )
        send_message, state = sending_outside_lane(send, lane)
        try:
            await app(scope, receive, send_message)
        except SlowClient:
            pass  # the server closes the connection of a response left incomplete
        finally:
            if state["holds_slot"]:
                lane.leave()

    return gate


async def refuse(send, status, text, headers=()):
    await asyncio.sleep(REFUSAL_SECONDS)
    await respond(send, status, text, headers)


async def respond(send, status, text, headers=()):
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


def is_public(datasette):
    return bool((datasette.plugin_config("govreports") or {}).get("public"))


def public_metadata(metadata):
    """The served metadata with custom SQL off and the plugin told to gate requests."""
    plugins = {**metadata.get("plugins", {}), "govreports": {"public": True}}
    return {**metadata, "allow_sql": False, "plugins": plugins}
