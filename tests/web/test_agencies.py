"""Agencies and the compliance grid (storage/agencies.py), their pages and feeds
(govreports/agency_pages.py): each grid status on the demo portal and on fixture portals made
for it (a renamed commission, a bureau that stops publishing, a government with no report, a
portal that fails), the pages through Datasette, the Atom feeds checked against RFC 4287."""

import csv
import io
import re
import shutil
import sqlite3
import urllib.parse

import pytest
from helpers import FIXTURES, crawl_registry, datasette_get, site
from lxml import etree
from test_public_serving import get_all

from govreports.fixture_server import FixtureServer
from storage import agencies, schema

ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY = FIXTURES / "portals" / "agency_history"
DEAD_HOST = "www.quiet-county.gov.cn"  # tests/netns.py: a portal name that yields nothing


# -- names and deadlines -------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "raw,normal",
    [
        ("示例县 人民政府", "示例县人民政府"),
        ("示例县政府", "示例县人民政府"),
        ("示例县政府办公室", "示例县人民政府办公室"),
        ("示例县人民政府", "示例县人民政府"),
        ("示例区政府采购中心", "示例区政府采购中心"),  # a body of its own
        ("ＡＢＣ示例县财政局", "ABC示例县财政局"),  # full-width letters
        ("", None),
    ],
)
def test_normalise(raw, normal):
    assert agencies.normalise(raw) == normal


@pytest.mark.unit
@pytest.mark.parametrize(
    "name,kind",
    [
        ("示例县人民政府", "government"),
        ("示例县人民政府办公室", "department"),
        ("城关镇人民政府", "township"),
        ("东城街道办事处", "township"),
        ("示例县财政局", "department"),
    ],
)
def test_kind_of(name, kind):
    assert agencies.kind_of(name) == kind


@pytest.mark.unit
def test_a_short_name_is_matched_only_when_one_full_name_fits():
    assert agencies.short_form_of("洛江区财政局", {"泉州市洛江区财政局", "洛江区财政局"}) == "泉州市洛江区财政局"
    # two full names end with it: no guess
    assert agencies.short_form_of("洛江区财政局", {"泉州市洛江区财政局", "某市洛江区财政局"}) is None
    assert agencies.short_form_of("财政局", {"示例县财政局"}) is None  # names no place
    assert agencies.short_form_of("县财政局", {"示例县财政局"}) is None  # "示例" is no place name's end


@pytest.mark.unit
def test_deadlines_of_the_regulation():
    assert agencies.deadline(2023, "department") == "2024-01-31"
    assert agencies.deadline(2023, "government") == "2024-03-31"


def agency_of(kind, years, registered=False):
    reports = {
        year: [{"num": year, "id": f"r{year}", "published": published, "first_capture": capture}]
        for year, (published, capture) in years.items()
    }
    return {
        "id": "a1",
        "name": "示例",
        "kind": kind,
        "level": "county",
        "region": "示例省",
        "portal_id": "p1",
        "registered": registered,
        "years": reports,
    }


def crawl(crawled_at, list_pages=3, reason=None):
    return {"p1": {"crawled_at": crawled_at, "list_pages": list_pages, "no_reports_reason": reason}}


@pytest.mark.unit
def test_grid_rows_from_the_first_report_to_the_last_year_due():
    import datetime

    agency = agency_of("department", {2021: ("2022-01-20", None), 2022: (None, "2023-02-10T08:00:00+00:00")})
    rows = list(agencies._compliance_rows(agency, 2019, crawl("2024-02-15T00:00:00+00:00"), datetime.date(2024, 2, 1)))
    by_year = {row["year"]: row for row in rows}
    assert sorted(by_year) == [2021, 2022, 2023]  # 2023's deadline (31 January 2024) has passed
    assert by_year[2021]["status"] == "on_time"
    late = by_year[2022]  # no published date: its first capture, 10 days after 31 January
    assert (late["status"], late["days_late"], late["date_source"]) == ("late", 10, "first_capture")
    assert by_year[2023]["status"] == "missing"


@pytest.mark.unit
@pytest.mark.parametrize(
    "portals,reason",
    [
        ({}, "not_crawled"),
        (crawl("2024-05-01T00:00:00+00:00", list_pages=0, reason="failed"), "crawl_failed"),
        (crawl("2024-05-01T00:00:00+00:00", reason="blocked"), "crawl_failed"),
        (crawl("2024-03-01T00:00:00+00:00"), "crawled_before_deadline"),  # a government's: 31 March
    ],
)
def test_a_year_without_report_is_unknown_unless_the_portal_was_read_after_the_deadline(portals, reason):
    import datetime

    agency = agency_of("government", {}, registered=True)
    (row,) = agencies._compliance_rows(agency, 2023, portals, datetime.date(2024, 6, 1))
    assert (row["status"], row["reason"]) == ("unknown", reason)


# -- the demo portal -----------------------------------------------------------------------


def grid(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {(r["name"], r["year"]): dict(r) for r in conn.execute("select * from compliance")}


def test_demo_grid(sample_crawl):
    cells = grid(sample_crawl["db"])
    assert cells[("示例县人民政府", 2020)]["status"] == "on_time"
    assert cells[("示例县人民政府", 2023)]["status"] == "missing"  # the registered government stopped
    assert cells[("示例县人民政府", 2019)]["status"] == "missing"  # registered: judged from the archive's first year
    late = cells[("示例县住房和城乡建设局", 2021)]
    assert (late["status"], late["days_late"], late["date"], late["date_source"]) == (
        "late",
        77,
        "2022-04-18",
        "published",
    )
    assert cells[("示例县财政局", 2022)]["status"] == "on_time"
    assert cells[("示例县财政局", 2023)]["status"] == "missing"  # published 2022, not 2023
    assert ("示例县财政局", 2021) not in cells  # nothing is expected before its first report
    assert cells[("洪泽区人民政府", 2023)]["deadline"] == "2024-03-31"


# -- fixture portals: a rename, a bureau that stops, a government with none, a failed portal --


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """agency_history (its government 示例市人民政府) and a portal that answers nothing but 404,
    crawled once, with the rename given as a reviewed alias beside the database."""
    workdir = tmp_path_factory.mktemp("agencies")
    (workdir / "agency_aliases.yaml").write_text(
        "- alias: 示例市卫生和计划生育委员会\n  name: 示例市卫生健康委员会\n  portal: agency_history\n"
        "  reviewed: 2019年机构改革更名（测试）\n",
        encoding="utf-8",
    )
    dead = workdir / "dead_site"
    dead.mkdir()
    (dead / "_headers.json").write_text("{}")
    registry = [
        {
            "id": "agency_history",
            "name": "示例市人民政府",
            "region": "示例省示例市",
            "level": "city",
            "start_urls": site(HISTORY)["start_urls"],
        },
        {
            "id": "agency_dead",
            "name": "无应答县人民政府",
            "region": "示例省无应答县",
            "level": "county",
            "start_urls": [f"http://{DEAD_HOST}/xxgk/gknb/index.html"],
        },
    ]
    with FixtureServer(HISTORY, host=site(HISTORY)["host"]), FixtureServer(dead, host=DEAD_HOST):
        crawl_registry(registry, workdir)
    return workdir / "archive.db"


def statuses(cells, name, years):
    return [cells[(name, year)]["status"] for year in years]


def test_a_renamed_commission_is_one_agency(history):
    cells = grid(history)
    assert statuses(cells, "示例市卫生健康委员会", range(2018, 2022)) == ["on_time", "on_time", "late", "missing"]
    assert cells[("示例市卫生健康委员会", 2020)]["days_late"] == 38
    assert ("示例市卫生和计划生育委员会", 2018) not in cells
    with sqlite3.connect(history) as conn:
        names = conn.execute(
            "select n.name, n.how, n.first_year from agency_names n join agencies a on a.id = n.agency_id "
            "where a.name = '示例市卫生健康委员会' order by n.first_year"
        ).fetchall()
    assert names == [("示例市卫生和计划生育委员会", "alias", 2018), ("示例市卫生健康委员会", "same", 2019)]


def test_without_the_reviewed_alias_the_names_stay_apart(history, tmp_path):
    copy = tmp_path / "archive.db"
    shutil.copy(history, copy)
    db = schema.open_db(copy)
    agencies.refresh(db)
    names = {row["name"] for row in db.query("select name from agencies")}
    db.close()
    assert {"示例市卫生和计划生育委员会", "示例市卫生健康委员会"} <= names


def test_a_bureau_that_stops_publishing_is_missing_after(history):
    cells = grid(history)
    assert statuses(cells, "示例市交通运输局", range(2018, 2022)) == ["on_time", "on_time", "missing", "missing"]
    assert cells[("示例市交通运输局", 2020)]["reason"] == "none_for_year"


def test_a_registered_government_without_any_report_is_missing_every_year(history):
    cells = grid(history)
    years = sorted(year for name, year in cells if name == "示例市人民政府")
    assert years[0] == 2018  # the archive's first report year
    assert set(statuses(cells, "示例市人民政府", years)) == {"missing"}
    assert cells[("示例市人民政府", 2020)]["deadline"] == "2021-03-31"


def test_a_failed_portal_is_unknown_not_missing(history):
    cells = grid(history)
    years = [year for name, year in cells if name == "无应答县人民政府"]
    assert years and {cells[("无应答县人民政府", y)]["status"] for y in years} == {"unknown"}
    assert {cells[("无应答县人民政府", y)]["reason"] for y in years} == {"crawl_failed"}


# -- pages -------------------------------------------------------------------------------------


def agency_id_of(db, name):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id from agencies where name = ?", [name]).fetchone()[0]


def test_grid_page_links_each_cell_and_filters(history):
    page = datasette_get(history, "/archive/-/compliance")
    assert page.status_code == 200
    assert '<link rel="alternate" type="application/atom+xml"' in page.text
    commission = agency_id_of(history, "示例市卫生健康委员会")
    row = re.search(rf'<tr data-agency="{commission}">(.*?)</tr>', page.text, re.S).group(1)
    assert re.search(r'data-year="2020" data-status="late"><a href="/archive/reports/\w+"', row)
    assert re.search(r'data-year="2021" data-status="missing"><a href="/archive/portal_health/agency_history"', row)
    governments = datasette_get(history, "/archive/-/compliance?kind=government")
    assert "示例市人民政府" in governments.text and "示例市交通运输局" not in governments.text
    one_year = datasette_get(history, "/archive/-/compliance?year=2020")
    assert set(re.findall(r'data-year="(\d+)"', one_year.text)) == {"2020"}
    assert datasette_get(history, "/archive/-/compliance?year=20x").status_code == 400


def test_grid_pages_on_after_the_last_sort_key(history):
    with sqlite3.connect(history) as conn:
        keys = [row[0] for row in conn.execute("select sort_key from agencies order by sort_key")]
    assert len(set(keys)) == len(keys) > 2  # unique: region, name and id
    page = datasette_get(history, "/archive/-/compliance?after=" + urllib.parse.quote(keys[1]))
    shown = re.findall(r'<tr data-agency="(\w+)">', page.text)
    assert shown == [key.rsplit("|", 1)[1] for key in keys[2:]]


def test_grid_csv_has_a_bom_and_every_cell(history):
    response = datasette_get(history, "/archive/-/compliance.csv?region=示例省示例市")
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    with sqlite3.connect(history) as conn:
        expected = conn.execute("select count(*) from compliance where region = '示例省示例市'").fetchone()[0]
    assert len(rows) == expected > 0
    assert {"agency_id", "year", "status", "days_late", "report_id"} <= set(rows[0])


def test_agency_page(history):
    aid = agency_id_of(history, "示例市卫生健康委员会")
    page = datasette_get(history, f"/archive/-/agency/{aid}")
    assert page.status_code == 200
    text = page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in text  # the figures chart
    assert text.count("政府信息公开工作年度报告</a>") == 3  # its reports, both names
    assert "示例市卫生和计划生育委员会" in text and "人工核对的别名" in text
    assert 'data-status="late"' in text and "逾期 38 天" in text
    assert '<link rel="alternate" type="application/atom+xml"' in text
    assert datasette_get(history, "/archive/-/agency/000000000000").status_code == 404
    assert datasette_get(history, f"/nodb/-/agency/{aid}").status_code == 404


def test_report_page_links_its_agency(history):
    with sqlite3.connect(history) as conn:
        rid = conn.execute("select id from reports where agency = '示例市交通运输局' limit 1").fetchone()[0]
    page = datasette_get(history, f"/archive/reports/{rid}")
    aid = agency_id_of(history, "示例市交通运输局")
    assert f'<a class="gr-agency" href="/archive/-/agency/{aid}">示例市交通运输局</a>' in page.text


def test_public_server_serves_the_new_pages(history):
    aid = agency_id_of(history, "示例市交通运输局")
    paths = ["/archive/-/compliance", f"/archive/-/agency/{aid}", "/archive/-/feeds/late.atom"]
    assert [r.status_code for r in get_all(history, paths)] == [200, 200, 200]


# -- feeds ---------------------------------------------------------------------------------


def valid_atom(body):
    """The feed parsed, after checking RFC 4287's required elements: the feed's and every
    entry's id (an absolute IRI), title and updated (RFC 3339), an author for the feed, a
    rel=self link, and no two entries with one id."""
    feed = etree.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")
    for element in [feed, *feed.findall(f"{ATOM}entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, name
        assert re.match(r"^[a-z][a-z0-9+.-]*:", element.findtext(f"{ATOM}id"))
        assert stamp.match(element.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
    return feed


def test_late_feed(sample_crawl):
    first = datasette_get(sample_crawl["db"], "/archive/-/feeds/late.atom")
    again = datasette_get(sample_crawl["db"], "/archive/-/feeds/late.atom")
    assert first.status_code == 200 and first.headers["content-type"].startswith("application/atom+xml")
    assert first.content == again.content  # same ids, same document
    feed = valid_atom(first.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["示例县住房和城乡建设局 2021年度报告逾期 77 天发布"]
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("http://localhost/archive/reports/")


def test_missing_feed(history):
    response = datasette_get(history, "/archive/-/feeds/missing.atom")
    feed = valid_atom(response.content)
    entries = feed.findall(f"{ATOM}entry")
    with sqlite3.connect(history) as conn:
        missing = conn.execute("select count(*) from compliance where status = 'missing'").fetchone()[0]
    assert len(entries) == min(missing, agencies.FEED_SIZE)
    assert any(entry.findtext(f"{ATOM}title") == "示例市交通运输局 未见 2020年度报告" for entry in entries)
    assert not any("无应答县" in entry.findtext(f"{ATOM}title") for entry in entries)  # unknown is not missing
