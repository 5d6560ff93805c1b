"""The statements the served pages read with (govreports/: the search and report pages, the
counted facets, the charts, the table counts), run by Datasette's own connections: each a
constant, or a function giving (sql, params) where the statement depends on the request."""

from .search import fts_query_parts

# -- search ------------------------------------------------------------------


def _excluded(excluded, bounds):
    """A hit's FTS rowid is none of those the excluded terms match within the same bounds:
    the set is read once a statement, where FTS5's own NOT seeks the excluded terms' doclists
    for every hit (100 ms for 1,000 reports at a million)."""
    if not excluded:
        return []
    return [f"reports_fts.rowid not in (select rowid from reports_fts where reports_fts match :excluded{bounds})"]


def search_hits(query, filters, limit, columns="r.num", before=None, after=None, floor=None):
    """Newest matching reports first: FTS5 walks its doclist backwards and stops at `limit`.
    filters: {report_rows column: value}; before: only reports older than this num; after:
    only newer ones, oldest of them first (the page before, read backwards); floor: none at
    or below this num (a walk that must end: the slice of reports searched at once). The
    bounds are put on the FTS rowid, so FTS5 itself stops at them."""
    key = "reports_fts.rowid" if query else "r.num"
    where = [f"r.{column} = :{column}" for column in filters]
    params = {**filters, "limit": limit}
    bounds = ""
    for name, value, test in (("before", before, "<"), ("after", after, ">"), ("floor", floor, ">")):
        if value is not None:
            where.append(f"{key} {test} :{name}")
            bounds += f" and rowid {test} :{name}"
            params[name] = value
    if query:
        params["fts"], params["excluded"] = fts_query_parts(query)
        where[:0] = ["reports_fts match :fts", *_excluded(params["excluded"], bounds)]
        source = "reports_fts cross join report_rows r on r.num = reports_fts.rowid"
    else:
        source = "report_rows r"
    return (
        f"select {columns} from {source} {'where ' + ' and '.join(where) if where else ''} "
        f"order by {key} {'asc' if after else 'desc'} limit :limit",
        params,
    )


LAST_REPORT = "select max(num) from report_rows"
REPORT_COUNT = "select count(*) from report_rows"


def search_hit_count(query, cap, before=None, floor=None):
    """Matches of a search counted in the FTS index, up to cap + 1 (below before, above floor)."""
    bounds = "".join(
        f" and rowid {test} :{name}" for name, value, test in (("before", before, "<"), ("floor", floor, ">")) if value
    )
    held, excluded = fts_query_parts(query)
    where = " and ".join(["reports_fts match :fts", *_excluded(excluded, bounds)]) + bounds
    return (
        f"select count(*) from (select rowid from reports_fts where {where} limit {cap + 1})",
        {"fts": held, "excluded": excluded, "before": before, "floor": floor},
    )


def matching_between(expression, low, high):
    """The reports from num low to high that an FTS5 expression matches (search.fts_term_queries)."""
    return (
        "select rowid from reports_fts where reports_fts match :fts and rowid between :low and :high",
        {"fts": expression, "low": low, "high": high},
    )


def result_rows(count, columns=None):
    """`count` reports by num (bound as ?s), newest first: every column of `reports`, or
    these columns of report_rows and the text."""
    marks = ",".join("?" * count)
    if columns is None:
        return f"select * from reports where rowid in ({marks}) order by rowid desc"
    return (
        f"select {', '.join('r.' + c for c in columns)}, t.text from report_rows r "
        f"left join report_texts t on t.num = r.num where r.num in ({marks}) order by r.num desc"
    )


# -- one report ----------------------------------------------------------------

REPORT_BY_ID = "select * from reports where id = ?"
FACTS_OF_REPORT = "select table_key, row_key, col_key, value, raw, flags from facts where report_id = ?"
CHECKS_OF_REPORT = "select rule, status, detail from checks where report_id = ? order by rule"
VERSIONS_OF_REPORT = (
    "select version, recorded_at, extractor_version, content_hash, source_hashes "
    "from report_versions where report_id = ? order by version"
)


def captures_of(urls, first_url):
    """The archived captures of these URLs, those of first_url first, newest first."""
    marks = ",".join("?" * len(urls))
    return (
        f"select rowid, url, status, fetched_at, last_fetched_at, content_type, size, sha256 from fetches "
        f"where url in ({marks}) and warc_file is not null order by url = ? desc, fetched_at desc",
        [*urls, first_url],
    )


# Every URL of one report (the report_urls view, asked by its indexes for one report)
URLS_OF_REPORT = """
    select :url as url, 'page' as role
    union select url, 'attachment' from documents where parent_url = :url
    union select page_url, 'duplicate' from duplicates where report_id = :id
    union select d.url, 'duplicate attachment' from duplicates x join documents d on d.parent_url = x.page_url
      where x.report_id = :id
    union select alias, kind from url_aliases where url = :url
      or url in (select page_url from duplicates where report_id = :id)
    order by role, url"""


# -- tables, facets, charts ----------------------------------------------------------


def table_row_count(table):
    return f"select count(*) from [{table}]"


def summary_facet_counts(table, column, count, filters, size):
    """A facet's values with their counts, from a facet summary (schema.FACET_SUMMARIES)
    filtered by equalities on its columns; size + 1 rows at most."""
    where = " and ".join([f"{c} = :{c}" for c in filters] + [f"{column} is not null"])
    return (
        f"select {column} as value, sum({count}) as count from {table} where {where} "
        f"group by {column} order by count desc, value limit {size + 1}"
    )


def forbid_writes(conn):
    """A serving connection: SQLite refuses every write on it."""
    conn.execute("PRAGMA query_only = 1")


# The charts of /-/charts, each also a canned query (govreports/charts.py registers them), read
# from the summaries reports.refresh_summaries keeps (chart_totals, report_counts: a row per
# year, region and level), so they cost the same at a thousand reports and at a million. A
# chart's rows: the category, then one column per series. Parameters: :region (a name the
# region starts with: 江苏省, 江苏省南京市), :level (county), :year (2021); '' for any. The charts
# sum counts (件, 份): whole numbers. :include_failing ('1', else '') counts the reports whose
# checks fail too (chart_totals' `passing`, report_counts' check_status); left out by default.
CHART_PLACE = """(:year = '' or t.year = cast(:year as integer)) and (:level = '' or t.level = :level)
              and (:region = '' or substr(t.region, 1, length(:region)) = :region)"""
CHART_FILTER = f"{CHART_PLACE} and (t.passing or :include_failing = '1')"
CHART_REPORTS_FILTER = f"{CHART_PLACE} and (t.check_status is not 'fail' or :include_failing = '1')"

CHART_APPLICATIONS_BY_YEAR = f"""
            select t.year as 报告年度, cast(sum(t.received) as integer) as 本年新收申请
            from chart_totals t where t.year is not null and {CHART_FILTER}
            group by t.year order by t.year"""

CHART_APPEALS_BY_YEAR = f"""
            select t.year as 报告年度, cast(sum(t.reviews) as integer) as 行政复议,
              cast(sum(t.lawsuits) as integer) as 行政诉讼
            from chart_totals t where t.year is not null and {CHART_FILTER}
            group by t.year order by t.year"""

CHART_OUTCOMES_BY_YEAR = f"""
            select t.year as 报告年度, cast(sum(t.granted) as integer) as 予以公开,
              cast(sum(t.partially_granted) as integer) as 部分公开, cast(sum(t.denied) as integer) as 不予公开,
              cast(sum(t.unavailable) as integer) as 无法提供, cast(sum(t.not_processed) as integer) as 不予处理,
              cast(sum(t.other) as integer) as 其他处理
            from chart_totals t where t.year is not null and {CHART_FILTER}
            group by t.year order by t.year"""

CHART_REPORTS_BY_REGION = f"""
            select coalesce(t.region, '未知') as 地区, cast(sum(t.reports) as integer) as 报告数
            from report_counts t where {CHART_REPORTS_FILTER}
            group by t.region order by 报告数 desc, 地区 limit 30"""

CHART_APPLICATIONS_BY_REGION = f"""
            select coalesce(t.region, '未知') as 地区, cast(sum(t.received) as integer) as 本年新收申请
            from chart_totals t where {CHART_FILTER}
            group by t.region order by 本年新收申请 desc, 地区 limit 30"""

# (reports counted, reports left out) under the charts' filters: those whose checks fail are
# left out unless :include_failing is '1'
CHART_REPORT_COUNTS = f"""select
    coalesce(sum(case when t.check_status is not 'fail' or :include_failing = '1' then t.reports end), 0),
    coalesce(sum(case when t.check_status = 'fail' and :include_failing != '1' then t.reports end), 0)
    from report_counts t where {CHART_PLACE}"""

# What the chart filters offer: the years and regions that have reports.
CHART_YEARS = "select distinct year from report_counts where year is not null order by year desc"
CHART_REGIONS = "select distinct region from report_counts where region is not null order by region"
