"""Datasette's own pages in Chinese (govreports/datasette_zh.py) and values shown in Chinese
(labels.shown_value through render_cell), while the JSON and CSV keep the canonical keys."""

import asyncio
import csv
import io
import re
from pathlib import Path

import datasette
import pytest
from datasette.app import Datasette
from datasette.filters import Filters
from helpers import ROOT, datasette_get
from test_charts import stored_report

from govreports import datasette_zh
from govreports.labels import LABELS, check_detail
from storage import migrations, reports, schema

pytestmark = pytest.mark.unit  # an archive written here, Datasette in process: no network

DATASETTE_TEMPLATES = Path(datasette.__file__).parent / "templates"
DETAIL = "review: 10 + 1 + 0 + 0 = 11, total printed 0"
ENGLISH = [
    "Next page",
    "Advanced export",
    'value="Apply"',
    "This data as",
    "Export CSV",
    "Suggested facets",
    "- remove filter -",
    ">contains<",
    " rows",
    "Custom SQL query",
    "Run SQL",
    "Powered by",
    "Queries took",
    "Data license",
    ">home<",
    "(date)",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("zh") / "archive.db"
    migrations.migrate(path)
    db = schema.open_db(path)
    entries = []
    for n in range(60):  # more than a page (50 rows)
        row, facts, _ = stored_report(f"r{n:02d}", "江苏省淮安市洪泽区", ("county", "city")[n % 2], 2021, 10 + n, 1)
        checks = [
            {"rule": "t4_row_totals", "status": "fail" if n == 0 else "pass", "detail": DETAIL if n == 0 else ""},
            {"rule": "text_versus_table", "status": "not_assessable", "detail": "the cells for reviews were not read"},
        ]
        entries.append(({**row, "check_status": "fail" if n == 0 else "pass"}, facts, checks))
    reports.save_reports(db, entries)
    reports.refresh_summaries(db)
    db.close()
    return path


def visible_text(page):
    """A page's text as read: no script, style, tag or attribute but a button's value."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", "", page)
    page = re.sub(r'<input[^>]*type="submit"[^>]*value="([^"]*)"[^>]*>', r' value="\1" ', page)
    return re.sub(r"<[^>]+>", " ", page)


def test_every_text_is_found_in_the_installed_datasettes_templates():
    for name, texts in datasette_zh.TEXTS.items():
        source = (DATASETTE_TEMPLATES / name).read_text(encoding="utf-8")
        for english, _ in texts:
            assert english in source, (name, english)


def test_every_filter_operator_has_a_chinese_word():
    shown = {display for _, display, _ in Filters([]).lookups()}
    assert shown <= set(datasette_zh.OPERATORS), shown - set(datasette_zh.OPERATORS)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/archive",
        "/archive/checks",
        "/archive/reports?level=county&_sort_desc=year",
        "/archive/portals?_search=x&_facet=level",
        "/archive/failing_checks",
    ],
)
def test_datasette_pages_are_in_chinese(archive, path):
    response = datasette_get(archive, path)
    assert response.status_code == 200, response.text[:300]
    text = visible_text(response.text)
    assert not [word for word in ENGLISH if word in text], [word for word in ENGLISH if word in text]
    assert "基于" in text  # the footer


def test_table_page_words(archive):
    text = visible_text(datasette_get(archive, "/archive/checks").text)
    for words in ("共 120 行", "下一页", "高级导出", 'value="应用"', 'value="导出 CSV"', "此数据的格式"):
        assert words in text, words
    filtered = datasette_get(archive, "/archive/reports?level=county&_sort_desc=year").text
    assert "level 等于 县级，按 year 降序" in filtered
    assert '<option value="contains">包含</option>' in filtered


def test_values_are_shown_in_chinese_on_pages(archive):
    page = datasette_get(archive, "/archive/checks?rule=t4_row_totals&status=fail").text
    cells = re.findall(r'<td class="col-(\w+)[^"]*">(.*?)</td>', page, re.S)
    shown = {column: value.strip() for column, value in cells}
    assert shown["rule"] == "表四各行合计" and shown["status"] == "未通过"
    assert shown["detail"] == "行政复议：各项相加 10 + 1 + 0 + 0 = 11，但印出的总计为 0"
    reports_page = datasette_get(archive, "/archive/reports?_facet=level").text
    assert '<td class="col-level type-str">县级</td>' in reports_page
    assert re.search(r'<a href="[^"]*">县级</a> 30', reports_page)  # the facet's value
    canned = datasette_get(archive, "/archive/failing_checks").text
    assert "表四各行合计" in canned and "t4_row_totals" not in visible_text(canned)
    assert "无法判断" in datasette_get(archive, "/archive/checks?status=not_assessable").text


def test_query_parameters_are_named_in_chinese(archive):
    page = datasette_get(archive, "/archive/top_agencies_by_applications?year=2021").text
    assert '<label for="qp1">年度（year）</label>' in page and ">隐藏</a>" in page


def test_json_and_csv_keep_the_canonical_keys(archive):
    rows = datasette_get(archive, "/archive/checks.json?_shape=array&rule=t4_row_totals&status=fail").json()
    assert (rows[0]["rule"], rows[0]["status"], rows[0]["detail"]) == ("t4_row_totals", "fail", DETAIL)
    table = list(csv.DictReader(io.StringIO(datasette_get(archive, "/archive/reports.csv?_size=max").text)))
    assert {row["level"] for row in table} == {"county", "city"}
    facets = datasette_get(archive, "/archive/reports.json?_facet=level").json()["facet_results"]
    assert {value["value"] for value in facets["level"]["results"]} == {"county", "city"}
    canned = datasette_get(archive, "/archive/failing_checks.json?_shape=array").json()
    assert canned[0]["规则"] == "t4_row_totals" and canned[0]["涉及单元格"] == DETAIL


@pytest.mark.parametrize(
    "detail,chinese",
    [
        (DETAIL, "行政复议：各项相加 10 + 1 + 0 + 0 = 11，但印出的总计为 0"),
        (
            "total: outcomes add up to 25, total_processed printed 24",
            "总计：各项办理结果相加为 25，但印出的办理总计为 24",
        ),
        ("missing cells: granted.total, review.total", "缺少单元格：（一）予以公开·总计、行政复议·总计"),
        ("no cells read for t2, t4", "未读到单元格：表二、表四"),
        ("the cells for reviews were not read", "未读到行政复议的单元格"),
        (
            "t3 granted/partially_granted: 5 cells for 7 columns, empty cells lost in the flattened text"
            " and the identities leave no readings: row not read",
            "表三 （一）予以公开、（二）部分公开：5 个数值对应 7 列，平铺的文本丢了空单元格，勾稽关系下仍有 0 种读法：此行未读取",
        ),
        (
            "t3 granted total printed twice: '5' kept, '6' ignored",
            "表三 （一）予以公开·总计 印出两次：保留 '5'，忽略 '6'",
        ),
        (
            "2 cells left out, not read with enough confidence: t3 granted total, t4 review total",
            "2 个单元格识别把握不足，未采用：表三 （一）予以公开 总计、表四 行政复议 总计",
        ),
        ("a sentence of no known form", "a sentence of no known form"),
    ],
)
def test_check_details_in_chinese(detail, chinese):
    assert check_detail(detail) == chinese


def test_every_rule_the_extractors_write_has_a_chinese_name():
    """The checks' rules (check("t3_balance", …), _row_totals("t4_row_totals", …), "rule": "…") and the reading problems stored as
    checks (problems.append(("misaligned_row", …)))."""
    rules = set()
    for path in (ROOT / "extractors").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rules |= set(re.findall(r'(?:"rule": |check\(|_row_totals\(|_RULE = )"([a-z][a-z0-9_]+)"', source))
        rules |= set(re.findall(r'(?:problems\.append\(|return \(\), \()\s*\(\s*"(\w+)"', source))
    assert {"t4_row_totals", "misaligned_row", "cross_year_carry"} <= rules
    assert rules <= set(LABELS["rule"]), rules - set(LABELS["rule"])


def test_the_projects_pages_have_the_labels_as_filters():
    ds = Datasette([], metadata={})
    asyncio.run(ds.invoke_startup())
    shown = ds.jinja_env.from_string("{{ 'county'|label('level') }} {{ 'x'|label('level') }} {{ d|check_detail }}")
    assert (
        asyncio.run(shown.render_async(d=DETAIL)) == "县级 x 行政复议：各项相加 10 + 1 + 0 + 0 = 11，但印出的总计为 0"
    )


def test_the_report_and_search_pages_show_values_in_chinese(archive):
    report = datasette_get(archive, "/archive/reports/r00").text
    for shown in (
        "县级",
        "2021年版表格",
        "未通过",
        "表四各行合计",
        "行政复议：各项相加 10 + 1 + 0 + 0 = 11",
        "无法判断",
    ):
        assert shown in report, shown
    assert "t4_row_totals" not in visible_text(report) and DETAIL not in report
    search = datasette_get(archive, "/-/search?q=洪泽区&level=city").text
    assert re.search(r'<a href="[^"]*">地市级</a> 30', search) and "（已筛选：地市级）" in search
    rows = datasette_get(archive, "/-/search.json?q=洪泽区&columns=all").json()["rows"]
    assert {row["level"] for row in rows} == {"county", "city"}
