"""Every canned query, the charts page and the wide views, on the crawled sample portal;
expected figures are recomputed here from the portal's ground truth (expected.json)."""

import csv
import io
from collections import defaultdict

import pytest
from datasette.utils import tilde_encode
from helpers import datasette_get


def query(db, name, **params):
    args = "&".join(f"{k}={v}" for k, v in params.items())
    response = datasette_get(db, f"/archive/{name}.json?_shape=array&{args}")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def truth_by_year(expected, table, pick, leave_out=()):
    """{year: the sum of the picked facts} over the expected reports but those titled in leave_out."""
    totals = defaultdict(float)
    for report in expected:
        if report["title"] in leave_out:
            continue
        for fact in report["facts"]:
            if fact["table"] == table and pick(fact):
                totals[report["year"]] += fact["value"]
    return totals


def failing_titles(db):
    """The titles of the reports whose checks fail (the figures leave them out by default)."""
    return {row["标题"] for row in query(db, "failing_checks")}


def test_failing_checks_name_the_cells(sample_crawl):
    rows = query(sample_crawl["db"], "failing_checks")
    assert [(r["标题"], r["规则"]) for r in rows] == [("洪泽区人民政府2023年政府信息公开工作年度报告", "t4_row_totals")]
    assert "review: 10 + 1 + 0 + 0 = 11, total printed 0" in rows[0]["涉及单元格"]


def test_missing_reports_per_agency(sample_crawl):
    """Judged per agency, not per portal: the county government (in the registry, last report
    2020) and the departments that published before 2023 and not in 2023 are missing; those
    that published 2023 are not."""
    missing = {r["机关"] for r in query(sample_crawl["db"], "missing_reports", year=2023)}
    assert "示例县人民政府" in missing
    assert {"示例县财政局", "示例县教育局", "示例县住房和城乡建设局"} <= missing
    assert not missing & {"示例县市场监督管理局", "洪泽区人民政府"}
    assert "示例县人民政府" not in {r["机关"] for r in query(sample_crawl["db"], "missing_reports", year=2020)}


def test_late_reports(sample_crawl):
    rows = query(sample_crawl["db"], "late_reports")
    assert [(r["发布机关"], r["发布日期"], r["逾期天数"]) for r in rows] == [
        ("示例县住房和城乡建设局", "2022-04-18", 77.0)
    ]


def test_top_agencies_by_applications(sample_crawl, sample_portal_expected):
    failing = failing_titles(sample_crawl["db"])
    rows = query(sample_crawl["db"], "top_agencies_by_applications", year="")
    received = sorted(
        (
            next(f["value"] for f in r["facts"] if (f["table"], f["row"], f["col"]) == ("t3", "new_received", "total")),
            r["agency"],
        )
        for r in sample_portal_expected
        if r["title"] not in failing
    )
    assert [r["本年新收申请"] for r in rows] == [v for v, _ in sorted(received, reverse=True)]
    with_failing = query(sample_crawl["db"], "top_agencies_by_applications", year="", include_failing=1)
    assert len(with_failing) == len(sample_portal_expected)
    only_2020 = query(sample_crawl["db"], "top_agencies_by_applications", year=2020)
    assert {r["报告年度"] for r in only_2020} == {2020}


@pytest.mark.parametrize("include_failing", ["", "1"])
def test_outcome_mix_by_year(sample_crawl, sample_portal_expected, include_failing):
    failing = set() if include_failing else failing_titles(sample_crawl["db"])
    rows = {r["报告年度"]: r for r in query(sample_crawl["db"], "outcome_mix_by_year", include_failing=include_failing)}

    def truth(pick):
        return truth_by_year(sample_portal_expected, "t3", lambda f: f["col"] == "total" and pick(f["row"]), failing)

    granted, denied = truth(lambda row: row == "granted"), truth(lambda row: row.startswith("denied_"))
    processed = truth(lambda row: row == "total_processed")
    for year, row in rows.items():
        assert (row["予以公开"], row["不予公开"], row["办理总计"]) == (granted[year], denied[year], processed[year])
    left_out = [r for r in sample_portal_expected if r["title"] in failing]
    assert sum(row["未计入报告数"] for row in rows.values()) == len(left_out)
    assert sum(row["报告数"] for row in rows.values()) == len(sample_portal_expected) - len(left_out)


@pytest.mark.parametrize("include_failing", ["", "1"])
def test_appeals_corrected_rate(sample_crawl, sample_portal_expected, include_failing):
    failing = set() if include_failing else failing_titles(sample_crawl["db"])
    rows = {
        r["报告年度"]: r for r in query(sample_crawl["db"], "appeals_corrected_rate", include_failing=include_failing)
    }

    def review(col):
        return truth_by_year(sample_portal_expected, "t4", lambda f: f["row"] == "review" and f["col"] == col, failing)

    total, corrected = review("total"), review("corrected")
    for year, row in rows.items():
        assert (row["复议总计"], row["复议纠正"]) == (total[year], corrected[year])
        expected_rate = round(100 * corrected[year] / total[year], 1) if total[year] else None
        assert row["复议纠正率百分比"] == expected_rate
    counted = {r["year"] for r in sample_portal_expected if r["title"] not in failing}
    assert all(rows[year]["计入报告数"] >= 1 for year in counted)


def test_the_2023_corrected_rate_leaves_out_the_failing_report(sample_crawl):
    """洪泽区's 2023 report prints a 行政复议 total of 0 beside 11 cases: by default it is not
    counted, and the figure says so; with include_failing=1 it is."""
    by_default = {r["报告年度"]: r for r in query(sample_crawl["db"], "appeals_corrected_rate")}[2023]
    assert (by_default["复议纠正"], by_default["复议总计"], by_default["未计入报告数"]) == (1, 7, 1)
    included = {r["报告年度"]: r for r in query(sample_crawl["db"], "appeals_corrected_rate", include_failing=1)}
    assert (included[2023]["复议纠正"], included[2023]["未计入报告数"]) == (2, 0)


def test_report_tables_side_by_side(sample_crawl, sample_portal_expected):
    report_id = query(sample_crawl["db"], "search_reports", q="株洲市天元区金融办")[0]["id"]
    rows = query(sample_crawl["db"], "report_tables", id=report_id)
    assert len(rows) == 6 + 25 + 3  # 2021 layout: 表二 6 rows, 表三 25, 表四 3
    assert rows[0]["表"] == "表二" and rows[0]["行"] == "规章"
    assert rows[0]["列名"] == "本年制发件数 / 本年废止件数 / 现行有效件数"
    t3_total_row = next(r for r in rows if r["表"] == "表三" and r["行"] == "（七）总计")
    assert [t3_total_row[f"第{i}列"] for i in range(1, 8)] == [0] * 7


def test_search_is_ranked_title_first(sample_crawl):
    rows = query(sample_crawl["db"], "search_reports", q="示例县教育局")
    assert rows[0]["标题"] == "示例县教育局2021年政府信息公开工作年度报告"


def test_charts_page(sample_crawl):
    page = datasette_get(sample_crawl["db"], "/-/charts")
    assert page.status_code == 200
    assert page.text.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 5
    assert "app.css" in page.text and 'class="nav-menu"' in page.text  # Datasette's base template
    for title in ("各年度本年新收政府信息公开申请", "各年度申请办理结果构成", "各地区报告数", "各地区本年新收申请"):
        assert title in page.text
    assert "<rect" in page.text
    failing = len(failing_titles(sample_crawl["db"]))
    assert failing and page.text.count(f"未计入 {failing:,} 份") == 1  # one note for every chart
    included = datasette_get(sample_crawl["db"], "/-/charts?include_failing=1")
    assert included.text.count("未计入 0 份") == 1


@pytest.mark.parametrize(
    "view,column",
    [("report_cells", "t3_new_received_total"), ("报告统计表", "表三 一、本年新收政府信息公开申请数量 总计")],
)
def test_wide_views_as_csv(sample_crawl, sample_portal_expected, view, column):
    response = datasette_get(sample_crawl["db"], f"/archive/{tilde_encode(view)}.csv?_size=max")
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == len(sample_portal_expected)
    title_col = "title" if view == "report_cells" else "标题"
    truth = {
        r["title"]: next(
            f["value"] for f in r["facts"] if (f["table"], f["row"], f["col"]) == ("t3", "new_received", "total")
        )
        for r in sample_portal_expected
    }
    for row in table:
        assert float(row[column]) == truth[row[title_col]]
