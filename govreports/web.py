"""The pages a researcher reads, served by the Datasette plugin (datasette_plugin.py):

- /-/search: Chinese search at a million reports. Newest first through the FTS rowid (a
  `MATCH … ORDER BY rowid DESC LIMIT` stops after a page of hits instead of ranking every
  match), a count capped at 10,000 ("10,000+"), facets over the newest 1,000 hits, and a
  snippet around each match with the words highlighted. `.json` and `.csv` give the same
  rows; `columns=all` adds every column of `reports` (text and sections too).
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
import csv
import io
import json
import logging
import re
import weakref
from pathlib import Path
from urllib.parse import urlencode

from datasette import Response
from datasette.database import QueryInterrupted
from datasette.utils.asgi import AsgiStream
from markupsafe import Markup, escape

from crawler.settings import DOWNLOAD_MAXSIZE
from extractors import keys
from extractors.vocabulary import FACETS, SECTIONS
from storage import queries
from storage.search import query_terms
from storage.views import TABLE_NAMES
from storage.warc import PayloadTooLarge, WarcArchive, archive_dir

from . import changes_feeds, compare_page, public

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "datasette" / "templates"
PAGE_SIZE = 20
COUNT_CAP = 10_000
FACET_SAMPLE = 1_000
RESULT_COLUMNS = ("id", "title", "agency", "year", "region", "layout", "published", "url")
SNIPPET_WIDTH = 40
SNIPPETS_PER_RESULT = 3
MAX_QUERY_LENGTH = 500  # characters of a search query
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


# -- search ------------------------------------------------------------------


def highlight_pattern(terms):
    """A term matches across whitespace and case ('自然人' finds '自 然 人')."""
    parts = [r"\s*".join(re.escape(ch) for ch in term if not ch.isspace()) for term in terms]
    parts = [p for p in parts if p]
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE) if parts else None


def snippets(text, pattern, width=SNIPPET_WIDTH, limit=SNIPPETS_PER_RESULT, html=True):
    """Passages of text around the first matches, each match in <mark>, as safe HTML; or,
    not html, as plain text with each match in 【】 (the canned search's SQL function)."""
    if not text or pattern is None:
        return []
    passages, end_of_last = [], -1
    for match in pattern.finditer(text):
        if match.start() < end_of_last:
            continue
        left, right = max(0, match.start() - width), min(len(text), match.end() + width)
        passages.append((left, right))
        end_of_last = right
        if len(passages) == limit:
            break
    markup = HTML_MARKUP if html else PLAIN_MARKUP
    return [_marked(text, left, right, pattern, markup) for left, right in passages]


# (how text is written, the start and the end of a match, how the pieces are put together)
HTML_MARKUP = (escape, Markup("<mark>"), Markup("</mark>"), Markup)
PLAIN_MARKUP = (str, "【", "】", str)


def _marked(text, left, right, pattern, markup):
    written, start, end, whole = markup
    passage = text[left:right]
    out, position = [], 0
    for match in pattern.finditer(passage):
        out.append(written(passage[position : match.start()]))
        out.append(start + written(match.group(0)) + end)
        position = match.end()
    out.append(written(passage[position:]))
    body = whole(re.sub(r"\s+", " ", "".join(map(str, out))))
    return whole("…" if left else "") + body + whole("…" if right < len(text) else "")


async def search_results(db, query, filters, before, all_columns):
    """Rows of one page, the capped count, facets over the newest hits and the next cursor.
    A search that reaches the SQL time limit says so (timed_out): the page of hits, or the
    count and facets, are then missing, never wrong."""
    facet_columns = ", ".join(f"r.{column}" for column, _ in FACETS)
    sql, params = queries.search_hits(query, filters, None, FACET_SAMPLE, f"{facet_columns}, r.num")
    nums = None
    try:
        sample = (await db.execute(sql, params)).rows
        if not before and FACET_SAMPLE > PAGE_SIZE:  # the first page is the newest hits: no second walk
            nums = [row[-1] for row in sample[: PAGE_SIZE + 1]]
        count, capped = await hit_count(db, query, filters, len(sample))
        timed_out = False
    except QueryInterrupted:
        sample, count, capped, timed_out = [], None, True, True
    if nums is None:
        sql, params = queries.search_hits(query, filters, before, PAGE_SIZE + 1)
        try:
            nums = [row[0] for row in (await db.execute(sql, params)).rows]
        except QueryInterrupted:
            return {
                "rows": [],
                "count": None,
                "count_is_lower_bound": True,
                "facets": {column: [] for column, _ in FACETS},
                "facets_over": 0,
                "next": None,
                "timed_out": True,
            }
    page = nums[:PAGE_SIZE]
    rows = await _rows(db, page, all_columns)
    pattern = highlight_pattern(query_terms(query))
    for row in rows:
        row["snippets"] = snippets(row.pop("text") if not all_columns else row["text"], pattern)
    return {
        "rows": rows,
        "count": count,
        "count_is_lower_bound": capped,
        "facets": _facet_counts(sample),
        "facets_over": len(sample),
        "next": page[-1] if len(nums) > PAGE_SIZE else None,
        "timed_out": timed_out,
    }


async def hit_count(db, query, filters, sampled):
    """(count, whether it is only a lower bound). Fewer hits than the facet sample: that is
    the count. Otherwise a search alone is counted in the FTS index up to COUNT_CAP; with
    filters (each hit then costs a row lookup) the sample's size is the lower bound."""
    if sampled < FACET_SAMPLE:
        return sampled, False
    if filters:
        return sampled, True
    if not query:
        return (await db.execute(queries.REPORT_COUNT)).rows[0][0], False
    count = (await db.execute(*queries.search_hit_count(query, COUNT_CAP))).rows[0][0]
    return min(count, COUNT_CAP), count > COUNT_CAP


async def _rows(db, nums, all_columns):
    if not nums:
        return []
    sql = queries.result_rows(len(nums), None if all_columns else RESULT_COLUMNS)
    return [dict(row) for row in (await db.execute(sql, nums)).rows]


def _facet_counts(sample):
    counts = {}
    for i, (column, _) in enumerate(FACETS):
        tally = {}
        for row in sample:
            tally[row[i]] = tally.get(row[i], 0) + 1
        counts[column] = sorted(tally.items(), key=lambda item: (-item[1], str(item[0])))[:15]
    return counts


def search_filters(request):
    return {column: request.args[column] for column, _ in FACETS if request.args.get(column)}


def with_args(request, **changes):
    """This page's query string with some arguments changed (None removes one)."""
    args = {k: request.args[k] for k in request.args.keys() if k != "before"}
    args.update(changes)
    return "?" + urlencode({k: v for k, v in args.items() if v is not None})


def bounded_int(text):
    """text as a row number: ASCII digits within SQLite's integers; None for anything else."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > LARGEST_ROWID:
        return None
    return int(text)


def bad_request(fmt, message):
    if fmt == "json":
        return Response.json({"ok": False, "error": message, "status": 400}, status=400)
    return Response.text(message, status=400)


async def search_page(datasette, request):
    db = datasette.get_database()
    fmt = request.url_vars.get("format")
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        return bad_request(fmt, f"q: at most {MAX_QUERY_LENGTH} characters")
    filters = search_filters(request)
    before = request.args.get("before") or None
    if before is not None and (before := bounded_int(before)) is None:
        return bad_request(fmt, "before: a report number (the `next` of the previous page)")
    all_columns = request.args.get("columns") == "all"
    result = await search_results(db, query, filters, before, all_columns)
    for row in result["rows"]:
        row["report_url"] = datasette.urls.path(f"/{db.name}/reports/{row['id']}")
    if fmt == "json":
        return Response.json(
            {
                "q": query,
                "filters": filters,
                **result,
                "rows": [{**row, "snippets": [str(s) for s in row["snippets"]]} for row in result["rows"]],
            },
            default=str,
        )
    if fmt == "csv":
        return search_csv(result["rows"])
    facets = [
        {
            "column": column,
            "label": label,
            "values": [
                {
                    "value": value,
                    "count": count,
                    "selected": filters.get(column) == str(value),
                    "href": with_args(request, **{column: None if filters.get(column) == str(value) else value}),
                }
                for value, count in result["facets"][column]
                if value is not None
            ],
        }
        for column, label in FACETS
    ]
    return await render(
        datasette,
        request,
        "search.html",
        {
            "q": query,
            "filters": filters,
            "result": result,
            "facets": facets,
            "database": db.name,
            "next_url": with_args(request, before=result["next"]) if result["next"] else None,
            "feeds": changes_feeds.search_feed_links(db.name, query, filters),
            "json_url": "/-/search.json" + with_args(request),
            "csv_url": "/-/search.csv" + with_args(request),
            "all_columns_url": "/-/search.csv" + with_args(request, columns="all"),
        },
    )


def search_csv(rows):
    out = io.StringIO()
    columns = [c for c in (rows[0] if rows else RESULT_COLUMNS) if c not in ("snippets", "report_url")]
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="search.csv"'},
    )


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
            "previous_year_id": await compare_page.previous_year_report(db, report),
            "feeds": changes_feeds.report_feed_links(db.name, report),
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
