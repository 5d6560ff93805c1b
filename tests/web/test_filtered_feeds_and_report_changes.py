"""The late and missing feeds narrowed by region (a prefix), agency, kind and level, read
through indexes and announced by the grid and agency pages; the report page's 发布后的修改
(its report_changes rows and its removal). Over a small archive written through storage's
own functions: two portals, a registered government, departments late and missing, one
report corrected after publication and one removed."""

import random
import re
import sqlite3
from urllib.parse import urlencode

import pytest
from lxml import etree, html
from test_compare_feeds import get, report

from fixturekit import synthetic
from govreports.atom import ATOM_NS
from storage import agencies, changes, crawl_records, portal_status, reports, schema
from storage.migrations import migrate

pytestmark = pytest.mark.unit
NS = {"a": ATOM_NS}
NANJING, ZHEJIANG = "江苏省南京市", "浙江省"


def stored(rid, agency, year, portal, region, level, published, facts, source="v1", text="全年收到申请8件。"):
    row, fact_rows, checks = report(rid, agency, year, region, facts, source, text)
    row.update(portal_id=portal, level=level, published=published, url=f"http://{portal}.gov.cn/{rid}.html")
    row["source_url"] = row["url"]
    return row, fact_rows, checks


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Portal nj (江苏省南京市, county: 示例区人民政府 registered) and zj (浙江省, city); late
    reports of 示例区财政局 (2021), 示例区人民政府 (2021) and 示例市教育局 (2021); r_fin_2022
    corrected after publication (表三 总计 and its text), r_edu_2021 removed (404)."""
    path = tmp_path_factory.mktemp("filtered") / "archive.db"
    migrate(path)
    rng = random.Random(3)
    facts = {rid: synthetic.make_facts("2021", rng) for rid in ("fin21", "fin22", "gov21", "edu21")}
    db = schema.open_db(path)
    crawl_records.upsert_portals(
        db,
        [
            {
                "id": "nj",
                "name": "示例区人民政府",
                "region": NANJING,
                "level": "county",
                "start_urls": ["http://nj.gov.cn/"],
            },
            {
                "id": "zj",
                "name": "示例市人民政府",
                "region": ZHEJIANG,
                "level": "city",
                "start_urls": ["http://zj.gov.cn/"],
            },
        ],
    )
    reports.save_reports(
        db,
        [
            stored("r_fin_2021", "示例区财政局", 2021, "nj", NANJING, "county", "2022-04-10", facts["fin21"]),
            stored("r_fin_2022", "示例区财政局", 2022, "nj", NANJING, "county", "2023-01-20", facts["fin22"]),
            stored("r_gov_2021", "示例区人民政府", 2021, "nj", NANJING, "county", "2022-05-01", facts["gov21"]),
            stored("r_edu_2021", "示例市教育局", 2021, "zj", ZHEJIANG, "city", "2022-03-01", facts["edu21"]),
        ],
    )
    corrected = {**facts["fin22"], ("t3", "new_received", "total"): 999}
    reports.save_reports(
        db,
        [
            stored(
                "r_fin_2022",
                "示例区财政局",
                2022,
                "nj",
                NANJING,
                "county",
                "2023-01-20",
                corrected,
                "v2",
                "全年收到申请999件。",
            )
        ],
    )
    with db.conn:
        changes.record_removal(db, "http://zj.gov.cn/r_edu_2021.html", "http_404")
    stamp = schema.now()
    portal_status.write_health(
        db, [{"portal_id": p, "crawled_at": stamp, "list_pages": 3, "no_reports_reason": None} for p in ("nj", "zj")]
    )
    agencies.refresh(db)
    ids = {row["name"]: row["id"] for row in db.query("select id, name from agencies")}
    db.close()
    return {"path": path, "ids": ids, "old_total": facts["fin22"][("t3", "new_received", "total")]}


def feed(archive, status, **filters):
    """(entry ids, titles) of a feed, after checking it is Atom with its own id and self link."""
    query = urlencode(filters)
    response = get(archive, f"/archive/-/feeds/{status}.atom" + (f"?{query}" if query else ""))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    if filters:
        assert root.findtext("a:id", namespaces=NS).endswith("/" + urlencode(sorted(filters.items())))
        assert root.find("a:link[@rel='self']", NS).get("href").endswith(urlencode(sorted(filters.items())))
        title = root.findtext("a:title", namespaces=NS)
        assert filters.get("region", "") in title and not re.search(r"department|government|county|city", title)
    entries = root.findall("a:entry", NS)
    return [e.findtext("a:id", namespaces=NS) for e in entries], [e.findtext("a:title", namespaces=NS) for e in entries]


def test_the_late_feed_narrowed_by_region_prefix_kind_level_and_agency(archive):
    ids, titles = feed(archive, "late")
    assert sorted(titles) == sorted(
        [
            "示例区财政局 2021年度报告逾期 69 天发布",
            "示例区人民政府 2021年度报告逾期 31 天发布",
            "示例市教育局 2021年度报告逾期 29 天发布",
        ]
    )
    by_region = feed(archive, "late", region="江苏省")  # a prefix of 江苏省南京市
    assert sorted(by_region[1]) == sorted(t for t in titles if not t.startswith("示例市教育局"))
    assert set(by_region[0]) <= set(ids)  # an entry keeps its id in every feed that holds it
    assert feed(archive, "late", region="江苏")[0] == by_region[0]
    assert feed(archive, "late", region="江苏省南京市江宁区")[0] == []
    assert feed(archive, "late", kind="government")[1] == ["示例区人民政府 2021年度报告逾期 31 天发布"]
    assert feed(archive, "late", level="city")[1] == ["示例市教育局 2021年度报告逾期 29 天发布"]
    assert feed(archive, "late", agency=archive["ids"]["示例区财政局"])[1] == [
        "示例区财政局 2021年度报告逾期 69 天发布"
    ]
    assert feed(archive, "late", region="江苏省", kind="department", level="county")[1] == [
        "示例区财政局 2021年度报告逾期 69 天发布"
    ]


def test_the_missing_feed_narrowed_by_agency_and_region(archive):
    with sqlite3.connect(archive["path"]) as conn:
        years = [
            y
            for (y,) in conn.execute(
                "select year from compliance where status = 'missing' and agency_id = ? order by year desc",
                [archive["ids"]["示例市教育局"]],
            )
        ]
    assert years  # 2022 on, judged by the crawl after the deadlines
    _, titles = feed(archive, "missing", agency=archive["ids"]["示例市教育局"])
    assert titles == [f"示例市教育局 未见 {y}年度报告" for y in years]
    _, zhejiang = feed(archive, "missing", region=ZHEJIANG)
    assert zhejiang and all(t.startswith("示例市") for t in zhejiang)


@pytest.mark.parametrize(
    "filters", [{}, {"region": "江苏省"}, {"kind": "department"}, {"level": "city"}, {"agency": "x"}]
)
@pytest.mark.parametrize("status", ["late", "missing"])
def test_the_filtered_feeds_read_through_an_index(archive, status, filters):
    with sqlite3.connect(archive["path"]) as conn:
        sql, params = agencies.feed_rows(status, filters)
        plan = [row[3] for row in conn.execute(f"explain query plan {sql}", params)]
    assert not [line for line in plan if line.startswith("SCAN")], plan
    [search] = [line for line in plan if line.startswith("SEARCH")]
    # the filter narrows the index's range, not a walk of every cell of the status
    constraint = {"region": "region>?", "kind": "kind=?", "level": "level=?", "agency": "agency_id=?"}
    assert all(constraint[column] in search for column in filters), plan
    if "kind" in filters or "level" in filters or not filters:
        assert not [line for line in plan if "TEMP B-TREE" in line], plan  # read in the feed's order


def announced(text):
    return [
        (link.get("title"), link.get("href"))
        for link in html.fromstring(text).xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    ]


def test_the_grid_announces_the_feeds_of_its_filters(archive):
    feeds = announced(get(archive, f"/archive/-/compliance?region={NANJING}&kind=department&year=2021").text)
    query = urlencode({"region": NANJING, "kind": "department"})
    assert feeds == [
        (f"{NANJING} · 政府部门 · 逾期发布的年度报告", f"/archive/-/feeds/late.atom?{query}"),
        (f"{NANJING} · 政府部门 · 缺报的年度报告", f"/archive/-/feeds/missing.atom?{query}"),
    ]
    assert [href for _, href in announced(get(archive, "/archive/-/compliance").text)] == [
        "/archive/-/feeds/late.atom",
        "/archive/-/feeds/missing.atom",
    ]


def test_an_agency_page_announces_its_own_feeds(archive):
    aid = archive["ids"]["示例区财政局"]
    feeds = announced(get(archive, f"/archive/-/agency/{aid}").text)
    assert [href for _, href in feeds] == [f"/archive/-/feeds/{s}.atom?agency={aid}" for s in ("late", "missing")]
    assert all(title.startswith("示例区财政局：") for title, _ in feeds)


@pytest.mark.parametrize("query,status", [("late_reports", "late"), ("missing_reports", "missing")])
def test_the_canned_queries_link_their_feed(archive, query, status):
    page = get(archive, f"/archive/{query}?year=2021")
    assert page.status_code == 200
    assert f'href="/archive/-/feeds/{status}.atom"' in page.text


# -- the report page: 发布后的修改 ----------------------------------------------------------


def test_the_report_page_lists_what_changed_after_publication(archive):
    page = html.fromstring(get(archive, "/archive/reports/r_fin_2022").text)
    [section] = page.xpath("//div[@class='gr-changes']")
    [change] = section.xpath("div[@class='gr-change']")
    words = " ".join(change.text_content().split())
    assert "第 1 版 → 第 2 版" in words and "数字" in words and "正文" in words
    cells = [li.text_content() for li in change.xpath(".//ul[@class='gr-cell-changes']/li")]
    assert cells == [f"表三 一、本年新收政府信息公开申请数量 总计：{archive['old_total']} → 999"]
    assert "申请8件" in change.xpath(".//del")[0].text and "申请999件" in change.xpath(".//ins")[0].text
    href = change.xpath(".//a")[0].get("href")
    assert href == "/archive/report_changes?report_id=r_fin_2022"
    linked = get(archive, href.replace("?", ".json?"))
    assert [row[0] for row in linked.json()["rows"]] == ["r_fin_2022"]
    assert not section.xpath("p[@class='gr-removal']")


def test_the_report_page_says_when_its_report_was_removed(archive):
    page = html.fromstring(get(archive, "/archive/reports/r_edu_2021").text)
    [removal] = page.xpath("//div[@class='gr-changes']/p[@class='gr-removal']")
    assert removal.xpath("strong")[0].text == "原文地址已失效（404）"
    assert "http://zj.gov.cn/r_edu_2021.html" in removal.text_content()
    assert removal.xpath("a")[0].get("href") == "/archive/report_removals?report_id=r_edu_2021"
    assert not page.xpath("//div[@class='gr-change']")


def test_a_report_never_changed_says_so(archive):
    text = get(archive, "/archive/reports/r_fin_2021").text
    assert "发布后的修改" in text and "首次存档以来未见修改，也未见撤下" in text
    assert not re.search(r'class="gr-(change|removal)"', text)
