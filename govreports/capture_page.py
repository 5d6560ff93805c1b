"""/<db>/-/capture/<n>: one archived capture (a `fetches` row) read from its WARC record
exactly as fetched: HTML sandboxed (no script, no request anywhere), anything else as a
download. Inflated in a worker thread and streamed; refused (413) past the crawl's own size
limit, so a compression bomb costs one bounded inflating; 410 without its WARC file.
"""

import asyncio
import collections
import contextlib
import logging
import re
import weakref

from datasette import Response
from datasette.utils.asgi import AsgiStream
from markupsafe import escape

from crawler.settings import DOWNLOAD_MAXSIZE
from storage import queries
from storage.warc import PayloadTooLarge, WarcArchive, archive_dir

from . import public
from .web import bounded_int

log = logging.getLogger(__name__)

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
