"""Who published, and when: the compliance grid, a page per agency, the feeds of late and
missing reports (datasette_plugin.py routes them; the rows come from storage/agencies.py).

- /<db>/-/compliance: agencies × report years, each cell 按时 / 逾期 / 缺报 / 未知, linked to
  its report, or for a cell without one to its portal's latest crawl (portal_health). Filters
  region, level, kind, year; 100 agencies a page, in region-then-name order (`after=` the
  last sort key); `/<db>/-/compliance.csv` gives every cell under the same filters (UTF-8
  with a BOM, so spreadsheet programs read the Chinese).
- /<db>/-/agency/<id>: the agency's reports by year, its key figures across years as a
  chart, its compliance row, the failures of its reports, and the names it published under.
- /<db>/-/feeds/late.atom, /<db>/-/feeds/missing.atom: the newest 100 late reports (by
  publication date) and missing reports (by deadline), Atom 1.0 (govreports/atom.py),
  narrowed by `region=` (a name the region starts with), `agency=` (an agency id), `kind=`,
  `level=`; each entry's id is the agency and year, the same on every request and in every
  feed that holds it. The grid announces the feeds of its own filters, an agency page its own.
"""

import csv
import io
from urllib.parse import urlencode

from datasette import Response
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from storage import agencies

from .atom import ATOM_TYPE, atom_feed, tag_uri
from .charts import column_chart
from .labels import label
from .web import database_of, render

PAGE_SIZE = 100
FEEDS = {"late": "逾期发布的年度报告", "missing": "缺报的年度报告"}


def feed_links(datasette, database, filters=None, narrowed_to=""):
    """The feeds a grid or agency page announces, narrowed as it is: (title, path);
    `narrowed_to` names the narrowing in the title ('示例县财政局')."""
    query = "?" + urlencode(filters) if filters else ""
    return [
        (f"{narrowed_to}{title}", datasette.urls.path(f"/{database}/-/feeds/{name}.atom") + query)
        for name, title in FEEDS.items()
    ]


def filter_words(filters, agency_name=None):
    """The filters of a feed in Chinese: ['江苏省', '县级', '政府部门'] (an agency by its name
    when known, else its id)."""
    words = [filters["region"]] if filters.get("region") else []
    words += [
        label(kind, filters[column])
        for column, kind in (("level", "level"), ("kind", "agency_kind"))
        if filters.get(column)
    ]
    return words + ([agency_name or filters["agency"]] if filters.get("agency") else [])


def grid_feed_links(datasette, database, filters):
    """The grid's feeds under its filters (region, level, kind: the year is no feed filter)."""
    return feed_links(datasette, database, filters, "".join(f"{word} · " for word in filter_words(filters)))


def grid_request(request):
    """(filters, year, error): the grid's equality filters and its year, from the query string."""
    filters = {column: request.args[column] for column in agencies.GRID_FILTERS if request.args.get(column)}
    year = request.args.get("year") or None
    if year is not None:
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            return filters, None, "year: four digits, e.g. 2023"
        year = int(year)
    return filters, year, None


def cell_link(datasette, database, cell):
    """A cell's report, or the crawl that judged it missing or unknown."""
    if cell["report_id"]:
        return datasette.urls.path(f"/{database}/reports/{cell['report_id']}")
    return datasette.urls.path(f"/{database}/portal_health/{cell['portal_id']}")


def cell_title(cell):
    words = [f"{cell['year']}年度：{label('compliance_status', cell['status'])}"]
    if cell["date"]:
        words.append(f"{label('date_source', cell['date_source'])} {cell['date']}，期限 {cell['deadline']}")
    if cell["days_late"]:
        words.append(f"逾期 {cell['days_late']} 天")
    if cell["reason"]:
        words.append(label("compliance_reason", cell["reason"]))
    return "；".join(words)


def cell_html(cell):
    """One grid cell as HTML (written here, not in the template: a page has hundreds)."""
    if cell is None:
        return "<td></td>"
    late = f" {cell['days_late']}天" if cell["days_late"] else ""
    return (
        f'<td class="cell {cell["status"]}" data-year="{cell["year"]}" data-status="{cell["status"]}">'
        f'<a href="{escape(cell["href"])}" title="{escape(cell["title"])}">{cell["word"]}{late}</a></td>'
    )


async def compliance_page(datasette, request):
    db = database_of(datasette, request)
    filters, year, error = grid_request(request)
    if error:
        return Response.text(error, status=400)
    if request.url_vars.get("format") == "csv":
        return await compliance_csv(db, filters, year)
    after = request.args.get("after") or None
    rows = (await db.execute(*agencies.grid_agencies(filters, year, after, PAGE_SIZE + 1))).rows
    page = [dict(row) for row in rows[:PAGE_SIZE]]
    cells = {}
    if page:
        sql, extra = agencies.grid_cells(len(page), year)
        for cell in (await db.execute(sql, [row["id"] for row in page] + extra)).rows:
            cells[(cell["agency_id"], cell["year"])] = {
                **dict(cell),
                "href": cell_link(datasette, db.name, cell),
                "title": cell_title(cell),
                "word": label("compliance_status", cell["status"]),
            }
    first, last = (await db.execute(agencies.GRID_YEARS)).rows[0]
    years = [year] if year is not None else (list(range(first, last + 1)) if first is not None else [])
    for row in page:
        row["href"] = datasette.urls.path(f"/{db.name}/-/agency/{row['id']}")
        row["kind_label"] = label("agency_kind", row["kind"])
        row["level_label"] = label("level", row["level"]) or ""
        row["cells"] = Markup("".join(cell_html(cells.get((row["id"], y))) for y in years))
    args = {**filters, **({"year": year} if year is not None else {})}
    next_args = {**args, "after": page[-1]["sort_key"]} if len(rows) > PAGE_SIZE else None
    return await render(
        datasette,
        request,
        "compliance.html",
        {
            "database": db.name,
            "rows": page,
            "years": years,
            "filters": filters,
            "year": year,
            "filter_choices": filter_choices(filters),
            "statuses": [(s, label("compliance_status", s)) for s in agencies.STATUSES],
            "csv_url": datasette.urls.path(f"/{db.name}/-/compliance.csv") + ("?" + urlencode(args) if args else ""),
            "next_url": "?" + urlencode(next_args) if next_args else None,
            "feeds": grid_feed_links(datasette, db.name, filters),
        },
    )


def filter_choices(filters):
    """The kinds and levels a filter can take, with their Chinese words."""
    return {
        "kind": [(k, label("agency_kind", k)) for k in agencies.KINDS],
        "level": [(k, label("level", k)) for k in ("national", "province", "city", "county", "township")],
        "region": filters.get("region", ""),
    }


async def compliance_csv(db, filters, year):
    rows = (await db.execute(*agencies.grid_csv(filters, year))).rows
    out = io.StringIO()  # a download: downloads.readable_downloads gives it its BOM and file name
    writer = csv.writer(out)
    if rows:
        writer.writerow(rows[0].keys())
    writer.writerows(tuple(row) for row in rows)
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{tilde_encode("按时发布情况")}.csv"'},
    )


# the agency page's chart: (series label, table, row test, column)
FIGURES = (
    ("收到申请", "t3", lambda row: row == "new_received", "total"),
    ("予以公开", "t3", lambda row: row == "granted", "total"),
    ("行政复议", "t4", lambda row: row == "review", "total"),
    ("复议纠正", "t4", lambda row: row == "review", "corrected"),
    ("行政诉讼", "t4", lambda row: row.startswith("litigation"), "total"),
    ("诉讼纠正", "t4", lambda row: row.startswith("litigation"), "corrected"),
)


# the agency page's two charts, one measure (件) on each axis: applications, and appeals
FIGURE_CHARTS = (
    ("各年度收到申请与予以公开", ("收到申请", "予以公开")),
    ("各年度行政复议、行政诉讼及纠正", ("行政复议", "复议纠正", "行政诉讼", "诉讼纠正")),
)


def figure_charts(name, years, failing):
    """The SVG of each of FIGURE_CHARTS over the agency's years; a year whose reports fail
    their checks is marked with ＊ (the table under the charts says which)."""
    categories = sorted(years)
    labels = [f"{y}＊" if y in failing else str(y) for y in categories]
    return [
        column_chart(
            f"{name}：{title}", "件", labels, {series: [years[y][series] for y in categories] for series in names}
        )
        for title, names in FIGURE_CHARTS
    ]


def figures_by_year(rows):
    """{year: {series: value}} summed over the agency's reports of each year, and the years
    whose reports fail their checks."""
    years, failing = {}, set()
    for row in rows:
        if row["check_status"] == "fail":
            failing.add(row["year"])
        for name, table, row_test, column in FIGURES:
            if row["table_key"] == table and row["col_key"] == column and row_test(row["row_key"]):
                series = years.setdefault(row["year"], {n: 0 for n, *_ in FIGURES})
                series[name] += row["value"] or 0
    return years, failing


async def agency_page(datasette, request):
    db = database_of(datasette, request)
    found = (await db.execute(agencies.AGENCY_BY_ID, [request.url_vars["id"]])).rows
    if not found:
        return Response.html("<h1>没有这个机关</h1>", status=404)
    agency = dict(found[0])
    reports = [dict(row) for row in (await db.execute(agencies.AGENCY_REPORTS, [agency["id"]])).rows]
    for report in reports:
        report["href"] = datasette.urls.path(f"/{db.name}/reports/{report['id']}")
        report["check_label"] = label("check_status", report["check_status"]) or "不详"
    grid = []
    for cell in (await db.execute(agencies.AGENCY_COMPLIANCE, [agency["id"]])).rows:
        grid.append(
            {
                **dict(cell),
                "href": cell_link(datasette, db.name, cell),
                "title": cell_title(cell),
                "word": label("compliance_status", cell["status"]),
            }
        )
    years, failing = figures_by_year((await db.execute(agencies.AGENCY_FIGURES, [agency["id"]])).rows)
    categories = sorted(years)
    chart = Markup("".join(figure_charts(agency["name"], years, failing))) if categories else None
    names = [
        {**dict(row), "how_label": label("name_match", row["how"])}
        for row in (await db.execute(agencies.AGENCY_NAMES, [agency["id"]])).rows
    ]
    failures = (await db.execute(agencies.AGENCY_FAILURES, {"agency": agency["id"]})).rows
    return await render(
        datasette,
        request,
        "agency.html",
        {
            "database": db.name,
            "agency": agency,
            "kind_label": label("agency_kind", agency["kind"]),
            "level_label": label("level", agency["level"]),
            "reports": reports,
            "grid": grid,
            "chart": chart,
            "figures": [(y, years[y], y in failing) for y in categories],
            "figure_names": [name for name, *_ in FIGURES],
            "names": names,
            "failures": failures,
            "feeds": feed_links(datasette, db.name, {"agency": agency["id"]}, f"{agency['name']}："),
            "grid_url": datasette.urls.path(f"/{db.name}/-/compliance?region={agency['region'] or ''}"),
        },
    )


async def feed_page(datasette, request):
    """late.atom or missing.atom, ?region=&agency=&kind=&level= (each optional)."""
    db = database_of(datasette, request)
    status = request.url_vars["status"]
    filters = {column: request.args[column] for column in agencies.FEED_FILTERS if request.args.get(column)}
    rows = (await db.execute(*agencies.feed_rows(status, filters))).rows
    entries = [feed_entry(datasette, request, db.name, row) for row in rows]
    query = urlencode(sorted(filters.items()))
    narrowed = "".join(f" · {word}" for word in filter_words(filters, rows[0]["name"] if rows else None))
    alternate = f"/{db.name}/-/agency/{filters['agency']}" if filters.get("agency") else grid_path(db.name, filters)
    body = atom_feed(
        tag_uri("compliance", status, *([query] if query else [])),
        f"政府信息公开工作年度报告：{FEEDS[status]}{narrowed}",
        datasette.absolute_url(request, request.path + (f"?{query}" if query else "")),
        entries,
        alternate_url=datasette.absolute_url(request, datasette.urls.path(alternate)),
    )
    return Response(body, content_type=ATOM_TYPE)


def grid_path(database, filters):
    """The grid under a feed's filters that it takes too (its region is a whole name, the
    feed's a prefix)."""
    shared = {column: filters[column] for column in agencies.GRID_FILTERS if column in filters}
    return f"/{database}/-/compliance" + (f"?{urlencode(shared)}" if shared else "")


def feed_entry(datasette, request, database, row):
    if row["status"] == "late":
        title = f"{row['name']} {row['year']}年度报告逾期 {row['days_late']} 天发布"
        summary = f"期限 {row['deadline']}，{label('date_source', row['date_source'])} {row['date']}。地区：{row['region'] or '不详'}"
        updated = row["date"]
    else:
        title = f"{row['name']} 未见 {row['year']}年度报告"
        summary = (
            f"期限 {row['deadline']} 已过，{label('compliance_reason', row['reason'])}。地区：{row['region'] or '不详'}"
        )
        updated = row["deadline"]
    link = (
        cell_link(datasette, database, row)
        if row["report_id"]
        else datasette.urls.path(f"/{database}/-/agency/{row['agency_id']}")
    )
    return {
        "id": tag_uri("compliance", row["status"], row["agency_id"], row["year"]),
        "title": title,
        "link": datasette.absolute_url(request, link),
        "updated": updated,
        "summary": summary,
        "author": row["name"],
    }
