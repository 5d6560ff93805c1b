"""A Datasette facet type, `counted`, for the reports page at a million reports.

Datasette's column facet groups every matching row on every page view. For `reports`
filtered only by equality on year, region, layout, level or check_status (or not at
all), the counts come from report_counts instead (reports.refresh_summaries rebuilds it after
each extraction run), so the page costs the same at any size. Any other filter (a search,
a `_where`, another column) falls back to the column facet's own grouping.
Configured in metadata.yml as `facets: [{counted: year}, ...]`; `?_facet_counted=col` too.
"""

from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

SUMMARY_COLUMNS = ("year", "region", "layout", "level", "check_status")
# query arguments that do not filter rows
NEUTRAL_ARGS = {
    "_facet",
    "_facet_counted",
    "_size",
    "_next",
    "_sort",
    "_sort_desc",
    "_col",
    "_nocol",
    "_labels",
    "_nofacet",
    "_nocount",
    "_trace",
    "_facet_size",
    "_shape",
}


def summary_filters(args):
    """{column: value} when every filter is an equality on a summary column, else None."""
    filters = {}
    for key, value in args:
        column = key[: -len("__exact")] if key.endswith("__exact") else key
        if column in SUMMARY_COLUMNS:
            filters[column] = value
        elif key not in NEUTRAL_ARGS:
            return None
    return filters


class CountedFacet(ColumnFacet):
    type = "counted"

    async def facet_results(self):
        pairs = self.get_querystring_pairs()
        filters = summary_filters(pairs) if self.table == "reports" else None
        if filters is None:
            return await super().facet_results()
        results = []
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            if column in SUMMARY_COLUMNS:
                results.append(await self.counted(column, filters, config["source"], pairs))
        return results, []

    async def counted(self, column, filters, source, pairs):
        size = self.get_facet_size()
        where = " and ".join([f"{c} = :{c}" for c in filters] + [f"{column} is not null"])
        rows = (
            await self.ds.execute(
                self.database,
                f"select {column} as value, sum(reports) as count from report_counts where {where} "
                f"group by {column} order by count desc, value limit {size + 1}",
                filters,
            )
        ).rows
        values = []
        for row in rows[:size]:
            selected = (column, str(row["value"])) in pairs
            path = (
                path_with_removed_args(self.request, {column: str(row["value"])})
                if selected
                else path_with_added_args(self.request, {column: row["value"]})
            )
            values.append(
                {
                    "value": row["value"],
                    "label": row["value"],
                    "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                    "selected": selected,
                }
            )
        return {
            "name": column,
            "type": self.type,
            "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_counted": column})),
            "results": values,
            "truncated": len(rows) > size,
        }
