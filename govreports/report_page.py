"""/<db>/reports/<id>: one report: metadata, the three tables drawn as printed (each cell's
raw text and flags on hover), checks, the six sections, every URL, version and capture.
"""

import json

from datasette import Response

from extractors import keys
from extractors.vocabulary import SECTIONS
from storage import queries
from storage.views import TABLE_NAMES

from .web import render


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
