"""Server-rendered SVG charts for the /-/charts page: no JavaScript, no CDN, works offline.
The reports whose checks fail are left out unless `?include_failing=1`; each chart says how
many reports it counted and left out (计入/未计入)."""

import html

from storage import queries

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")

# Read from the summaries (storage/queries.py), so the page costs the same at any size.
CHARTS = (
    {
        "id": "applications-appeals",
        "title": "各年度收到申请与行政复议、行政诉讼数量",
        "stacked": False,
        "sql": queries.APPLICATIONS_AND_APPEALS_BY_YEAR,
    },
    {
        "id": "outcomes",
        "title": "各年度申请办理结果构成（表三总计列）",
        "stacked": True,
        "sql": queries.OUTCOMES_BY_YEAR,
    },
    {
        "id": "regions",
        "title": "各地区报告数与收到申请数",
        "stacked": False,
        "sql": queries.REPORTS_AND_APPLICATIONS_BY_REGION,
    },
)


def bar_chart(title, categories, series, stacked=False, width=760, height=320):
    """Grouped or stacked bars as an SVG string; categories along x, one colour per series."""
    left, bottom, top = 60, 40, 40
    plot_w, plot_h = width - left - 20, height - top - bottom
    names = list(series)
    totals = [
        sum(series[n][i] for n in names) if stacked else max((series[n][i] for n in names), default=0)
        for i in range(len(categories))
    ]
    peak = max(totals + [1])
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.8 / (1 if stacked else max(len(names), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height + 24}" '
        f'aria-label="{html.escape(title)}" font-family="sans-serif" font-size="12">',
        f'<text x="{left}" y="20" font-size="15" font-weight="bold">{html.escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
        )
    for i, category in enumerate(categories):
        x0 = left + slot * i + slot * 0.1
        stack = 0
        for k, name in enumerate(names):
            value = series[name][i] or 0
            h = plot_h * value / peak
            x = x0 if stacked else x0 + k * bar_w
            y = top + plot_h - h - (plot_h * stack / peak if stacked else 0)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{COLORS[k % len(COLORS)]}"><title>{html.escape(str(category))} '
                f"{html.escape(name)}: {value:,.0f}</title></rect>"
            )
            stack += value if stacked else 0
        parts.append(
            f'<text x="{x0 + slot * 0.4:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{html.escape(str(category))[:10]}</text>"
        )
    for k, name in enumerate(names):
        x = left + k * 110
        parts.append(
            f'<rect x="{x}" y="{height + 6}" width="12" height="12" fill="{COLORS[k % len(COLORS)]}"/>'
            f'<text x="{x + 16}" y="{height + 16}">{html.escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


async def render_charts(db, include_failing=False):
    """The charts' sections, each saying how many reports it counted and left out (those
    whose checks fail, unless include_failing)."""
    params = {"include_failing": "1" if include_failing else ""}
    counted, left_out = (await db.execute(queries.CHART_REPORT_COUNTS, params)).rows[0]
    note = (
        f'<p class="gr-counted">计入 {counted:,} 份报告；未计入 {left_out:,} 份'
        + ('（勾稽校验未通过，<a href="?include_failing=1">计入它们</a>）' if not include_failing else "")
        + ('（已计入勾稽校验未通过的报告，<a href="?">不计入它们</a>）' if include_failing else "")
        + "。</p>"
    )
    sections = []
    for chart in CHARTS:
        result = await db.execute(chart["sql"], params)
        columns = [c for c in result.columns if c != "category"]
        categories = [row["category"] for row in result.rows]
        series = {c: [row[c] or 0 for row in result.rows] for c in columns}
        svg = (
            bar_chart(chart["title"], categories, series, chart["stacked"])
            if categories
            else f"<p>{html.escape(chart['title'])}：暂无数据</p>"
        )
        sections.append(f'<section id="{chart["id"]}">{svg}{note}</section>')
    return sections
