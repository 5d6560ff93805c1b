"""Atom feeds (govreports/atom.py) of what arrives and what changes in the archive:

- /<db>/-/feeds/reports.atom?q=&region=&agency=: the newest reports (for a search, a region,
  an agency), newest first, as the search page finds them (storage/queries.search_hits: the
  FTS doclist or report_rows walked backwards, stopping after FEED_SIZE);
- /<db>/-/feeds/changes.atom: reports changed after publication (report_changes, by its
  changed_at index), each entry saying which cells went from what to what;
- /<db>/-/feeds/removals.atom: reports removed from their portal (report_removals, by its
  first_seen_missing index).

Ids are tag: URIs of the row (a report; a report's version; a report's removal), so an entry
keeps its id on every request; a feed's id is made of its path and its parameters. The pages
the feeds belong to announce them with <link rel="alternate" type="application/atom+xml">
(`feed_links`): the search page (its own query), the report page, the changes tables.
"""

import json
from pathlib import Path
from urllib.parse import urlencode

from datasette import Response
from jinja2 import ChoiceLoader, FileSystemLoader

from extractors.keys import cell_label
from storage import changes, queries

from .atom import ATOM_TYPE, atom_feed, tag_uri
from .labels import label
from .web import database_of

OVERRIDES = Path(__file__).resolve().parent / "datasette" / "overrides"
FEED_SIZE = 50
FEED_FILTERS = ("region", "agency")  # report_rows columns a feed of new reports may be narrowed by


async def feed_page(datasette, request):
    db = database_of(datasette, request)
    feed = request.url_vars["feed"]
    self_url = datasette.absolute_url(request, request.full_path)
    if feed == "reports":
        query, filters = request.args.get("q", "").strip(), feed_filters(request)
        if len(query) > 500:
            return Response.text("q: at most 500 characters", status=400)
        entries = await new_report_entries(datasette, request, db, query, filters)
        title = "新入库的年度报告" + "".join(f" · {v}" for v in ([query] if query else []) + list(filters.values()))
        feed_id = tag_uri("feed", db.name, "reports", urlencode(sorted({**filters, "q": query}.items())))
        alternate = datasette.absolute_url(request, "/-/search?" + urlencode({"q": query, **filters}))
    elif feed == "changes":
        entries = await change_entries(datasette, request, db)
        title, feed_id = "发布后有改动的年度报告", tag_uri("feed", db.name, "changes")
        alternate = datasette.absolute_url(request, f"/{db.name}/report_changes")
    else:
        entries = await removal_entries(datasette, request, db)
        title, feed_id = "已从门户撤下的年度报告", tag_uri("feed", db.name, "removals")
        alternate = datasette.absolute_url(request, f"/{db.name}/report_removals")
    return Response(atom_feed(feed_id, title, self_url, entries, alternate), content_type=ATOM_TYPE)


def feed_filters(request):
    return {column: request.args[column] for column in FEED_FILTERS if request.args.get(column)}


def report_link(datasette, request, database, rid):
    return datasette.absolute_url(request, datasette.urls.path(f"/{database}/reports/{rid}"))


async def new_report_entries(datasette, request, db, query, filters):
    sql, params = queries.search_hits(query, filters, FEED_SIZE)
    nums = [row[0] for row in (await db.execute(sql, params)).rows]
    if not nums:
        return []
    rows = (await db.execute(changes.new_report_rows(len(nums)), nums)).rows
    return [
        {
            "id": tag_uri("report", row["id"]),
            "title": row["title"] or f"{row['agency'] or ''}{row['year'] or ''}年度报告",
            "link": report_link(datasette, request, db.name, row["id"]),
            "updated": row["recorded_at"],
            "author": row["agency"],
            "summary": " · ".join(
                str(part) for part in (row["agency"], row["year"], row["region"], row["published"]) if part
            ),
        }
        for row in rows
    ]


async def change_entries(datasette, request, db):
    rows = (await db.execute(changes.LATEST_CHANGES, {"limit": FEED_SIZE})).rows
    return [
        {
            "id": tag_uri("change", row["report_id"], f"v{row['to_version']}"),
            "title": f"{row['agency'] or '机关不详'}{row['year'] or ''}年度报告发布后有改动："
            + "、".join(label("change_kind", kind) for kind in row["kinds"].split(",")),
            "link": report_link(datasette, request, db.name, row["report_id"]),
            "updated": row["changed_at"],
            "author": row["agency"],
            "summary": change_summary(row),
        }
        for row in rows
    ]


def change_summary(row):
    """'表三 总计 一、本年新收政府信息公开申请数量：8 → 9；正文：…申请8件… → …申请9件…'"""
    parts = [
        f"{cell_words(cell['cell'])}：{number_text(cell['old'])} → {number_text(cell['new'])}"
        for cell in json.loads(row["cells"])
    ]
    if row["text_before"] is not None:
        parts.append(f"正文：{row['text_before']} → {row['text_after']}")
    return "；".join(parts) or "原文有改动"


def cell_words(key):
    """'t3/new_received/total' -> '表三 一、本年新收政府信息公开申请数量 总计' (a key no layout
    names stays as it is)."""
    try:
        return cell_label(*key.split("/"))
    except (KeyError, TypeError):
        return key


def number_text(value):
    """8.0 -> '8'; a cell one version lacks -> '—'."""
    return "—" if value is None else f"{value:g}"


async def removal_entries(datasette, request, db):
    rows = (await db.execute(changes.LATEST_REMOVALS, {"limit": FEED_SIZE})).rows
    return [
        {
            "id": tag_uri("removal", row["report_id"]),
            "title": f"{row['agency'] or '机关不详'}{row['year'] or ''}年度报告{label('removal_status', row['status'])}",
            "link": report_link(datasette, request, db.name, row["report_id"]),
            "updated": row["first_seen_missing"],
            "author": row["agency"],
            "summary": f"{row['missing_url']}（{row['status']}）",
        }
        for row in rows
    ]


def feed_link(database, feed, title, **parameters):
    """One feed to announce: {href, title}."""
    query = urlencode({k: v for k, v in parameters.items() if v})
    return {"href": f"/{database}/-/feeds/{feed}.atom" + (f"?{query}" if query else ""), "title": title}


def search_feed_links(database, query, filters):
    """The feed of the search page's own query and filters."""
    narrowed = {k: v for k, v in filters.items() if k in FEED_FILTERS}
    return [feed_link(database, "reports", "新入库的年度报告（本次检索）", q=query, **narrowed)]


def report_feed_links(database, report):
    """A report page's feeds: its agency's new reports, and the changes and removals."""
    return [
        feed_link(database, "reports", f"{report.get('agency') or ''}新入库的年度报告", agency=report.get("agency")),
        *change_feed_links(database),
    ]


def change_feed_links(database):
    return [
        feed_link(database, "changes", "发布后有改动的年度报告"),
        feed_link(database, "removals", "已从门户撤下的年度报告"),
    ]


def override_templates(datasette):
    """Datasette's templates extended where a page announces a feed (overrides/table.html,
    which extends "default:table.html"): its loader is put after ours."""
    env = datasette.jinja_env
    env.loader = ChoiceLoader([FileSystemLoader(str(OVERRIDES)), env.loader])
