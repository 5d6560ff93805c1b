"""The archived copies, as the Wayback Machine serves them:

- /<db>/-/capture/<n>: one archived capture (a `fetches` row) read from its WARC record
  exactly as fetched: HTML sandboxed (no script, no request anywhere), anything else as a
  download named 机关-年度-标题.pdf. Inflated in a worker thread and streamed; refused (413)
  past the crawl's own size limit, so a compression bomb costs one bounded inflating; 410
  without its WARC file.
- /<db>/-/capture/<n>/view: an HTML capture with a banner, its links and pictures pointing
  to their archived copies (archived_html.py), under the same sandbox.
- /<db>/-/web/<YYYYMMDDhhmmss>/<url>: a capture's permalink, leading to the nearest capture.
"""

import asyncio
import collections
import contextlib
import logging
import re
import weakref
from datetime import datetime
from urllib.parse import quote, unquote

from datasette import Response
from datasette.utils.asgi import AsgiStream
from markupsafe import escape

from crawler.settings import DOWNLOAD_MAXSIZE
from storage import captures
from storage.warc import PayloadTooLarge, WarcArchive, archive_dir

from . import archived_html, public
from .web import bounded_int, database_of, template

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
    """/<db>/-/capture/<n>: an archived copy exactly as fetched, streamed: measured first (off
    the event loop, two at a time, never inflating past SERVED_LIMIT), then sent piece by
    piece. Anything but HTML is a download named 机关-年度-标题.pdf when it belongs to a report."""
    db = database_of(datasette, request)
    opened = await opened_capture(datasette, db, request.url_vars["rowid"])
    if isinstance(opened, Response):
        return opened
    capture, archive, head, size = opened
    headers = {
        "content-length": str(size),
        "content-security-policy": SANDBOX_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "private, max-age=3600",
    }
    if not is_html(capture["content_type"], head):
        report = (await db.execute(captures.REPORT_OF_URL, {"url": capture["url"]})).rows
        headers["content-disposition"] = content_disposition(
            download_name(capture["url"], capture["content_type"], head, report[0] if report else None),
            download_name(capture["url"], capture["content_type"], head, None),
        )
    warc_file, offset = capture["warc_file"], capture["warc_offset"]

    async def stream(writer):
        pieces = archive.payload_pieces(warc_file, offset, SERVED_LIMIT)
        try:
            while piece := await asyncio.to_thread(next, pieces, b""):
                await writer.send({"type": "http.response.body", "body": piece, "more_body": True})
        finally:
            with contextlib.suppress(ValueError):  # still running in its thread (the client left): closed when freed
                pieces.close()

    return AsgiStream(stream, headers=headers, content_type=capture["content_type"] or "application/octet-stream")


async def opened_capture(datasette, db, number):
    """(capture row, its archive, first bytes, size) of capture `number` (the text of the URL),
    or the refusal to send: 404 (no such capture), 413 (too large), 410 (WARC file absent), 500."""
    rowid = bounded_int(number)
    rows = (await db.execute(captures.CAPTURE, [rowid])).rows if rowid is not None else []
    if not rows or rows[0]["warc_file"] is None:
        return capture_refusal(404, "没有这份存档", "No archived capture with this number.")
    capture = dict(rows[0])
    archive = WarcArchive(archive_dir(db.path))
    try:
        head, size = await measured(archive, capture["warc_file"], capture["warc_offset"])
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
    return capture, archive, head, size


# A file name keeps letters, digits (any script), and . _ - （ ）: never a path or a quote
UNSAFE_NAME_RE = re.compile(r"[^\w.（）()-]+")  # "a/b: c" -> "a_b_c"
EXTENSIONS = {b"%PDF": ".pdf", b"PK\x03\x04": ".docx", b"\xd0\xcf\x11\xe0": ".doc"}


def download_name(url, content_type, head, report):
    """机关-年度-标题.pdf for a report's file (its extension from the URL, else its first bytes);
    the URL's last part otherwise ("P020240131556021347115.pdf")."""
    tail = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    extension = re.search(r"\.[A-Za-z0-9]{1,5}$", tail)
    extension = (
        extension.group(0).lower()
        if extension
        else next((ext for magic, ext in EXTENSIONS.items() if head.startswith(magic)), "")
    )
    if report is None:
        return UNSAFE_NAME_RE.sub("_", tail).strip("_.") or "document" + extension
    parts = [report["agency"], str(report["year"]) if report["year"] else None, report["title"]]
    stem = "-".join(UNSAFE_NAME_RE.sub("_", part).strip("_.") for part in parts if part)
    return (stem or "document")[:150] + extension


def content_disposition(name, url_name):
    """attachment with the name twice (RFC 6266): the URL's own name in ASCII for old clients,
    and filename* in UTF-8 (RFC 5987) for the rest:
    attachment; filename="P0202401.pdf"; filename*=UTF-8''%E6%B4%AA…"""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", url_name).strip("_") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# The banner page: the sandbox of SANDBOX_POLICY (no script, no form, no plugin), with the
# archive's own copies of the page's pictures and style sheets allowed ('self': this server)
# and its links to an archived PDF or DOCX allowed to download it. Larger HTML than
# VIEW_LIMIT is only sent as it is.
VIEW_POLICY = "sandbox allow-downloads; default-src 'none'; style-src 'unsafe-inline' 'self'; img-src data: 'self'"
VIEW_LIMIT = 16 * 2**20
URLS_PER_LOOKUP = 400


async def capture_view(datasette, request):
    """/<db>/-/capture/<n>/view: an archived HTML page as the Wayback Machine shows one: a
    banner (archived copy, capture time, original URL, sha256, the other captures of the URL),
    links and images pointing to their archived copies or marked as leaving the archive, and
    its permalink. Anything else (a PDF) redirects to /<db>/-/capture/<n>."""
    db = database_of(datasette, request)
    opened = await opened_capture(datasette, db, request.url_vars["rowid"])
    if isinstance(opened, Response):
        return opened
    capture, archive, head, size = opened
    paths = capture_paths(datasette, db.name, capture["rowid"])
    if not is_html(capture["content_type"], head) or size > VIEW_LIMIT:
        return Response.redirect(paths["raw"])
    async with capture_turns():
        body = await asyncio.to_thread(_payload, archive, capture["warc_file"], capture["warc_offset"])
    found = archived_html.links(body, capture["url"], archived_html.charset(capture["content_type"], body))
    archived = await archived_targets(datasette, db, {url for *_, url in found})
    page = archived_html.rewritten(body, found, archived, await banner(datasette, request, db, capture, paths))
    headers = {
        "content-security-policy": VIEW_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "private, max-age=3600",
    }
    return Response(page, headers=headers, content_type=capture["content_type"])


def capture_paths(datasette, database, rowid):
    raw = datasette.urls.path(f"/{database}/-/capture/{rowid}")
    return {"raw": raw, "view": raw + "/view"}


async def archived_targets(datasette, db, urls):
    """{(url, followed as a link): where its newest archived copy is read}: a link to an HTML
    page opens its banner page, anything else (an image, a PDF) the file itself."""
    urls, targets = sorted(urls), {}
    for start in range(0, len(urls), URLS_PER_LOOKUP):
        chunk = urls[start : start + URLS_PER_LOOKUP]
        for asked, rowid, content_type, _ in (await db.execute(captures.archived_copies(len(chunk)), chunk * 2)).rows:
            if (asked, False) in targets:
                continue  # newest first: an older capture of the same URL
            paths = capture_paths(datasette, db.name, rowid)
            targets[(asked, False)] = paths["raw"]
            targets[(asked, True)] = paths["view"] if "html" in (content_type or "").lower() else paths["raw"]
    return targets


async def banner(datasette, request, db, capture, paths):
    others = [
        {**dict(other), "href": capture_paths(datasette, db.name, other["rowid"])["view"]}
        for other in (await db.execute(captures.CAPTURES_OF_URL, [capture["url"]])).rows
    ]
    report = (await db.execute(captures.REPORT_OF_URL, {"url": capture["url"]})).rows
    report = dict(report[0]) if report else None
    markup = await template(datasette, "capture_banner.html").render_async(
        capture=capture,
        others=others,
        report=report,
        report_href=datasette.urls.path(f"/{db.name}/reports/{report['id']}") if report else None,
        raw_href=paths["raw"],
        permalink=datasette.absolute_url(request, web_path(datasette, db.name, capture["fetched_at"], capture["url"])),
    )
    return archived_html.ascii_html(markup)


# A capture's permalink, whatever the database's row numbers become (a VACUUM may renumber the
# rows of fetches): its time and its URL, "/archive/-/web/20240201093000/http://x.gov.cn/a.html"
WEB_PATH_RE = re.compile(r"^/[^/]+/-/web/(\d{14})/(.+)$")


def web_path(datasette, database, fetched_at, url):
    return datasette.urls.path(f"/{database}/-/web/{stamp(fetched_at)}/{url}")


def stamp(fetched_at):
    """'2024-02-01T09:30:00+00:00' -> '20240201093000'."""
    return re.sub(r"\D", "", fetched_at or "")[:14]


async def capture_at(datasette, request):
    """/<db>/-/web/<YYYYMMDDhhmmss>/<url>: the capture of url nearest that time (UTC), as
    /<db>/-/capture/<n>/view for HTML and /<db>/-/capture/<n> for the rest (a redirect). The
    URL is read from the raw path (as stored, or percent-decoded when stored so)."""
    db = database_of(datasette, request)
    raw_path = request.scope.get("raw_path", b"").decode("latin-1").split("?")[0] or request.path
    asked = WEB_PATH_RE.match(raw_path)
    moment = parsed_stamp(asked.group(1)) if asked else None
    if moment is None:
        return capture_refusal(404, "没有这份存档", "No archived capture at this address.")
    url = re.sub(r"^(https?):/+", r"\1://", asked.group(2))  # "http:/x" (a proxy merged the slashes)
    url += f"?{request.query_string}" if request.query_string else ""
    rows = (await db.execute(captures.CAPTURES_OF_URL, [url])).rows or (
        await db.execute(captures.CAPTURES_OF_URL, [unquote(url)])
    ).rows
    if not rows:
        return capture_refusal(404, "此网址没有存档", "No archived capture of this URL.")
    nearest = min(rows, key=lambda row: abs(parsed_stamp(stamp(row["fetched_at"])) - moment))
    paths = capture_paths(datasette, db.name, nearest["rowid"])
    return Response.redirect(paths["view"] if "html" in (nearest["content_type"] or "").lower() else paths["raw"])


def parsed_stamp(text):
    """'20240201093000' -> its datetime; None for anything else."""
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _payload(archive, warc_file, offset):
    return b"".join(archive.payload_pieces(warc_file, offset, SERVED_LIMIT))


def capture_turns():
    """The semaphore of this event loop that lets CAPTURES_AT_ONCE captures be inflated at once."""
    return _capture_turns.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(CAPTURES_AT_ONCE))


async def measured(archive, warc_file, offset):
    """(the payload's first bytes, its size), inflated in a worker thread; PayloadTooLarge past
    SERVED_LIMIT. Remembered, so asking again costs nothing."""
    key = (archive.root, warc_file, offset)
    if key not in _measured:
        async with capture_turns():
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
