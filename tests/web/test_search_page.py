"""/-/search (govreports/search_page.py) on the crawled sample portal: the query syntax
finds what a substring scan finds, the three orders, numbered pages and newer/older links,
the hints when nothing is found, and the bounded walk that says where it stopped."""

import re
import sqlite3
import unicodedata

import pytest
from helpers import datasette_get

from govreports import search_page
from storage.search import parse_query


def search_json(db, query, **args):
    response = datasette_get(db, "/-/search.json?" + "&".join(f"{k}={v}" for k, v in {"q": query, **args}.items()))
    assert response.status_code == 200, response.text[:500]
    return response.json()


def fold(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").casefold())


def substring_scan(db, query):
    """The ids of the reports a reader expects: each group of the query has a term in the
    title, agency or text, and no excluded term is in any of them."""
    parsed = parse_query(query)
    with sqlite3.connect(db) as conn:
        reports = conn.execute("select id, title, agency, text from reports").fetchall()

    def holds(fields, term):
        return any(fold(term) in fold(field) for field in fields)

    return {
        rid
        for rid, *fields in reports
        if all(any(holds(fields, t) for t in group) for group in parsed.groups)
        and not any(holds(fields, t) for t in parsed.excluded)
    }


def every_page(db, query, **args):
    """The rows of every page, walked through the `next` (older) links."""
    rows, before = [], None
    while True:
        result = search_json(db, query, **args, **({"before": before} if before else {}))
        rows += result["rows"]
        before = result["next"] or (result["unsearched_below"] and result["unsearched_below"] + 1)
        if not before:
            return rows


@pytest.mark.parametrize(
    "query",
    [
        "依申请公开，复议",
        "依申请公开、复议",
        "财政局,2020年",
        "财政局 2020年",
        "财政局 OR 教育局",
        "财政局 OR 教育局 2020年",
        "公开 NOT 财政局",
        "公开 -财政局 -示例县",
        '"示例县 教育局"',
        "“市场 监督”",
    ],
)
def test_each_operator_finds_what_a_substring_scan_finds(sample_crawl, query):
    db = sample_crawl["db"]
    expected = substring_scan(db, query)
    assert expected, f"the sample portal should hold {query}"
    result = search_json(db, query)
    assert {row["id"] for row in result["rows"]} == expected and result["count"] == len(expected)


def test_sort_by_report_year_and_by_relevance(sample_crawl, monkeypatch):
    db = sample_crawl["db"]
    newest = search_json(db, "公开")["rows"]
    by_year = search_json(db, "公开", sort="year")
    years = [row["year"] for row in by_year["rows"]]
    assert years == sorted(years, reverse=True) and {r["id"] for r in by_year["rows"]} == {r["id"] for r in newest}
    assert by_year["sort"] == "year" and by_year["ranked_over"] == 13
    relevant = search_json(db, "人民政府", sort="relevance")["rows"]  # in 2 titles, 7 reports
    in_title = ["人民政府" in row["title"] for row in relevant]
    assert in_title == [True, True] + [False] * 5


def test_newest_pages_go_older_and_back_newer(sample_crawl, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 4)
    db = sample_crawl["db"]
    pages, before = [], None
    while True:
        result = search_json(db, "公开", **({"before": before} if before else {}))
        pages.append(result)
        before = result["next"]
        if not before:
            break
    assert [len(page["rows"]) for page in pages] == [4, 4, 4, 1]
    assert pages[0]["previous"] is None and all(page["previous"] for page in pages[1:])
    for older, newer in zip(pages[1:], pages):
        back = search_json(db, "公开", after=older["previous"])
        assert [row["id"] for row in back["rows"]] == [row["id"] for row in newer["rows"]]
    html = datasette_get(db, f"/-/search?q=公开&before={pages[0]['next']}").text
    assert "较早 →" in html and "← 较新" in html and "« 最新" in html


def test_year_and_relevance_have_numbered_pages(sample_crawl, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 4)
    db = sample_crawl["db"]
    pages = [search_json(db, "公开", sort="year", page=n) for n in range(1, 5)]
    assert {page["pages"] for page in pages} == {4}
    years = [row["year"] for page in pages for row in page["rows"]]
    assert len(years) == 13 and years == sorted(years, reverse=True)
    html = datasette_get(db, "/-/search?q=公开&sort=year&page=2").text
    pager = html[html.index('class="gr-pages"') :]
    assert 'class="current">2<' in pager and "page=1" in pager and "page=3" in pager and "page=4" in pager


def test_no_hits_give_hints_that_find_something(sample_crawl):
    db = sample_crawl["db"]
    result = search_json(db, "复议，量子计算")
    assert result["count"] == 0 and result["rows"] == []
    drop = next(hint for hint in result["hints"] if hint["text"] == "去掉“量子计算”")
    assert datasette_get(db, drop["href"].replace("/-/search?", "/-/search.json?")).json()["count"] == 13
    filtered = search_json(db, "复议", year=1999)
    year_hint = next(hint for hint in filtered["hints"] if "报告年度" in hint["text"])
    assert "year" not in year_hint["href"]
    html = datasette_get(db, "/-/search?q=复议&year=1999").text
    assert "没有找到" in html and "检查报告年度筛选" in html
    only_excluded = search_json(db, "-复议")
    assert only_excluded["rows"] == [] and "要包含的词" in only_excluded["hints"][0]["text"]


@pytest.mark.parametrize("args", ["sort=bm25", "page=0", "page=x", "after=-1", "before=1e3"])
def test_bad_options_are_400(sample_crawl, args):
    assert datasette_get(sample_crawl["db"], f"/-/search.json?q=复议&{args}").status_code == 400


def test_a_walk_past_its_time_says_where_it_stopped_and_goes_on(sample_crawl, monkeypatch):
    """Slices of two reports and no time: each page searches one slice, says where it
    stopped, and walking on through its link finds every hit once."""
    monkeypatch.setattr(search_page, "FIRST_SLICE", 2)
    monkeypatch.setattr(search_page, "FIRST_COUNTED_SLICE", 2)
    monkeypatch.setattr(search_page, "SEARCH_SECONDS", 0)
    db = sample_crawl["db"]
    first = search_json(db, "财政局")
    assert first["unsearched_below"] == 11 and first["count_is_lower_bound"] is True
    html = datasette_get(db, "/-/search?q=财政局").text
    assert "继续检索更早的报告" in html and "只检索了最新入库的报告" in html
    rows = every_page(db, "财政局")
    assert sorted(row["id"] for row in rows) == sorted(substring_scan(db, "财政局"))


def test_snippets_are_labelled_by_their_part_of_the_report(sample_crawl):
    rows = search_json(sample_crawl["db"], "公开")["rows"]
    sections = {section for row in rows for section in row["snippet_sections"]}
    assert "一、总体情况" in sections and None in sections  # the opening, before 一、
    html = datasette_get(sample_crawl["db"], "/-/search?q=公开").text
    assert '<span class="gr-section">一、总体情况</span>' in html and '<span class="gr-section">报告开头</span>' in html


def test_year_and_relevance_order_the_newest_hits_and_say_so(sample_crawl, monkeypatch):
    monkeypatch.setattr(search_page, "FACET_SAMPLE", 5)
    db = sample_crawl["db"]
    result = search_json(db, "公开", sort="year")
    newest_five = [row["id"] for row in search_json(db, "公开")["rows"][:5]]
    assert result["ranked_over"] == 5 and sorted(row["id"] for row in result["rows"]) == sorted(newest_five)
    assert "在最新入库的 5 个命中中排序" in datasette_get(db, "/-/search?q=公开&sort=year").text
    assert "个命中中排序" not in datasette_get(db, "/-/search?q=洪泽区&sort=year").text  # all its hits ranked
