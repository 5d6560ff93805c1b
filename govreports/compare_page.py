"""Two reports side by side: /<db>/-/compare?a=<report id>&b=<report id> (and .json).

The three tables (表二, 表三, 表四) drawn as printed, each canonical cell holding both
reports' values, the cells whose values differ marked and listed with the difference; two
years of one agency (the report page links "与上一年比较") or two agencies alike. Each report
costs two lookups by its id (its row, its facts through fact_values' primary key), whatever
the size of the archive.
"""

from datasette import Response
from markupsafe import escape

from extractors import keys
from storage import changes
from storage.views import COL_LABELS, ROW_LABELS, TABLE_NAMES

from . import web
from .labels import label


async def compare_page(datasette, request):
    db = web.database_of(datasette, request)
    fmt = request.url_vars.get("format")
    ids = (request.args.get("a", "").strip(), request.args.get("b", "").strip())
    context = {"database": db.name, "a_id": ids[0], "b_id": ids[1], "reports": None}
    if not all(ids):
        if fmt == "json":
            return web.bad_request(fmt, "a and b: the ids of the two reports to compare")
        return await web.render(datasette, request, "compare.html", context)
    reports = [await compared_report(db, rid) for rid in ids]
    if None in reports:
        missing = ids[reports.index(None)]
        if fmt == "json":
            return Response.json({"ok": False, "error": f"no report {missing}", "status": 404}, status=404)
        return Response.html(f"<h1>没有这份报告：{escape(missing)}</h1>", status=404)
    tables, differences = compared_tables(*reports)
    if fmt == "json":
        return Response.json(
            {
                "a": {k: v for k, v in reports[0].items() if k != "facts"},
                "b": {k: v for k, v in reports[1].items() if k != "facts"},
                "cells_compared": sum(1 for t in tables for line in t["lines"] if line[0] == "row" for _ in line[2]),
                "differences": differences,
            }
        )
    for report in reports:
        report["href"] = datasette.urls.path(f"/{db.name}/reports/{report['id']}")
        report["layout_label"] = label("layout", report["layout"]) if report["layout"] else None
    return await web.render(
        datasette,
        request,
        "compare.html",
        {
            **context,
            "reports": reports,
            "tables": tables,
            "differences": differences,
            "json_url": compare_json(request),
        },
    )


def compare_json(request):
    return request.path + ".json?" + request.query_string


async def compared_report(db, rid):
    """The report's row and {(table, row, col): (value, raw)}; None when there is no such report."""
    rows = (await db.execute(changes.COMPARED_REPORT, [rid])).rows
    if not rows:
        return None
    report = dict(rows[0])
    facts = (await db.execute(changes.FACTS_OF_REPORT_BY_CELL, [rid])).rows
    report["facts"] = {(t, r, c): (value, raw) for t, r, c, value, raw in facts}
    return report


def compared_tables(a, b):
    """([{key, name, lines}], differences): each table's lines as printed_tables draws them,
    ("header", [column labels]) or ("row", label, [cell]), a cell being {a, b, differs} (None
    for a cell neither report has); differences: [{cell, table, row, col, a, b}] in the
    tables' order."""
    cells = _cells_in_order(a, b)
    tables, differences = [], []
    for table in ("t2", "t3", "t4"):
        rows = {}
        for cell in (c for c in cells if c[0] == table):
            rows.setdefault(cell[1], []).append(cell[2])
        lines, header = [], None
        for row, columns in rows.items():
            labels = [COL_LABELS[table].get(col, col) for col in columns]
            if labels != header:
                lines.append(("header", labels))
                header = labels
            compared = []
            for col in columns:
                value_a, value_b = (r["facts"].get((table, row, col), (None, None))[0] for r in (a, b))
                differs = value_a != value_b
                compared.append({"a": value_a, "b": value_b, "differs": differs})
                if differs:
                    differences.append(
                        {
                            "cell": f"{table}/{row}/{col}",
                            "table": TABLE_NAMES[table],
                            "row": ROW_LABELS[table].get(row, row),
                            "col": COL_LABELS[table].get(col, col),
                            "a": value_a,
                            "b": value_b,
                        }
                    )
            lines.append(("row", ROW_LABELS[table].get(row, row), compared))
        if lines:
            tables.append({"key": table, "name": TABLE_NAMES[table], "lines": lines})
    return tables, differences


def _cells_in_order(a, b):
    """The canonical cells of both reports' layouts in the official order, then any other cell
    either report has."""
    cells = []
    for layout in dict.fromkeys((a["layout"], b["layout"])):
        if layout in ("2019", "2021"):
            cells += [cell for cell in keys.canonical_cells(layout) if cell not in cells]
    seen = set(cells)
    return cells + sorted(cell for cell in a["facts"].keys() | b["facts"].keys() if cell not in seen)


async def previous_year_report(db, report):
    """The id of the report of the year before by the same agency on the same portal, or None."""
    if not report.get("agency") or not report.get("year"):
        return None
    rows = (
        await db.execute(changes.PREVIOUS_YEAR_REPORT, [report["agency"], report["portal_id"], report["year"] - 1])
    ).rows
    return rows[0][0] if rows else None
