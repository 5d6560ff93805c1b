"""/-/search: Chinese search at a million reports, served by the Datasette plugin
(datasette_plugin.py). Newest first through the FTS rowid (a `MATCH … ORDER BY rowid DESC
LIMIT` stops after a page of hits instead of ranking every match), a count capped at 10,000
("10,000+"), facets over the newest 1,000 hits, and a snippet around each match with the
words highlighted. `.json` and `.csv` give the same rows; `columns=all` adds every column of
`reports` (text and sections too).
"""

import csv
import io
import re
from urllib.parse import urlencode

from datasette import Response
from datasette.database import QueryInterrupted
from markupsafe import Markup, escape

from extractors.vocabulary import FACETS
from storage import queries
from storage.search import query_terms

from . import web

PAGE_SIZE = 20
COUNT_CAP = 10_000
FACET_SAMPLE = 1_000
RESULT_COLUMNS = ("id", "title", "agency", "year", "region", "layout", "published", "url")
SNIPPET_WIDTH = 40
SNIPPETS_PER_RESULT = 3
MAX_QUERY_LENGTH = 500  # characters of a search query


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
    if before is not None and (before := web.bounded_int(before)) is None:
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
    return await web.render(
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
