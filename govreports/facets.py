"""A Datasette facet type, `counted`, for the pages that grow with the archive.

Datasette's column facet groups every matching row on every page view: at a million
reports, seconds for the ten million checks. For the pages storage.schema.FACET_SUMMARIES
names (reports, checks, fetches, documents, report_urls), filtered only by equality on
their facet columns (or not at all), the counts come from the page's summary table instead
(report_counts, check_counts, ...; reports.refresh_summaries rebuilds them after each
extraction run), so the page costs the same at any size. Any other filter (a search, a
`_where`, another column) falls back to the column facet's own grouping.
Configured in metadata.yml as `facets: [{counted: year}, ...]`; `?_facet_counted=col` too.
"""

from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

from storage import queries
from storage.schema import FACET_SUMMARIES

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


def summary_filters(args, columns):
    """{column: value} when every filter is an equality on one of the summary's columns,
    else None."""
    filters = {}
    for key, value in args:
        column = key[: -len("__exact")] if key.endswith("__exact") else key
        if column in columns:
            filters[column] = value
        elif key not in NEUTRAL_ARGS:
            return None
    return filters


class CountedFacet(ColumnFacet):
    type = "counted"

    async def facet_results(self):
        pairs = self.get_querystring_pairs()
        summary = FACET_SUMMARIES.get(self.table)
        filters = summary_filters(pairs, summary[1]) if summary else None
        if filters is None:
            return await super().facet_results()
        results = []
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            if column in summary[1]:
                results.append(await self.counted(summary, column, filters, config["source"], pairs))
        return results, []

    async def counted(self, summary, column, filters, source, pairs):
        size = self.get_facet_size()
        table, _, count = summary
        sql = queries.summary_facet_counts(table, column, count, filters, size)
        rows = (await self.ds.execute(self.database, sql, filters)).rows
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
