"""/-/search: Chinese search at a million reports, served by the Datasette plugin
(datasette_plugin.py); its syntax and options in docs/search.md. Newest first through the
FTS rowid (a `MATCH … ORDER BY rowid DESC LIMIT` stops after a page of hits instead of
ranking every match), or by report year or relevance among the newest 1,000 hits; every
walk down the index in slices that end when time is up (walk), saying where it stopped; a
count capped at 10,000 ("10,000+"), facets over the newest 1,000 hits, snippets from prose
first, each labelled with its part of the report; hints when nothing is found. `.json` and
`.csv` give the same rows; `columns=all` adds every column of `reports` (text and sections
too)."""

import collections
import csv
import io
import re
import time
from urllib.parse import urlencode

from datasette import Response
from datasette.database import QueryInterrupted
from markupsafe import Markup, escape

from extractors.sections import headings
from extractors.vocabulary import FACET_COLUMNS, FACETS, SECTIONS
from storage import queries
from storage.search import fts_term_queries, parse_query, query_terms

from . import changes_feeds, web

PAGE_SIZE = 20
COUNT_CAP = 10_000
FACET_SAMPLE = 1_000
RESULT_COLUMNS = ("id", "title", "agency", "year", "region", "layout", "published", "url")
SNIPPET_WIDTH = 40
SNIPPETS_PER_RESULT = 3
MAX_QUERY_LENGTH = 500  # characters of a search query
SORTS = {"newest": "最新入库", "year": "报告年度", "relevance": "相关度"}
MAX_PAGE = FACET_SAMPLE  # year and relevance order the sample: pages of one result each
MAX_PAGE_SIZE = 100  # results a page (size=)
SEARCH_SECONDS = 0.05  # a search's walks go on down the reports while this time lasts
FIRST_SLICE = 1_000  # reports (by number) the first slice of a walk for hits searches
FIRST_COUNTED_SLICE = 1_000  # and of the count's walk, which starts when the hits' walk is done
MIN_SLICE_SECONDS = 0.005  # time left below which no further slice is started
MAX_SCORED_TERMS = 8  # terms of a query counted for relevance


def highlight_pattern(terms):
    """A term matches across whitespace and case ('自然人' finds '自 然 人')."""
    parts = [r"\s*".join(re.escape(ch) for ch in term if not ch.isspace()) for term in terms]
    parts = [p for p in parts if p]
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE) if parts else None


# A line of prose holds sentence punctuation and no tab: '全年收到申请25件，均在法定期限内答复。';
# a table's printed headings and numbers do not: '结果维持\t结果纠正\t其他结果', '四、结转下年度继续办理0 0 0'
SENTENCE_MARK_RE = re.compile(r"[，。；！？,;]")
SECTION_TITLES = {section.key: section.title for section in SECTIONS}

# A passage of a result: the heading of the part of the report it is in (vocabulary.SECTIONS;
# None before the first heading) and the passage, its matches marked
Snippet = collections.namedtuple("Snippet", "section passage")


def in_prose(text, at):
    """Whether the line around position `at` is a sentence rather than a table's line."""
    line = text[text.rfind("\n", 0, at) + 1 : text.find("\n", at) % (len(text) + 1)]
    return "\t" not in line and SENTENCE_MARK_RE.search(line) is not None


def snippets(text, pattern, width=SNIPPET_WIDTH, limit=SNIPPETS_PER_RESULT, html=True):
    """Snippets around matches, prose first: matches in sentences in the order of the text,
    then, only while fewer than `limit` passages are found, matches in tables' printed
    headings and numbers (表四's 行政复议 结果维持 …). Each match is in <mark>, as safe HTML;
    or, not html, plain text with each match in 【】 (the canned search's SQL function)."""
    if not text or pattern is None:
        return []
    parts = headings(text)
    chosen, in_tables = [], []  # (section title, left, right)
    for match in pattern.finditer(text):
        if in_prose(text, match.start()):
            _choose(chosen, _passage(text, parts, match, width))
            if len(chosen) == limit:
                break
        elif len(in_tables) < limit:
            in_tables.append(_passage(text, parts, match, width))
    for passage in in_tables:
        if len(chosen) < limit:
            _choose(chosen, passage)
    markup = HTML_MARKUP if html else PLAIN_MARKUP
    return [Snippet(title, _marked(text, left, right, pattern, markup)) for title, left, right in chosen]


def _passage(text, parts, match, width):
    """(the title of the part holding the match, start, end): `width` characters either side,
    not beyond its part of the report."""
    part = part_at(parts, match.start())
    if part is None:
        part_start = 0
    elif match.start() >= part.end():
        part_start = part.end()  # after its heading, which the label says
    else:
        part_start = part.start()  # a match in the heading itself
    while part_start < match.start() and text[part_start].isspace():
        part_start += 1
    part_end = next((later.start() for later in parts if later.start() > match.start()), len(text))
    left = max(part_start, match.start() - width)
    right = max(match.end(), min(part_end, match.end() + width))
    return (SECTION_TITLES[part.lastgroup] if part else None, left, right)


def _choose(chosen, passage):
    _, left, right = passage
    if not any(left < other_right and other_left < right for _, other_left, other_right in chosen):
        chosen.append(passage)


def part_at(parts, position):
    """The heading match (of `parts`, extractors.sections.headings) of the part holding position."""
    before = [part for part in parts if part.start() <= position]
    return before[-1] if before else None


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
    body = whole(re.sub(r"\s+", " ", "".join(map(str, out))).strip())
    cut_left = left > 0 and not text[left - 1].isspace()  # a passage starting at a line or a part is not cut
    cut_right = right < len(text) and not (text[right - 1].isspace() or text[right].isspace())
    return whole("…" if cut_left else "") + body + whole("…" if cut_right else "")


async def search_results(db, query, filters, sort, before, after, page_number, page_size, all_columns):
    """Rows of one page, the capped count, facets over the newest hits and the paging.
    newest: the page from the sample, or walked from the `before`/`after` cursor; year and
    relevance: the newest FACET_SAMPLE hits (the sample) put in that order, numbered pages.
    Every walk goes down the reports in slices (walk) and stops when the time is up:
    `unsearched_below` then says where the reports not searched begin (a link searches them).
    A search that reaches the SQL time limit says so (timed_out): the page of hits, or the
    count and facets, are then missing, never wrong."""
    deadline = time.monotonic() + SEARCH_SECONDS
    last = (await db.execute(queries.LAST_REPORT)).rows[0][0] or 0
    size = FACET_SAMPLE
    facet_columns = ", ".join(f"r.{column}" for column, _ in FACETS)

    columns = f"{facet_columns}, r.num" + (", r.title, r.agency" if sort == "relevance" else "")

    def sample_hits(before, floor, wanted):
        return queries.search_hits(query, filters, wanted, columns, before=before, floor=floor)

    nums, pages, unsearched_below = None, None, None
    if sort == "newest" and (before or after):  # the page first: the facets and count take the time left
        try:
            nums, unsearched_below = await newest_page(db, query, filters, before, after, last, deadline, page_size)
        except QueryInterrupted:
            return {**EMPTY_RESULT, "facets": {column: [] for column, _ in FACETS}, "timed_out": True}
    try:
        sample, sample_below = await walk(db, sample_hits, last, size, deadline)
        count, capped = await hit_count(db, query, filters, sample, size, sample_below, last, deadline)
        timed_out = False
    except QueryInterrupted:
        sample, sample_below, count, capped, timed_out = [], None, None, True, True
    if sort != "newest":
        ranked = await ranked_nums(db, query, sample, sort, deadline)
        pages = max(1, -(-len(ranked) // page_size))
        nums = ranked[(page_number - 1) * page_size : page_number * page_size]
        unsearched_below = sample_below
    elif nums is None and size > page_size and not timed_out:  # the newest hits: no second walk
        nums = [row[len(FACETS)] for row in sample[: page_size + 1]]
        unsearched_below = sample_below if len(nums) <= page_size else None
    if nums is None:
        try:
            nums, unsearched_below = await newest_page(db, query, filters, before, after, last, deadline, page_size)
        except QueryInterrupted:
            return {**EMPTY_RESULT, "facets": {column: [] for column, _ in FACETS}, "timed_out": True}
    page = nums[:page_size]
    rows = await _rows(db, page, all_columns, in_this_order=sort != "newest")
    pattern = highlight_pattern(query_terms(query))
    for row in rows:
        found = snippets(row.pop("text") if not all_columns else row["text"], pattern)
        row["snippets"] = [snippet.passage for snippet in found]
        row["snippet_sections"] = [snippet.section for snippet in found]
    return {
        "rows": rows,
        "count": count,
        "count_is_lower_bound": capped,
        "facets": _facet_counts(sample),
        "facets_over": len(sample),
        "sort": sort,
        "ranked_over": len(sample) if sort != "newest" else None,
        "page": page_number if pages else None,
        "pages": pages,
        "next": page[-1] if sort == "newest" and len(nums) > page_size else None,
        "previous": page[0] if sort == "newest" and page and page[0] != _newest(sample) and (before or after) else None,
        "unsearched_below": unsearched_below,
        "timed_out": timed_out,
    }


EMPTY_RESULT = {
    "rows": [],
    "count": None,
    "count_is_lower_bound": True,
    "facets_over": 0,
    "sort": "newest",
    "ranked_over": None,
    "page": None,
    "pages": None,
    "next": None,
    "previous": None,
    "unsearched_below": None,
}


async def walk(db, statement, top, wanted, deadline, found=len, first=None):
    """(rows, the number below which nothing was searched or None): `statement(before,
    floor, still wanted)` run over slices of report numbers from `top` down, until the rows
    hold `wanted` (found(rows): how many they hold), it reached the first report, or the
    deadline passed. The first slice is `first` reports (FIRST_SLICE); each next one at most
    4 times larger, as the time left allows at the pace so far (a search whose matches are
    dense fills its page in the first slice; one whose filter few matches pass goes on down
    while it can, then says where it stopped)."""
    rows, ceiling, span = [], top + 1, first or FIRST_SLICE
    while True:
        started = time.monotonic()
        floor = ceiling - 1 - span if ceiling - 1 > span else None
        rows += (await db.execute(*statement(ceiling, floor, wanted - found(rows)))).rows
        if found(rows) >= wanted or floor is None:
            return rows, None
        took, left = time.monotonic() - started, deadline - time.monotonic()
        if left < MIN_SLICE_SECONDS:
            return rows, floor
        span = int(span * min(4, 0.5 * left / max(took, 1e-4)))  # cautious: older pages may be cold
        ceiling = floor + 1


def _sum_of_counts(rows):
    return sum(row[0] for row in rows)


def _newest(sample):
    return sample[0][len(FACETS)] if sample else None


async def newest_page(db, query, filters, before, after, last, deadline, page_size):
    """(nums of the page and one more, the number below which nothing was searched), newest
    first: older than `before` (or from the `last` report) or, read backwards, the page of
    hits just newer than `after` (up to FIRST_SLICE reports above it; the first page when
    fewer are newer)."""
    if after is not None:
        ceiling = after + FIRST_SLICE + 1
        sql, params = queries.search_hits(query, filters, page_size, before=ceiling, after=after)
        nums = [row[0] for row in (await db.execute(sql, params)).rows]
        if len(nums) == page_size:
            return nums[::-1] + [after], None  # `after` itself, a hit of the page this one is newer than
        before = None  # fewer than a page are newer: the first page

    def page_hits(ceiling, floor, wanted):
        return queries.search_hits(query, filters, wanted, before=ceiling, floor=floor)

    rows, below = await walk(db, page_hits, min(before - 1, last) if before else last, page_size + 1, deadline)
    return [row[0] for row in rows], below


async def ranked_nums(db, query, sample, sort, deadline):
    """The sample's report numbers by report year (newest year first, unknown last), or by
    relevance: a term in the title (10), in the agency's name (5), and, for a query with OR,
    one for each of its terms a report holds (FTS queries bounded to the sample's numbers,
    while time remains); newest first among equals. bm25 is not used: its document counts
    walk every match."""
    year, num = FACET_COLUMNS.index("year"), len(FACETS)
    if sort == "year":
        return [row[num] for row in sorted(sample, key=lambda row: (row[year] is None, -(row[year] or 0), -row[num]))]
    pattern = highlight_pattern(query_terms(query))
    title, agency = num + 1, num + 2
    score = collections.Counter()
    for row in sample if pattern else ():
        score[row[num]] = 10 * bool(pattern.search(row[title] or "")) + 5 * bool(pattern.search(row[agency] or ""))
    if sample and any(len(group) > 1 for group in parse_query(query).groups):  # with OR: hits differ in terms
        low, high = min(row[num] for row in sample), max(row[num] for row in sample)
        for expression in fts_term_queries(query)[:MAX_SCORED_TERMS]:
            if time.monotonic() > deadline:
                break
            sql, params = queries.matching_between(expression, low, high)
            score.update(hit[0] for hit in (await db.execute(sql, params)).rows)
    return [row[num] for row in sorted(sample, key=lambda row: (-score[row[num]], -row[num]))]


async def hit_count(db, query, filters, sample, size, sample_below, last, deadline):
    """(count, whether it is only a lower bound). Fewer hits than the sample: that is the
    count (a lower bound when the walk stopped before the first report). Otherwise a search
    alone is counted in the FTS index up to COUNT_CAP, while time remains; with filters
    (each hit then costs a row lookup) the sample's size is the lower bound."""
    if len(sample) < size:
        return len(sample), sample_below is not None
    if filters:
        return len(sample), True
    if not query:
        return (await db.execute(queries.REPORT_COUNT)).rows[0][0], False

    def counted(ceiling, floor, wanted):
        return queries.search_hit_count(query, wanted - 1, before=ceiling, floor=floor)

    counts, below = await walk(
        db, counted, last, COUNT_CAP + 1, deadline, found=_sum_of_counts, first=FIRST_COUNTED_SLICE
    )
    count = _sum_of_counts(counts)
    return min(count, COUNT_CAP), count > COUNT_CAP or below is not None


async def _rows(db, nums, all_columns, in_this_order=False):
    """The result rows of these report numbers: newest first, or in_this_order."""
    if not nums:
        return []
    sql = queries.result_rows(len(nums), None if all_columns else RESULT_COLUMNS)
    rows = [dict(row) for row in (await db.execute(sql, nums)).rows]  # one a number, newest first
    if not in_this_order:
        return rows
    row_of = dict(zip(sorted(nums, reverse=True), rows))
    return [row_of[num] for num in nums]


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


PAGING_ARGS = ("before", "after", "page")


def with_args(request, **changes):
    """This page's query string with some arguments changed (None removes one); a change
    of anything but the paging starts again at the first page."""
    args = {k: request.args[k] for k in request.args.keys() if k not in PAGING_ARGS}
    args.update(changes)
    return "?" + urlencode({k: v for k, v in args.items() if v is not None})


def bad_request(fmt, message):
    if fmt == "json":
        return Response.json({"ok": False, "error": message, "status": 400}, status=400)
    return Response.text(message, status=400)


def query_text(groups, excluded):
    """A query written back from its parts (storage.search.parse_query)."""

    def written(term):
        return f'"{term}"' if re.search(r"[\s、，,]", term) else term

    return " ".join([" OR ".join(map(written, group)) for group in groups] + ["-" + written(term) for term in excluded])


def no_hit_hints(request, query, filters, unsearched_below):
    """What to try when nothing is found: (what to do, link). The older reports searched
    (when the walk stopped before them), each word dropped in turn, the excluded words
    dropped, the filters (the year first) dropped."""
    parsed = parse_query(query)
    hints = []
    if unsearched_below:
        hints.append(("继续检索更早入库的报告", with_args(request, before=unsearched_below + 1)))
    if not parsed.groups and parsed.excluded:
        hints.append(("只有排除的词（-词、NOT 词）：请加上要包含的词", None))
    terms = [(i, j) for i, group in enumerate(parsed.groups) for j in range(len(group))]
    if len(terms) > 1:
        for i, j in terms:
            groups = [[t for k, t in enumerate(g) if (n, k) != (i, j)] for n, g in enumerate(parsed.groups)]
            shorter = query_text([g for g in groups if g], parsed.excluded)
            hints.append((f"去掉“{parsed.groups[i][j]}”", with_args(request, q=shorter)))
    if parsed.excluded and parsed.groups:
        hints.append(("不排除任何词", with_args(request, q=query_text(parsed.groups, []))))
    for column, label in sorted(FACETS, key=lambda facet: facet[0] != "year"):
        if column in filters:
            hints.append((f"检查{label}筛选：去掉“{filters[column]}”", with_args(request, **{column: None})))
    return [{"text": text, "href": "/-/search" + href if href else None} for text, href in hints]


def page_int(text):
    number = web.bounded_int(text)
    return number if number and number <= MAX_PAGE else None


async def search_page(datasette, request):
    """/-/search, /-/search.json, /-/search.csv: ?q= the query (docs/search.md), a facet
    column = a value, sort=newest|year|relevance, before= / after= (newest) or page= (the
    other orders), size= results a page."""
    db = datasette.get_database()
    fmt = request.url_vars.get("format")
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        return bad_request(fmt, f"q: at most {MAX_QUERY_LENGTH} characters")
    filters = search_filters(request)
    sort = request.args.get("sort") or "newest"
    if sort not in SORTS:
        return bad_request(fmt, f"sort: one of {', '.join(SORTS)}")
    cursors = {}
    for name in ("before", "after"):
        value = request.args.get(name) or None
        if value is not None and (value := web.bounded_int(value)) is None:
            return bad_request(fmt, f"{name}: a report number (the `next` or `previous` of another page)")
        cursors[name] = value
    page_number = request.args.get("page") or "1"
    if (page_number := page_int(page_number)) is None:
        return bad_request(fmt, f"page: a number from 1 to {MAX_PAGE}")
    page_size = web.bounded_int(request.args.get("size") or str(PAGE_SIZE))
    if not page_size or page_size > MAX_PAGE_SIZE:
        return bad_request(fmt, f"size: results a page, 1 to {MAX_PAGE_SIZE}")
    all_columns = request.args.get("columns") == "all"
    result = await search_results(
        db, query, filters, sort, cursors["before"], cursors["after"], page_number, page_size, all_columns
    )
    for row in result["rows"]:
        row["report_url"] = datasette.urls.path(f"/{db.name}/reports/{row['id']}")
    hints = no_hit_hints(request, query, filters, result["unsearched_below"]) if query and not result["rows"] else []
    if fmt == "json":
        return Response.json(
            {
                "q": query,
                "filters": filters,
                **result,
                "hints": hints,
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
            "hints": hints,
            "database": db.name,
            "sorts": [
                {"key": key, "label": label, "href": with_args(request, sort=key), "selected": key == sort}
                for key, label in SORTS.items()
            ],
            "page_links": page_links(request, result),
            "feeds": changes_feeds.search_feed_links(db.name, query, filters),
            "json_url": "/-/search.json" + with_args(request),
            "csv_url": "/-/search.csv" + with_args(request),
            "all_columns_url": "/-/search.csv" + with_args(request, columns="all"),
        },
    )


def page_links(request, result):
    """The links under the results: (label, href or None for the page shown). Numbered pages
    for year and relevance (the current one, its neighbours, the first and the last);
    newest: 最新 / ← 较新 / 较早 →, and "search older reports" past the span searched."""
    links = []
    if result["pages"] and result["pages"] > 1:
        current, last = result["page"], result["pages"]
        shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        if current > 1:
            links.append(("← 上一页", with_args(request, page=current - 1)))
        for i, number in enumerate(shown):
            if i and number - shown[i - 1] > 1:
                links.append(("…", None))
            links.append((str(number), None if number == current else with_args(request, page=number)))
        if current < last:
            links.append(("下一页 →", with_args(request, page=current + 1)))
    if result["previous"]:
        links.append(("« 最新", with_args(request)))
        links.append(("← 较新", with_args(request, after=result["previous"])))
    if result["next"]:
        links.append(("较早 →", with_args(request, before=result["next"])))
    elif result["unsearched_below"] and result["sort"] == "newest":
        links.append(
            (
                f"继续检索更早的报告（第 {result['unsearched_below']:,} 号及以前）→",
                with_args(request, before=result["unsearched_below"] + 1),
            )
        )
    return [{"label": label, "href": href} for label, href in links]


def search_csv(rows):
    out = io.StringIO()
    columns = [
        c for c in (rows[0] if rows else RESULT_COLUMNS) if c not in ("snippets", "snippet_sections", "report_url")
    ]
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="search.csv"'},
    )
