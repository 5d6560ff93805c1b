"""/<db>/reports/<id>: one report (its permalink): metadata, the three tables drawn as printed
(printed_tables.py; each cell's raw text and flags on hover), checks said in Chinese
(labels.explained_check), a 引用 block (GB/T 7714 and APA) naming the archived copy and its capture
date, the six sections, every URL, version and capture.
"""

import json
from urllib.parse import urlencode

from datasette import Response
from markupsafe import Markup, escape

from extractors.vocabulary import SECTIONS
from storage import agencies, changes, queries

from . import changes_feeds, compare_page
from .capture_page import web_path
from .labels import explained_check, label
from .printed_tables import printed_tables
from .web import database_of, render


async def report_page(datasette, request):
    db = database_of(datasette, request)
    rid = request.url_vars["id"]
    rows = (await db.execute(queries.REPORT_BY_ID, [rid])).rows
    if not rows:
        return Response.html("<h1>没有这份报告</h1>", status=404)
    report = dict(rows[0])
    facts = (await db.execute(queries.FACTS_OF_REPORT, [rid])).rows
    checks = (await db.execute(queries.CHECKS_OF_REPORT, [rid])).rows
    urls = await urls_of(db, report)
    versions = (await db.execute(queries.VERSIONS_OF_REPORT, [rid])).rows
    captures = [
        {**capture, "href": datasette.urls.path(capture_path(db.name, capture))}
        for capture in (
            await db.execute(*queries.captures_of([u["url"] for u in urls], report["source_url"] or report["url"]))
        ).rows
    ]
    sections = json.loads(report.get("sections") or "{}")
    agency = (await db.execute(agencies.AGENCY_OF_REPORT, [rid])).rows
    return await render(
        datasette,
        request,
        "report.html",
        {
            "report": report,
            "agency_href": datasette.urls.path(f"/{db.name}/-/agency/{agency[0]['id']}") if agency else None,
            "database": db.name,
            "tables": [
                {**table, "head": rows_html(table["head"]), "body": rows_html(table["body"])}
                for table in printed_tables(report.get("layout"), facts)
            ],
            "checks": [explained_check(*check) for check in checks],
            "layout_name": label("layout", report.get("layout")) if report.get("layout") else "无统一表格",
            "level_name": label("level", report.get("level")) if report.get("level") else "不详",
            "status_name": label("check_status", report.get("check_status")),
            "permalink": datasette.absolute_url(request, datasette.urls.path(f"/{db.name}/reports/{rid}")),
            "citation": citation(datasette, request, db.name, report, captures[0] if captures else None),
            "report_urls": urls,
            "versions": versions,
            "captures": captures,
            "page_capture": next(
                (c for c in captures if c["url"] == report["url"] and c["href"].endswith("/view")), None
            ),
            "sections": [(s.title, sections.get(s.key)) for s in SECTIONS if sections.get(s.key)],
            "previous_year_id": await compare_page.previous_year_report(db, report),
            "feeds": changes_feeds.report_feed_links(db.name, report),
            **await changes_after_publication(datasette, db, rid),
        },
    )


async def changes_after_publication(datasette, db, rid):
    """发布后的修改: {"changes": [...], "removal": row or None}. A change: its versions, when,
    its kinds in Chinese, its cells ('表三 … 总计', old, new), the passage before and after,
    and a link to the changes table filtered to the report (the comparison page compares two
    reports, not two versions of one)."""
    link = datasette.urls.path(f"/{db.name}/report_changes?" + urlencode({"report_id": rid}))
    found = []
    for row in (await db.execute(changes.CHANGES_OF_REPORT, [rid])).rows:
        found.append(
            {
                **dict(row),
                "kind_words": "、".join(label("change_kind", kind) for kind in row["kinds"].split(",")),
                "cell_changes": [
                    (
                        changes_feeds.cell_words(cell["cell"]),
                        changes_feeds.number_text(cell["old"]),
                        changes_feeds.number_text(cell["new"]),
                    )
                    for cell in json.loads(row["cells"] or "[]")
                ],
                "href": link,
            }
        )
    removal = (await db.execute(changes.REMOVAL_OF_REPORT, [rid])).rows
    return {
        "changes": found,
        "removal": {**dict(removal[0]), "word": label("removal_status", removal[0]["status"])} if removal else None,
        "removals_href": datasette.urls.path(f"/{db.name}/report_removals?" + urlencode({"report_id": rid})),
    }


async def urls_of(db, report):
    return (await db.execute(queries.URLS_OF_REPORT, {"url": report["url"], "id": report["id"]})).rows


def citation(datasette, request, database, report, capture):
    """The report cited as its archived copy, by the capture's permalink (/<db>/-/web/<time>/<url>),
    in GB/T 7714-2015 (electronic resource) and APA 7: {"gbt": …, "apa": …, "archived_url": …,
    "captured": "2024-02-01"}; None before any capture."""
    if capture is None:
        return None
    archived = datasette.absolute_url(request, web_path(datasette, database, capture["fetched_at"], capture["url"]))
    captured = (capture["fetched_at"] or "")[:10]
    author = report["agency"] or "佚名"
    title = report["title"] or "（无标题）"
    published = report["published"] or (str(report["year"]) if report["year"] else "")
    gbt = (
        f"{author}. {title}[EB/OL]. ({published})[{captured}]. {archived}. "
        f"原始网址：{report['url']}，存档于 {captured}."
    )
    apa = (
        f"{author}. ({apa_date(published)}). {title} [政府信息公开工作年度报告]. "
        f"Archived copy captured {captured}, retrieved from {archived} (original: {report['url']})"
    )
    return {"gbt": gbt, "apa": apa, "archived_url": archived, "captured": captured}


def capture_path(database, capture):
    """Where a capture is read: an HTML page with its banner (/-/capture/<n>/view), anything
    else as the archived file (/-/capture/<n>)."""
    path = f"/{database}/-/capture/{capture['rowid']}"
    return path + "/view" if "html" in (capture["content_type"] or "").lower() else path


MONTHS = "January February March April May June July August September October November December".split()


def apa_date(published):
    """'2024-01-31' -> '2024, January 31'; a year stays a year; nothing -> 'n.d.'."""
    parts = published.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[0]}, {MONTHS[int(parts[1]) - 1]} {int(parts[2])}"
    return published or "n.d."


def rows_html(rows):
    """Table rows of printed_tables as HTML (written here, not in the template: a report's
    few hundred cells cost a third of the page's time through Jinja's lookups)."""
    return Markup("\n".join(f"<tr>{''.join(map(cell_html, row))}</tr>" for row in rows))


def cell_html(cell):
    """<td class="value" title="原文：12">12</td>; spans and attributes only where they apply."""
    attributes = "".join(
        f' {name}="{escape(value)}"'
        for name, value in (
            ("class", cell["css"]),
            ("colspan", cell["colspan"] if cell["colspan"] > 1 else ""),
            ("rowspan", cell["rowspan"] if cell["rowspan"] > 1 else ""),
            ("title", cell["title"]),
        )
        if value
    )
    return f"<{cell['tag']}{attributes}>{escape(cell['text'])}</{cell['tag']}>"
