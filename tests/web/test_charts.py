"""/-/charts on an archive of reports from two provinces, two levels and two years: one
measure per chart (its own axis), round ticks, filters that change the data, each chart's
link a canned query answering 200 with the chart's figures, and an SVG that scales to the
page's width."""

import asyncio
import re
import shutil
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from datasette.app import Datasette
from helpers import FIXTURES, datasette_get

from govreports import charts
from govreports.public import public_metadata
from govreports.serve import METADATA
from storage import migrations, queries, reports, schema

pytestmark = pytest.mark.unit  # an archive written here, Datasette in process: no network

# (id, region, level, year, 表三 本年新收申请 total, 表四 复议 total)
REPORTS = [
    ("a", "江苏省淮安市洪泽区", "county", 2021, 296, 11),
    ("b", "江苏省淮安市", "city", 2021, 1200, 40),
    ("c", "江苏省淮安市洪泽区", "county", 2022, 310, 7),
    ("d", "浙江省杭州市西湖区", "county", 2022, 95, 3),
    ("e", "北京市朝阳区", "county", 2022, 13, 0),
]


def stored_report(rid, region, level, year, received, reviews):
    row = {
        "id": rid,
        "url": f"http://x.gov.cn/{rid}.html",
        "title": f"{region}{year}年政府信息公开工作年度报告",
        "agency": f"{region}人民政府",
        "year": year,
        "layout": "2021",
        "published": f"{year + 1}-03-01",
        "portal_id": rid,
        "source_format": "html",
        "source_url": f"http://x.gov.cn/{rid}.html",
        "sections": "{}",
        "source_hashes": rid,
        "extractor_version": "1",
        "text": "正文",
        "region": region,
        "level": level,
    }
    facts = [
        {"table": "t3", "row": "new_received", "col": "total", "value": received, "raw": str(received)},
        {"table": "t3", "row": "granted", "col": "total", "value": received - 1, "raw": str(received - 1)},
        {"table": "t4", "row": "review", "col": "total", "value": reviews, "raw": str(reviews)},
    ]
    return row, facts, [{"rule": "t3_balance", "status": "pass", "detail": ""}]


def write_archive(path):
    """An archive of REPORTS at path (its summaries refreshed); path."""
    migrations.migrate(path)
    db = schema.open_db(path)
    reports.save_reports(db, [stored_report(*r) for r in REPORTS])
    reports.refresh_summaries(db)
    db.close()
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return write_archive(tmp_path_factory.mktemp("charts") / "archive.db")


def chart(page, name):
    """The SVG of one chart on the page, and its canned query's link."""
    section = re.search(rf'<section class="gr-chart" id="{name}">(.*?)</section>', page, re.S).group(1)
    svg = re.search(r"<svg.*?</svg>", section, re.S)
    link = re.search(r'<a href="([^"]+)">图表背后的数据与查询', section).group(1)
    return (svg.group(0) if svg else None), link.replace("&amp;", "&")


def ticks(svg):
    return [int(t.replace(",", "")) for t in re.findall(r'<text class="tick"[^>]*>([\d,]+)</text>', svg)]


def bar_values(svg):
    return [int(v.replace(",", "")) for v in re.findall(r"：([\d,]+) [件份]</title></rect>", svg)]


@pytest.mark.parametrize(
    "peak,expected",
    [(296, [0, 100, 200, 300]), (13, [0, 5, 10, 15]), (1, [0, 1]), (0, [0, 1]), (1821, [0, 500, 1000, 1500, 2000])],
)
def test_ticks_are_round(peak, expected):
    assert charts.round_ticks(peak) == expected


def test_every_tick_is_one_two_or_five_times_a_power_of_ten():
    for peak in range(1, 3000, 7):
        found = charts.round_ticks(peak)
        step = found[1]
        assert re.fullmatch(r"[125]0*", str(step)), (peak, found)
        assert found[-1] >= peak and found[-2] < peak and len(found) <= charts.MOST_TICKS + 2


def test_each_chart_has_one_measure_on_its_own_axis(archive):
    page = datasette_get(archive, "/-/charts").text
    received_svg, _ = chart(page, "chart_applications_by_year")
    reports_svg, _ = chart(page, "chart_reports_by_region")
    applications_svg, _ = chart(page, "chart_applications_by_region")
    assert bar_values(received_svg) == [296 + 1200, 310 + 95 + 13]  # 2021, 2022
    assert ticks(received_svg) == [0, 500, 1000, 1500]
    # the report counts (2 at most per region) no longer share an axis with the applications (1,200)
    assert ticks(reports_svg) == [0, 1, 2] and "份" in reports_svg and "本年新收申请" not in reports_svg
    assert ticks(applications_svg) == [0, 500, 1000, 1500]
    assert sorted(bar_values(applications_svg)) == sorted([296 + 310, 1200, 95, 13])
    for name in ("chart_applications_by_year", "chart_reports_by_region"):
        assert all(tick % 1 == 0 for tick in ticks(chart(page, name)[0]))


@pytest.mark.parametrize(
    "query,received_by_year,regions",
    [
        ("region=江苏省", [1496, 310], {"淮安市洪泽区", "淮安市"}),
        ("level=county", [296, 418], {"江苏省淮安市洪泽区", "浙江省杭州市西湖区", "北京市朝阳区"}),
        ("year=2022&region=浙江省", [95], {"杭州市西湖区"}),
    ],
)
def test_filters_change_the_data(archive, query, received_by_year, regions):
    page = datasette_get(archive, f"/-/charts?{query}").text
    received_svg, _ = chart(page, "chart_applications_by_year")
    assert bar_values(received_svg) == received_by_year
    reports_svg, _ = chart(page, "chart_reports_by_region")
    assert set(re.findall(r'text-anchor="end">([^<]+)<title>', reports_svg)) == regions


def test_no_data_for_the_filters_says_so(archive):
    page = datasette_get(archive, "/-/charts?region=广东省").text
    assert page.count("没有符合筛选条件的数据") == len(charts.CHARTS)


def test_each_chart_links_to_its_query_with_the_same_figures(archive):
    page = datasette_get(archive, "/-/charts?level=county").text
    for name, *_ in charts.CHARTS:
        svg, link = chart(page, name)
        url = urlsplit(link)
        assert url.path == f"/archive/{name}" and parse_qs(url.query) == {"level": ["county"]}
        assert datasette_get(archive, link).status_code == 200
        rows = datasette_get(archive, f"{url.path}.json?{url.query}&region=&year=&_shape=array").json()
        figures = [value for row in rows for value in list(row.values())[1:]]
        assert sorted(bar_values(svg)) == sorted(figures)


def test_charts_fit_any_width(archive):
    page = datasette_get(archive, "/-/charts").text
    svgs = [chart(page, name)[0] for name, *_ in charts.CHARTS]
    assert all(re.match(r'<svg[^>]* viewBox="0 0 480 \d+" width="100%"', svg) for svg in svgs)


def test_filter_form_offers_years_levels_and_provinces(archive):
    page = datasette_get(archive, "/-/charts").text
    assert '<option value="2022">2022</option>' in page and '<option value="county">县级</option>' in page
    assert {"江苏省", "浙江省", "北京市"} <= set(re.findall(r'<option value="([^"]+)">', page))


@pytest.mark.parametrize(
    "region,province",
    [
        ("江苏省淮安市洪泽区", "江苏省"),
        ("北京市朝阳区", "北京市"),
        ("内蒙古自治区呼和浩特市", "内蒙古自治区"),
        ("香港特别行政区", "香港特别行政区"),
    ],
)
def test_province_of(region, province):
    assert charts.province_of(region) == province


def test_an_archive_made_before_the_chart_summaries_gets_them_from_its_facts(tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(FIXTURES / "archive_before_migrations.db", path)
    assert "add_chart_summaries" in migrations.migrate(path)
    with sqlite3.connect(path) as conn:
        every_report = {**dict.fromkeys(charts.FILTERS, ""), "include_failing": "1"}
        by_year = dict(conn.execute(queries.CHART_APPLICATIONS_BY_YEAR, every_report).fetchall())
        facts = conn.execute(
            "select r.year, sum(f.value) from facts f join reports r on r.id = f.report_id"
            " where f.table_key = 't3' and f.row_key = 'new_received' and f.col_key = 'total' group by r.year"
        ).fetchall()
    assert by_year and by_year == {year: int(total) for year, total in facts}


def test_the_charts_and_their_queries_answer_in_public_mode(archive):
    async def get(paths):
        metadata = public_metadata(yaml.safe_load(METADATA.read_text(encoding="utf-8")))
        ds = Datasette([str(archive)], metadata=metadata)
        return [await ds.client.get(path) for path in paths]

    charts_page, query = asyncio.run(
        get(["/-/charts?level=county", "/archive/chart_appeals_by_year.json?region=&level=county&year=&_shape=array"])
    )
    assert charts_page.status_code == 200 and "图表背后的数据与查询" in charts_page.text
    assert query.status_code == 200 and query.json() == [
        {"报告年度": 2021, "行政复议": 11, "行政诉讼": 0},
        {"报告年度": 2022, "行政复议": 10, "行政诉讼": 0},
    ]
