"""The researcher's pages (govreports/web.py) on the crawled sample portal: search with
snippets, the report page with its printed tables, and the archived copy from the WARC."""

import re
import sqlite3

import pytest
from helpers import datasette_get
from test_datasette_search import substring_scan

from govreports import search_page
from govreports.fixture_server import SAMPLE_PORTAL
from storage.schema import FACET_SUMMARIES


def search_json(db, query, **args):
    extra = "".join(f"&{k}={v}" for k, v in args.items())
    response = datasette_get(db, f"/-/search.json?q={query}{extra}")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def all_pages(db, query, **args):
    rows, before = [], None
    while True:
        result = search_json(db, query, **({"before": before} if before else {}), **args)
        rows += result["rows"]
        before = result["next"]
        if before is None:
            return rows


@pytest.mark.parametrize("query", ["复议", "依申请公开", "2020年", "行政 诉讼"])
def test_search_finds_exactly_the_reports_containing_it_newest_first(sample_crawl, query, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 4)  # several pages, walked through their cursor
    rows = all_pages(sample_crawl["db"], query)
    assert {r["id"] for r in rows} == substring_scan(sample_crawl["db"], query)
    with sqlite3.connect(sample_crawl["db"]) as conn:
        nums = dict(conn.execute("select id, num from report_rows"))
    assert [nums[r["id"]] for r in rows] == sorted((nums[r["id"]] for r in rows), reverse=True)
    assert search_json(sample_crawl["db"], query)["count"] == len(rows)


def test_results_carry_metadata_snippets_and_a_link_but_no_text(sample_crawl):
    result = search_json(sample_crawl["db"], "复议")
    for row in result["rows"]:
        assert {"title", "agency", "year", "region", "report_url"} <= set(row)
        assert "text" not in row and "sections" not in row
        assert row["report_url"] == f"/archive/reports/{row['id']}"
        assert row["snippets"] and all("<mark>复议</mark>" in s for s in row["snippets"])
    full = search_json(sample_crawl["db"], "复议", columns="all")["rows"]
    assert all(row["text"] and "复议" in row["text"] and "sections" in row for row in full)


def test_facets_count_the_hits_and_filter_them(sample_crawl):
    result = search_json(sample_crawl["db"], "公开")
    years = dict(map(tuple, result["facets"]["year"]))
    assert sum(years.values()) == result["count"] == 13
    year, count = max(years.items(), key=lambda item: item[1])
    filtered = search_json(sample_crawl["db"], "公开", year=year)
    assert filtered["count"] == count and {r["year"] for r in filtered["rows"]} == {year}


def test_search_page_html_highlights_and_links(sample_crawl):
    page = datasette_get(sample_crawl["db"], "/-/search?q=复议").text
    assert page.count('class="gr-result"') == 13
    assert "<mark>复议</mark>" in page and 'href="/archive/reports/' in page
    assert "app.css" in page and 'class="nav-menu"' in page


def test_csv_of_the_results_on_request_with_every_column(sample_crawl):
    light = datasette_get(sample_crawl["db"], "/-/search.csv?q=复议").content.decode("utf-8-sig")
    full = datasette_get(sample_crawl["db"], "/-/search.csv?q=复议&columns=all").content.decode("utf-8-sig")
    assert light.splitlines()[0] == ",".join(search_page.RESULT_COLUMNS)
    assert "text" in full.splitlines()[0].split(",") and len(full) > 10 * len(light)


@pytest.mark.parametrize(
    "text,query,expected",
    [
        ("本机关收到行政复议申请2件", "复议", ["本机关收到行政<mark>复议</mark>申请2件"]),
        ("符合条件的自 然 人申请", "自然人", ["符合条件的<mark>自 然 人</mark>申请"]),
        ("<b>复议</b>", "复议", ["&lt;b&gt;<mark>复议</mark>&lt;/b&gt;"]),
        ("没有命中", "复议", []),
    ],
)
def test_snippets(text, query, expected):
    assert [
        str(s.passage) for s in search_page.snippets(text, search_page.highlight_pattern(query.split()))
    ] == expected


def test_snippets_show_a_passage_around_each_match():
    text = "甲" * 100 + "复议" + "乙" * 100 + "复议" + "丙" * 100
    passages = [str(s.passage) for s in search_page.snippets(text, search_page.highlight_pattern(["复议"]), width=10)]
    assert passages == [
        "…" + "甲" * 10 + "<mark>复议</mark>" + "乙" * 10 + "…",
        "…" + "乙" * 10 + "<mark>复议</mark>" + "丙" * 10 + "…",
    ]


def report_id(db, title):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id from reports where title = ?", [title]).fetchone()[0]


def test_report_page_draws_the_three_tables_as_printed(sample_crawl, sample_portal_expected):
    expected = next(r for r in sample_portal_expected if r["layout"] == "2021" and not r["missing_tables"])
    page = datasette_get(sample_crawl["db"], f"/archive/reports/{report_id(sample_crawl['db'], expected['title'])}")
    assert page.status_code == 200
    html = page.text
    for name in ("表二", "表三", "表四"):
        assert f">{name}</h3>" in html
    assert "一、本年新收政府信息公开申请数量" in html and "自然人" in html and "商业企业" in html
    received = next(f for f in expected["facts"] if (f["table"], f["row"], f["col"]) == ("t3", "new_received", "total"))
    t3 = html[html.index('data-table="t3"') : html.index('data-table="t4"')]
    row = t3[t3.index("一、本年新收政府信息公开申请数量") :].split("</tr>")[0]
    assert re.findall(r'<td class="value[^"]*" title="原文：[^"]*">([^<]*)</td>', row)[-1] == f"{received['value']:g}"
    for heading in ("勾稽校验", "报告正文（六个部分）", "一、总体情况", "地址", "存档的抓取", "版本"):
        assert heading in html
    assert 'class="gr-archived"' in html


def test_a_cell_shows_its_raw_text_and_flags_on_hover(sample_crawl, tmp_path):
    import shutil

    from storage import reports, schema

    db_path = tmp_path / "archive.db"
    shutil.copy(sample_crawl["db"], db_path)
    db = schema.open_db(db_path)
    row = {**dict(next(db["reports"].rows_where("layout = '2021'"))), "id": "flagged", "content_hash": None}
    facts = [
        {"table": "t3", "row": "new_received", "col": "total", "value": 0, "raw": "—", "flags": ["blank"]},
        {"table": "t3", "row": "granted", "col": "total", "value": 1200.0, "raw": "1,200"},
    ]
    reports.save_report(db, row, facts, [])
    db.close()
    html = datasette_get(db_path, "/archive/reports/flagged").text
    assert '<td class="value flagged" title="原文：—；标记：blank">0</td>' in html
    assert '<td class="value" title="原文：1,200">1200</td>' in html
    assert '<td class="missing" title="未读到">—</td>' in html  # a cell of the layout that was not read


def captures_of(db, title):
    html = datasette_get(db, f"/archive/reports/{report_id(db, title)}").text
    return re.findall(r'href="(/archive/-/capture/\d+)(?:/view)?"', html)


def test_archived_html_is_served_as_fetched_and_sandboxed(sample_crawl, sample_portal_expected):
    expected = next(r for r in sample_portal_expected if r["source_format"] == "html")
    link = captures_of(sample_crawl["db"], expected["title"])[0]
    response = datasette_get(sample_crawl["db"], link)
    assert response.status_code == 200
    assert response.content == (SAMPLE_PORTAL / expected["path"].lstrip("/")).read_bytes()
    policy = response.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script" not in policy
    assert "content-disposition" not in response.headers


def test_archived_pdf_and_docx_are_downloads(sample_crawl, sample_portal_expected):
    for fmt in ("pdf", "docx"):
        expected = next(r for r in sample_portal_expected if r["source_format"] == fmt)
        links = captures_of(sample_crawl["db"], expected["title"])
        responses = [datasette_get(sample_crawl["db"], link) for link in links]
        downloads = [r for r in responses if "attachment" in r.headers.get("content-disposition", "")]
        assert downloads, fmt
        assert any(r.content[:4] in (b"%PDF", b"PK\x03\x04") for r in downloads)


def test_unknown_report_and_capture_are_404(sample_crawl):
    assert datasette_get(sample_crawl["db"], "/archive/reports/nosuchreport").status_code == 404
    assert datasette_get(sample_crawl["db"], "/archive/-/capture/999999").status_code == 404


def facet_counts(db, path):
    facets = datasette_get(db, path).json()["facet_results"]
    return {name: {v["value"]: v["count"] for v in facet["results"]} for name, facet in facets.items()}


def grouped(db, column, where="1", page="reports"):
    with sqlite3.connect(db) as conn:
        return dict(
            conn.execute(
                f"select {column}, count(*) from {page} where {where} and {column} is not null group by {column}"
            )
        )


def test_reports_page_facets_come_from_the_summary_and_agree_with_the_rows(sample_crawl):
    db = sample_crawl["db"]
    unfiltered = facet_counts(db, "/archive/reports.json")
    assert {"year", "layout", "region", "level", "check_status"} <= set(unfiltered)
    assert unfiltered["layout"] == grouped(db, "layout") and unfiltered["year"] == grouped(db, "year")
    filtered = facet_counts(db, "/archive/reports.json?layout=2021")
    assert filtered["year"] == grouped(db, "year", "layout = '2021'")
    searched = facet_counts(db, "/archive/reports.json?_search=复议&layout=2021")  # not in the summary: grouped
    ids = ",".join(f"'{rid}'" for rid in substring_scan(db, "复议"))
    assert searched["year"] == grouped(db, "year", f"layout = '2021' and id in ({ids})")


def test_only_plain_equality_filters_are_answered_from_the_summary():
    from govreports.facets import summary_filters

    columns = FACET_SUMMARIES["reports"][1]
    assert summary_filters([("year", "2020"), ("layout__exact", "2019"), ("_size", "10")], columns) == {
        "year": "2020",
        "layout": "2019",
    }
    assert summary_filters([("year__gt", "2020")], columns) is None
    assert summary_filters([("_search", "复议")], columns) is None
    assert summary_filters([("agency", "某局")], columns) is None


@pytest.mark.parametrize("page", [page for page in FACET_SUMMARIES if page != "reports"])
def test_big_pages_facets_come_from_their_summary_and_agree_with_the_rows(sample_crawl, page, tmp_path):
    db = sample_crawl["db"]
    summary, columns, count = FACET_SUMMARIES[page]
    first, last = columns[0], columns[-1]
    assert facet_counts(db, f"/archive/{page}.json") == {c: grouped(db, c, page=page) for c in columns}
    value = next(iter(grouped(db, first, page=page)))
    filtered = facet_counts(db, f"/archive/{page}.json?{first}={value}")
    assert filtered[last] == grouped(db, last, f"{first} = '{value}'", page=page)
    copy = tmp_path / "archive.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
        target.execute(f"update {summary} set {count} = {count} * 1000")
    assert facet_counts(copy, f"/archive/{page}.json")[first] == {
        v: n * 1000 for v, n in grouped(db, first, page=page).items()
    }


def test_counts_are_capped_and_say_so(sample_crawl, monkeypatch):
    monkeypatch.setattr(search_page, "FACET_SAMPLE", 5)
    monkeypatch.setattr(search_page, "COUNT_CAP", 8)
    many = search_json(sample_crawl["db"], "公开")  # 13 reports
    assert (many["count"], many["count_is_lower_bound"], many["facets_over"]) == (8, True, 5)
    filtered = search_json(sample_crawl["db"], "公开", layout="2021")  # 7: the facet sample bounds it
    assert (filtered["count"], filtered["count_is_lower_bound"]) == (5, True)
    few = search_json(sample_crawl["db"], "乌兰察布市财政局")
    assert (few["count"], few["count_is_lower_bound"]) == (
        len(substring_scan(sample_crawl["db"], "乌兰察布市财政局")),
        False,
    )
    page = datasette_get(sample_crawl["db"], "/-/search?q=公开").text
    assert "共 8+ 份报告" in page


def test_database_page_counts_tables_but_not_the_text_facts_and_index_blobs(sample_crawl):
    tables = {t["name"]: t["count"] for t in datasette_get(sample_crawl["db"], "/archive.json").json()["tables"]}
    assert tables["report_rows"] == 13 and tables["checks"] > 0
    assert tables["report_texts"] is None and tables["fact_values"] is None and tables["reports_fts_data"] is None


@pytest.mark.parametrize("view", ["facts", "report_urls"])
def test_big_views_are_counted_only_for_one_report(sample_crawl, view):
    db = sample_crawl["db"]
    with sqlite3.connect(db) as conn:
        rid = conn.execute("select id from report_rows where facts_count > 0 limit 1").fetchone()[0]
        expected = conn.execute(f"select count(*) from {view} where report_id = ?", [rid]).fetchone()[0]
    unfiltered = datasette_get(db, f"/archive/{view}.json?_shape=objects").json()
    assert unfiltered["filtered_table_rows_count"] is None and unfiltered["rows"]
    one = datasette_get(db, f"/archive/{view}.json?_shape=objects&report_id={rid}").json()
    assert expected > 0 and one["filtered_table_rows_count"] == expected


@pytest.mark.parametrize("interrupted", ["page", "sample"])
def test_a_search_past_the_time_limit_says_so_and_shows_nothing_wrong(sample_crawl, monkeypatch, interrupted):
    from datasette.database import Database, QueryInterrupted

    execute = Database.execute
    # the page of hits comes from the facet sample or, when that fails, from a query of its own
    limits = (
        {search_page.PAGE_SIZE + 1, search_page.FACET_SAMPLE} if interrupted == "page" else {search_page.FACET_SAMPLE}
    )

    async def slow_search(self, sql, params=None, **kwargs):
        if "match :fts" in sql and (params or {}).get("limit") in limits:
            raise QueryInterrupted(Exception("interrupted"), sql, params)
        return await execute(self, sql, params, **kwargs)

    monkeypatch.setattr(Database, "execute", slow_search)
    result = search_json(sample_crawl["db"], "复议")
    assert result["timed_out"] is True and result["count"] is None
    if interrupted == "page":
        assert result["rows"] == [] and result["next"] is None
    else:  # the page of hits stands; no count or facets are made up
        assert result["rows"] and all(row["snippets"] for row in result["rows"])
        assert all(values == [] for values in result["facets"].values())
    page = datasette_get(sample_crawl["db"], "/-/search?q=复议")
    assert page.status_code == 200 and "超过了时间限制" in page.text and "结果数未知" in page.text
