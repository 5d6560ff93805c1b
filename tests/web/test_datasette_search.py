"""Chinese search through Datasette itself (the plugin is registered by entry point)."""

import re
import sqlite3
import unicodedata

import pytest
from helpers import datasette_get

from storage.schema import FTS_OPTIONS
from storage.search import fts_query, index_text

QUERIES = [
    "公开",
    "复议",
    "依申请公开",
    "乌兰察布市财政局",
    "2020年",
    "示例县教育局",
    "年",
    "行政 诉讼",
    "申请25件",
    "财政局2020年",
]


def substring_scan(db_path, query):
    """The reports whose title, agency or text contain every term (whitespace ignored)."""

    def fold(text):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").casefold())

    with sqlite3.connect(db_path) as conn:
        reports = conn.execute("select id, title, agency, text from reports").fetchall()
    return {
        rid for rid, *fields in reports if all(any(fold(term) in fold(f) for f in fields) for term in query.split())
    }


@pytest.mark.parametrize("query", QUERIES)
def test_search_returns_exactly_the_reports_containing_it(sample_crawl, query):
    response = datasette_get(sample_crawl["db"], f"/archive/reports.json?_search={query}&_shape=array&_size=max")
    assert response.status_code == 200
    found = {r["id"] for r in response.json()}
    expected = substring_scan(sample_crawl["db"], query)
    assert expected, f"the sample portal should contain {query}"
    assert found == expected


def test_search_box_page_renders_results(sample_crawl):
    response = datasette_get(sample_crawl["db"], "/archive/reports?_search=复议")
    assert response.status_code == 200
    assert "乌兰察布市财政局2020年政府信息公开工作年度报告" in response.text


def test_canned_search_highlights_the_term(sample_crawl):
    response = datasette_get(sample_crawl["db"], "/archive/search_reports.json?q=依申请公开&_shape=array")
    results = response.json()
    assert results and all("【依申请公开】" in r["摘要"] for r in results)


def test_facets_and_chinese_metadata(sample_crawl):
    response = datasette_get(sample_crawl["db"], "/archive/reports.json?_facet=year&_facet=layout&_facet=agency")
    facets = response.json()["facet_results"]
    assert {"year", "layout", "agency"} <= set(facets)
    layouts = {v["value"]: v["count"] for v in facets["layout"]["results"]}
    assert layouts == {"2019": 6, "2021": 7}
    page = datasette_get(sample_crawl["db"], "/archive/reports")
    assert "年度报告" in page.text


@pytest.mark.parametrize("query", ["", "   ", "!!!", '"', "AND", "NOT OR", "*"])
def test_odd_queries_never_raise(query):
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table f using fts5(t)")
    conn.execute("insert into f values (?)", [index_text("行政复议 AND 2020 年")])
    conn.execute("select * from f where f match ?", [fts_query(query)]).fetchall()


@pytest.mark.parametrize(
    "text,query",
    [
        ("自 然 人", "自然人"),  # PDF text layer with spaces between Han characters
        ("2020 年政府信息公开", "2020年"),  # a gap between digits and Han
        ("行政复议", "复议"),
        ("行政复议", "议"),  # one character
        ("乌兰察布市财政局2020年度", "乌兰察布市财政局"),
        ("ＡＢＣ全角", "abc"),  # NFKC + casefold
        # a Han run followed by digits or punctuation within the query: the index holds the
        # run's last character between them
        ("示例1县财政局2021年度报告", "示例1县财政局"),
        ("本年度共受理12件申请", "受理12件"),
        ("收到申请35件，办结", "申请35件"),
        ("行政复议、行政诉讼", "行政复议、行政诉讼"),
    ],
)
def test_tokenizer_finds_what_a_reader_sees(text, query):
    assert found(text, query)


@pytest.mark.parametrize(
    "text,query",
    [
        ("行政复议", "行政诉讼"),
        ("复议", "复议后起诉"),
        ("公开", "公 开 申请"),
        ("复议1件", "复议2件"),
        ("受理12件", "受理1件"),
    ],
)
def test_tokenizer_does_not_overmatch(text, query):
    assert not found(text, query)


def found(text, query):
    """Whether query finds text in an index of the production FTS options."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table f using fts5(t, {FTS_OPTIONS})")
    conn.execute("insert into f values (?)", [index_text(text)])
    return conn.execute("select count(*) from f where f match ?", [fts_query(query)]).fetchone()[0] == 1
