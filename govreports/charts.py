"""/-/charts: server-rendered SVG charts (no JavaScript, no CDN, works offline).

One measure per chart, so one axis: its unit named above it, ticks at round values (1-2-5
steps from zero). Filters `?region=江苏省&level=county&year=2021` (each optional) apply to
every chart; the reports whose checks fail are left out unless `&include_failing=1`, and the
page says how many reports the charts counted and left out (计入/未计入); and each chart links to its canned query (`/archive/chart_applications_by_year?
region=…`, registered by canned_queries below, the same SQL as the chart). Each SVG scales to
the page's width (viewBox, width 100%), so a phone shows the whole chart.
"""

import html
import math
from urllib.parse import urlencode

from storage import queries

from . import web
from .labels import LABELS, label

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
FILTERS = ("region", "level", "year", "include_failing")
WIDTH = 480  # viewBox units; a font of 13 units reads as 10 px on a 400 px phone
FONT = 13
MOST_TICKS = 5
BAR_WIDTH = 56  # the widest bar, in viewBox units

# (canned query name, title, unit of its one axis, shape, SQL in storage/queries.py)
CHARTS = (
    ("chart_applications_by_year", "各年度本年新收政府信息公开申请", "件", "bars", queries.CHART_APPLICATIONS_BY_YEAR),
    ("chart_appeals_by_year", "各年度行政复议、行政诉讼（表四总计）", "件", "bars", queries.CHART_APPEALS_BY_YEAR),
    ("chart_outcomes_by_year", "各年度申请办理结果构成（表三总计列）", "件", "stacked", queries.CHART_OUTCOMES_BY_YEAR),
    ("chart_reports_by_region", "各地区报告数", "份", "rows", queries.CHART_REPORTS_BY_REGION),
    ("chart_applications_by_region", "各地区本年新收申请", "件", "rows", queries.CHART_APPLICATIONS_BY_REGION),
)


def round_ticks(peak, most=MOST_TICKS):
    """Ticks from 0 past `peak` in steps of 1, 2 or 5 times a power of ten, at most `most`
    steps: 296 -> [0, 100, 200, 300], 13 -> [0, 5, 10, 15]. Counts: a step is at least 1."""
    if peak <= 0:
        return [0, 1]
    rough = peak / most
    power = 10 ** math.floor(math.log10(rough))
    step = max(1, next(m * power for m in (1, 2, 5, 10) if m * power >= rough))
    steps = math.ceil(peak / step)
    return [step * i for i in range(steps + 1)]


def _number(value):
    return f"{value:,.0f}"


def _text_width(text):
    """Width of text in viewBox units: a Han character is about a font wide, others half."""
    return sum(FONT if ord(ch) > 0x2E80 else FONT * 0.6 for ch in str(text))


def _svg(title, height, parts):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" aria-label="{html.escape(title)}" font-family="sans-serif" font-size="{FONT}">'
        + "".join(parts)
        + "</svg>"
    )


def _legend(names, y):
    """Colour keys, wrapped onto as many lines as the width needs; (parts, height)."""
    parts, x, line = [], 0.0, 0
    for k, name in enumerate(names):
        item = 18 + _text_width(name) + 14
        if x and x + item > WIDTH:
            x, line = 0.0, line + 1
        top = y + line * 20
        parts.append(
            f'<rect x="{x:.1f}" y="{top}" width="12" height="12" fill="{COLORS[k % len(COLORS)]}"/>'
            f'<text x="{x + 17:.1f}" y="{top + 11}">{html.escape(name)}</text>'
        )
        x += item
    return parts, (line + 1) * 20 if names else 0


def column_chart(title, unit, categories, series, stacked=False):
    """Vertical bars, one group (or stack) per category (a year); the value axis on the left."""
    names = list(series)
    heights = [
        sum(series[n][i] for n in names) if stacked else max(series[n][i] for n in names)
        for i in range(len(categories))
    ]
    ticks = round_ticks(max(heights, default=0))
    left = _text_width(_number(ticks[-1])) + 8
    top, plot_h = 24, 200
    plot_w = WIDTH - left - 4
    scale = plot_h / ticks[-1]
    slot = plot_w / len(categories)
    bars = 1 if stacked else len(names)
    group_w = min(slot * 0.8, BAR_WIDTH * bars)  # a few years: bars of a bar's width, not of the slot
    bar_w = group_w / bars
    every = math.ceil((_text_width("2021") + 6) / slot)  # a category label every `every` slots
    parts = [f'<text x="0" y="{FONT}" fill="#555">单位：{html.escape(unit)}</text>']
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 4}" y2="{y:.1f}" stroke="#e4e4e4"/>'
            f'<text class="tick" x="{left - 5:.1f}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>'
        )
    for i, category in enumerate(categories):
        x0, base = left + slot * i + (slot - group_w) / 2, 0
        for k, name in enumerate(names):
            value = series[name][i]
            x = x0 if stacked else x0 + k * bar_w
            y = top + plot_h - (base + value) * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{value * scale:.1f}" '
                f'fill="{COLORS[k % len(COLORS)]}"><title>{html.escape(str(category))} '
                f"{html.escape(name)}：{_number(value)} {html.escape(unit)}</title></rect>"
            )
            base += value if stacked else 0
        if i % every == 0:
            parts.append(
                f'<text x="{left + slot * (i + 0.5):.1f}" y="{top + plot_h + 17}" text-anchor="middle">'
                f"{html.escape(str(category))}</text>"
            )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 4}" y2="{top + plot_h}" stroke="#333"/>')
    legend, legend_h = _legend(names, top + plot_h + 30) if len(names) > 1 else ([], 0)
    return _svg(title, top + plot_h + 24 + legend_h + 6, parts + legend)


def short_region(region, prefix):
    """A region as a row label: without the filter's prefix, at most 9 characters (the end,
    which names the place): 江苏省淮安市洪泽区 under 江苏省 -> 淮安市洪泽区."""
    shown = region[len(prefix) :] if prefix and region.startswith(prefix) and region != prefix else region
    return shown if len(shown) <= 9 else "…" + shown[-8:]


def row_chart(title, unit, categories, values, prefix=""):
    """Horizontal bars, one row per category (a region), the value axis along the top."""
    ticks = round_ticks(max(values, default=0))
    left, top, row_h = FONT * 9 + 8, 40, 22
    plot_w = WIDTH - left - _text_width(_number(ticks[-1])) / 2 - 8
    scale = plot_w / ticks[-1]
    bottom = top + row_h * len(categories)
    parts = [f'<text x="0" y="{FONT}" fill="#555">单位：{html.escape(unit)}</text>']
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#e4e4e4"/>'
            f'<text class="tick" x="{x:.1f}" y="{top - 8}" text-anchor="middle">{_number(tick)}</text>'
        )
    for i, (category, value) in enumerate(zip(categories, values)):
        y = top + row_h * i
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{html.escape(short_region(category, prefix))}'
            f"<title>{html.escape(category)}</title></text>"
            f'<rect x="{left}" y="{y + 3}" width="{value * scale:.1f}" height="{row_h - 6}" fill="{COLORS[0]}">'
            f"<title>{html.escape(category)}：{_number(value)} {html.escape(unit)}</title></rect>"
        )
    parts.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{bottom}" stroke="#333"/>')
    return _svg(title, bottom + 6, parts)


def chosen_filters(args):
    """The filters of a request's query string, '' for those not given: {"region": "江苏省", ...};
    include_failing is '1' or ''."""
    chosen = {name: (args.get(name) or "").strip() for name in FILTERS}
    chosen["include_failing"] = "1" if chosen["include_failing"] == "1" else ""
    return chosen


async def chart_sections(db, filters, query_url):
    """Per chart: its id, title, SVG (None when no data) and the URL of its canned query."""
    sections = []
    for name, title, unit, shape, sql in CHARTS:
        result = await db.execute(sql, filters)
        categories = [row[0] for row in result.rows]
        series = {column: [row[column] or 0 for row in result.rows] for column in result.columns[1:]}
        svg = None
        if categories and shape == "rows":
            svg = row_chart(title, unit, categories, next(iter(series.values())), filters["region"])
        elif categories:
            svg = column_chart(title, unit, categories, series, stacked=shape == "stacked")
        sections.append({"id": name, "title": title, "svg": svg, "query": f"{query_url(name)}?{urlencode(filters)}"})
    return sections


async def filter_choices(db):
    """What the filter form offers: years with reports, levels, provinces with reports."""
    years = [row[0] for row in (await db.execute(queries.CHART_YEARS)).rows]
    regions = [row[0] for row in (await db.execute(queries.CHART_REGIONS)).rows]
    return {
        "years": years,
        "levels": [(key, label("level", key)) for key in LABELS["level"]],
        "provinces": sorted({province_of(region) for region in regions}),
    }


def province_of(region):
    """The province-level part of a region's name: 江苏省淮安市洪泽区 -> 江苏省, 北京市朝阳区 -> 北京市,
    内蒙古自治区呼和浩特市 -> 内蒙古自治区; a name that fits none of these, whole."""
    for end in ("省", "自治区", "特别行政区"):
        if end in region:
            return region[: region.index(end) + len(end)]
    return region[:3] if region[:3] in ("北京市", "天津市", "上海市", "重庆市") else region


def canned_queries():
    """The charts' queries as canned queries (for Datasette's canned_queries hook)."""
    return {
        name: {
            "sql": sql.strip(),
            "title": f"图表：{title}",
            "description": "地区（region，地区名称的开头，如 江苏省）、层级（level，如 county）、年度（year）可留空；"
            "勾稽校验未通过的报告不计入，include_failing 填 1 则计入。",
            "params": list(FILTERS),
        }
        for name, title, _, _, sql in CHARTS
    }


async def charts_page(datasette, request):
    """/-/charts?region=&level=&year=: the charts of the first database, filtered."""
    db = datasette.get_database()
    filters = chosen_filters(request.args)
    sections = await chart_sections(db, filters, lambda name: datasette.urls.table(db.name, name))
    counted, left_out = (await db.execute(queries.CHART_REPORT_COUNTS, filters)).rows[0]
    context = {
        "sections": sections,
        "filters": filters,
        "counted": counted,
        "left_out": left_out,
        "database": db.name,
        **await filter_choices(db),
    }
    return await web.render(datasette, request, "charts.html", context)
