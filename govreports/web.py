"""The pages a researcher reads, served by the Datasette plugin (datasette_plugin.py):

- /-/search: in search_page.py.
- /<db>/reports/<id>: one report: metadata, the three tables drawn as printed (each cell's
  raw text and flags on hover), checks, the six sections, every URL, version and capture.
- /<db>/-/capture/<n>: one archived capture (a `fetches` row) read from its WARC record
  exactly as fetched: HTML sandboxed (no script, no request anywhere), anything else as a
  download. Inflated in a worker thread and streamed; refused (413) past the crawl's own size
  limit, so a compression bomb costs one bounded inflating; 410 without its WARC file.
Pages extend Datasette's base template, so they share its look and navigation.
"""

import asyncio
import collections
import contextlib
import json
import logging
import re
import weakref
from pathlib import Path

from datasette import Response
from datasette.utils.asgi import AsgiStream
from markupsafe import escape

from crawler.settings import DOWNLOAD_MAXSIZE
from extractors import keys
from extractors.vocabulary import SECTIONS
from storage import queries
from storage.views import TABLE_NAMES
from storage.warc import PayloadTooLarge, WarcArchive, archive_dir

from . import public

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "datasette" / "templates"
LARGEST_ROWID = 2**63 - 1  # SQLite's largest integer


_compiled = {}  # template name -> (the Jinja environment it was compiled in, template)


def template(datasette, name):
    """One of our templates, compiled once in Datasette's environment (so it can extend
    base.html)."""
    env = datasette.jinja_env
    cached = _compiled.get(name)
    if cached is None or cached[0] is not env:
        cached = _compiled[name] = (env, env.from_string((TEMPLATES / name).read_text(encoding="utf-8")))
    return cached[1]


def web_link(url):
    """url when it is an http(s) address a page may link to; None for anything else a stored URL
    could hold (javascript:, data:, a relative path)."""
    if isinstance(url, str) and re.match(r"(?i)https?://[^\s/]", url.strip()):
        return url.strip()
    return None


async def render(datasette, request, name, context):
    return Response.html(await datasette.render_template(template(datasette, name), context, request=request))


def bounded_int(text):
    """text as a row number: ASCII digits within SQLite's integers; None for anything else."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > LARGEST_ROWID:
        return None
    return int(text)


# -- one report ----------------------------------------------------------------


async def report_page(datasette, request):
    db = datasette.get_database(request.url_vars["database"])
    rid = request.url_vars["id"]
    rows = (await db.execute(queries.REPORT_BY_ID, [rid])).rows
    if not rows:
        return Response.html("<h1>没有这份报告</h1>", status=404)
    report = dict(rows[0])
    facts = (await db.execute(queries.FACTS_OF_REPORT, [rid])).rows
    checks = (await db.execute(queries.CHECKS_OF_REPORT, [rid])).rows
    urls = await urls_of(db, report)
    versions = (await db.execute(queries.VERSIONS_OF_REPORT, [rid])).rows
    captures = (
        await db.execute(*queries.captures_of([u["url"] for u in urls], report["source_url"] or report["url"]))
    ).rows
    sections = json.loads(report.get("sections") or "{}")
    return await render(
        datasette,
        request,
        "report.html",
        {
            "report": report,
            "database": db.name,
            "tables": printed_tables(report.get("layout"), facts),
            "checks": checks,
            "report_urls": urls,
            "versions": versions,
            "captures": captures,
            "sections": [(s.title, sections.get(s.key)) for s in SECTIONS if sections.get(s.key)],
        },
    )


async def urls_of(db, report):
    return (await db.execute(queries.URLS_OF_REPORT, {"url": report["url"], "id": report["id"]})).rows


def printed_tables(layout, facts):
    """The three tables as printed: for each, header rows and data rows in the official order.
    A row is (label, [cells]); a header appears wherever the columns change (表二's parts)."""
    found = {(t, r, c): {"value": v, "raw": raw, "flags": flags} for t, r, c, v, raw, flags in facts}
    cells = keys.canonical_cells(layout) if layout in ("2019", "2021") else []
    cells += [cell for cell in found if cell not in cells]
    tables = []
    for table in ("t2", "t3", "t4"):
        rows = {}
        for cell in (c for c in cells if c[0] == table):
            rows.setdefault(cell[1], []).append(cell[2])
        lines, header = [], None
        for row, columns in rows.items():
            labels = [_col_label(table, col) for col in columns]
            if labels != header:
                lines.append(("header", labels))
                header = labels
            lines.append(("row", _row_label(table, row), [found.get((table, row, col)) for col in columns]))
        if lines:
            tables.append(
                {
                    "key": table,
                    "name": TABLE_NAMES[table],
                    "lines": lines,
                    "read": any(cell[0] == table for cell in found),
                }
            )
    return tables


def _row_label(table, row):
    labels = {"t2": keys.T2_ROW_LABELS, "t3": keys.T3_ROW_LABELS, "t4": keys.T4_ROW_LABELS}[table]
    return labels.get(row, row)


def _col_label(table, col):
    labels = {"t2": keys.T2_COL_LABELS, "t3": keys.T3_COL_LABELS, "t4": keys.T4_COL_LABELS}[table]
    return labels.get(col, col)


# -- archived copies ---------------------------------------------------------------

# Nothing the archived page asks for may load: no script, no frame, no request to its site.
SANDBOX_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


# A capture is served only when it inflates to what the crawl itself accepts; a compression
# bomb (archived as sent, flagged) is refused after inflating at most this much.
SERVED_LIMIT = DOWNLOAD_MAXSIZE
CAPTURES_AT_ONCE = 2  # captures being measured at once; more wait their turn
_capture_turns = weakref.WeakKeyDictionary()  # event loop -> its semaphore
_measured = collections.OrderedDict()  # (archive, file, offset) -> (first bytes, size or None), the latest 256


async def capture_page(datasette, request):
    """An archived copy, streamed: measured first (off the event loop, two at a time, never
    inflating past SERVED_LIMIT), then sent piece by piece."""
    db = datasette.get_database(request.url_vars["database"])
    rowid = bounded_int(request.url_vars["rowid"])
    rows = (await db.execute(queries.CAPTURE_BY_ROWID, [rowid])).rows if rowid is not None else []
    if not rows or rows[0]["warc_file"] is None:
        return capture_refusal(404, "没有这份存档", "No archived capture with this number.")
    url, content_type, warc_file, offset = rows[0]
    archive = WarcArchive(archive_dir(db.path))
    try:
        head, size = await measured(archive, warc_file, offset)
    except PayloadTooLarge:
        if not public.is_public(datasette):  # (the public gate sends every refusal late)
            await asyncio.sleep(public.REFUSAL_SECONDS)  # a client asking again at once: once a second
        return capture_refusal(
            413,
            "存档原件过大，不在线提供",
            f"This capture decompresses to more than {SERVED_LIMIT // 2**20} MiB and is not served.",
        )
    except FileNotFoundError:
        return capture_refusal(
            410, "此服务器上没有存档文件", "The archived copy is not on this server (its WARC file is absent)."
        )
    except Exception:  # a damaged record or an unknown encoding: logged, said without the file's name
        log.exception("archived capture %s could not be read", rowid)
        return capture_refusal(500, "存档原件无法读取", "The archived record could not be read.")
    headers = {
        "content-length": str(size),
        "content-security-policy": SANDBOX_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "private, max-age=3600",
    }
    if not is_html(content_type, head):
        name = re.sub(r"[^\w.-]", "_", url.rstrip("/").rsplit("/", 1)[-1]) or "document"
        headers["content-disposition"] = f'attachment; filename="{name}"'

    async def stream(writer):
        pieces = archive.payload_pieces(warc_file, offset, SERVED_LIMIT)
        try:
            while piece := await asyncio.to_thread(next, pieces, b""):
                await writer.send({"type": "http.response.body", "body": piece, "more_body": True})
        finally:
            with contextlib.suppress(ValueError):  # still running in its thread (the client left): closed when freed
                pieces.close()

    return AsgiStream(stream, headers=headers, content_type=content_type or "application/octet-stream")


async def measured(archive, warc_file, offset):
    """(the payload's first bytes, its size), inflated in a worker thread; PayloadTooLarge past
    SERVED_LIMIT. Remembered, so asking again costs nothing."""
    key = (archive.root, warc_file, offset)
    if key not in _measured:
        turns = _capture_turns.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(CAPTURES_AT_ONCE))
        async with turns:
            _measured[key] = await asyncio.to_thread(_measure, archive, warc_file, offset)
        while len(_measured) > 256:
            _measured.popitem(last=False)
    head, size = _measured[key]
    if size is None:
        raise PayloadTooLarge(f"decompresses to more than {SERVED_LIMIT} bytes")
    return head, size


def _measure(archive, warc_file, offset):
    head, size = b"", 0
    try:
        for piece in archive.payload_pieces(warc_file, offset, SERVED_LIMIT):
            head += piece[: 8 - len(head)]
            size += len(piece)
    except PayloadTooLarge:
        return head, None
    return head, size


def capture_refusal(status, title, detail):
    return Response.html(
        f"<!DOCTYPE html><meta charset=utf-8><h1>{escape(title)}</h1><p>{escape(detail)}</p>", status=status
    )


def is_html(content_type, body):
    """Shown in the browser only when declared HTML and not a PDF or a zip (DOCX) in disguise."""
    return "html" in (content_type or "").lower() and not body[:5].startswith((b"%PDF", b"PK\x03\x04"))
