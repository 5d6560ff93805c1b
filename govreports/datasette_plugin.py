"""Datasette plugin (registered by entry point): Chinese search and snippets.

- escape_fts(query): Datasette wraps every ?_search= and search-box query in it; ours
  turns the query into the Han-bigram FTS5 expression that reports_fts is indexed with.
  Registered trylast so it replaces Datasette's own escape_fts (which would find nothing).
  `_searchmode=raw` bypasses escape_fts: raw queries must be written in bigrams.
- govreports_snippet(text, query): the first passage of text holding a query term, with
  the term in 【】, for canned search queries (a contentless FTS table has no snippet()).
- /-/charts: applications and appeals over years, outcome mix, by region (server-side SVG).
- every connection to the archive is query_only: no plugin, canned query or API can write.
- with `govreports serve --public`, requests pass the public gate (govreports/public.py).
"""

import re

from datasette import Response, hookimpl

from .charts import render_charts
from .public import public_gate
from .search import fts_query

SNIPPET_WIDTH = 60


def snippet(text, query):
    if not text or not query:
        return None
    terms = [t for quoted, bare in re.findall(r'"([^"]+)"|(\S+)', query) if (t := quoted or bare)]
    positions = [(text.find(t), t) for t in terms if text.find(t) >= 0]
    if not positions:
        return text[:SNIPPET_WIDTH * 2]
    start, term = min(positions)
    left = max(0, start - SNIPPET_WIDTH)
    passage = text[left:start + len(term) + SNIPPET_WIDTH].replace("\n", " ")
    for t in terms:
        passage = passage.replace(t, f"【{t}】")
    return ("…" if left else "") + passage + "…"


@hookimpl(trylast=True)
def prepare_connection(conn, database):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("govreports_snippet", 2, snippet, deterministic=True)
    if database != "_internal":
        conn.execute("PRAGMA query_only = 1")  # Datasette never writes to the archive


CHARTS_PAGE = """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>图表 · 政府信息公开工作年度报告档案</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:900px}} section{{margin:2em 0}}</style></head>
<body><p><a href="/">首页</a> · <a href="/{db}/reports">年度报告</a> · <a href="/{db}/report_cells">宽表</a></p>
<h1>图表</h1>{sections}</body></html>"""


async def charts_page(datasette):
    db = datasette.get_database()
    sections = await render_charts(db)
    return Response.html(CHARTS_PAGE.format(db=db.name, sections="".join(sections)))


@hookimpl
def register_routes():
    return [(r"^/-/charts$", charts_page)]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/charts"), "label": "图表"}]


@hookimpl
def asgi_wrapper(datasette):
    if not (datasette.plugin_config("govreports") or {}).get("public"):
        return None
    canned = {name for database in (datasette.metadata("databases") or {}).values()
              for name in database.get("queries", {})}
    return lambda app: public_gate(app, canned)
