"""No silent zeros: a portal that yields no report for the due year says why, in words a
person can act on (portal_health.no_reports_reason and no_reports_detail), and the health
summary counts each kind. Small portals at www.quiet-county.gov.cn, one per kind."""

import sqlite3

from fault_portal import report_page
from helpers import FIXTURES, crawl_registry
from scrapy.http import HtmlResponse

from crawler.silent_zeros import script_filled_list
from fixturekit.fixture_site import FixtureSite
from govreports.cli import due_year
from govreports.fixture_server import FixtureServer

HOST = "www.quiet-county.gov.cn"
NB_TITLE = "<title>政府信息公开年报_清水县人民政府</title>"
# a column shell whose list a script fills from a JSON API (the parameters as an object)
SCRIPTED = (
    f"<html><head>{NB_TITLE}<script src='/js/jquery.min.js'></script></head><body>"
    "<div class='crumb'>当前位置：首页 &gt; 政府信息公开年报</div><ul id='newsList' class='list'></ul>"
    "<div id='pager'></div><script>$(function(){$.ajax({url:'/api/column/list',type:'POST',"
    "data:{channelId:'1045',pageNo:1,pageSize:15},success:function(r){render(r.data)}});});</script></body></html>"
)
EMPTY = f"<html><head>{NB_TITLE}</head><body><ul class='list'></ul><p>暂无信息</p></body></html>"


def page(title, links=(), body=""):
    anchors = "".join(f"<li><a href='{href}'>{text}</a></li>" for href, text in links)
    return f"<html><head><title>{title}</title></head><body><ul>{anchors}</ul>{body}</body></html>"


PAGES = {
    # a home page that names no 信息公开 section and no annual-report column
    "/nosection/index.html": page(
        "甲县人民政府", [("/nosection/about.html", "走进甲县"), ("/nosection/news.html", "要闻")]
    ),
    # a home page -> 信息公开, whose page has no annual-report column
    "/nocolumn/index.html": page("乙县人民政府", [("/nocolumn/xxgk/index.html", "信息公开")]),
    "/nocolumn/xxgk/index.html": page("信息公开_乙县", [("/nocolumn/xxgk/zcwj.html", "政策文件")]),
    # the annual-report column filled by a script
    "/scripted/nb/index.html": SCRIPTED,
    # the annual-report column listing nothing
    "/empty/nb/index.html": EMPTY,
    # the annual-report column listing only what is no report
    "/rejected/nb/index.html": page(
        "政府信息公开年报_丙县",
        [
            ("/rejected/nb/jd.html", "关于丙县2024年政府信息公开工作年度报告的解读"),
            ("/rejected/nb/tz.html", "关于报送2024年政府信息公开工作年度报告的通知"),
        ],
    ),
    # the annual-report column with a report of an older year only
    "/older/nb/index.html": page(
        "政府信息公开年报_丁县", [("/older/nb/content_1.html", "丁县2019年政府信息公开工作年度报告")]
    ),
    "/older/nb/content_1.html": report_page("丁县", 2019)[0],
}
PORTALS = {
    "nosection": "/nosection/index.html",
    "nocolumn": "/nocolumn/index.html",
    "scripted": "/scripted/nb/index.html",
    "empty": "/empty/nb/index.html",
    "rejected": "/rejected/nb/index.html",
    "older": "/older/nb/index.html",
    "gone": "/gone/index.html",  # not served: 404
}
EXPECTED = {
    "nosection": "no_section",
    "nocolumn": "no_annual_column",
    "scripted": "scripted_list",
    "empty": "empty_column",
    "rejected": "all_rejected",
    "older": "none_for_year",
    "gone": "failed",
}


def test_a_list_filled_by_script_is_told_from_an_empty_one():
    def response(body):
        return HtmlResponse(url=f"http://{HOST}/nb/", body=body.encode("utf-8"), encoding="utf-8")

    assert script_filled_list(response(SCRIPTED))
    vue = f"<html><head>{NB_TITLE}</head><body><div id='app'><ul class='list'></ul></div><script>new Vue({{el:'#app'}})</script></body></html>"
    assert script_filled_list(response(vue))
    shells = FIXTURES / "sites"  # column shells the families decode: scripted all the same
    assert script_filled_list(response((shells / "openness_county_tabs/public/column/6611001.19").read_text()))
    assert script_filled_list(response((shells / "gkmlpt_district_tree/gkmlpt/index").read_text()))
    assert not script_filled_list(response(EMPTY))  # empty, and nothing fills it
    assert not script_filled_list(response(PAGES["/rejected/nb/index.html"]))  # a list with items


def test_every_portal_without_a_report_for_the_year_says_why(tmp_path):
    files = FixtureSite(tmp_path / "quiet")
    for path, text in PAGES.items():
        files.write(path, text.encode("utf-8"), "text/html; charset=utf-8")
    files.save()
    registry = [{"id": name, "start_urls": [f"http://{HOST}{path}"]} for name, path in PORTALS.items()]
    with FixtureServer(tmp_path / "quiet", host=HOST):
        done = crawl_registry(registry, tmp_path)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        rows = {
            portal: (reason, detail)
            for portal, reason, detail in conn.execute(
                "select portal_id, no_reports_reason, no_reports_detail from portal_health"
            )
        }
        scripted = conn.execute("select portal_id, url, kind from failures where kind like 'scripted_list%'").fetchall()
        older = conn.execute("select count(*) from reports where portal_id = 'older'").fetchone()[0]
    assert {portal: reason for portal, (reason, _) in rows.items()} == EXPECTED
    assert older == 1  # found, and of another year than the due one
    # rendered in the browser, where its script found nothing to fill the list with
    assert scripted == [("scripted", f"http://{HOST}/scripted/nb/index.html", "scripted_list_empty")]
    detail = {portal: text for portal, (_, text) in rows.items()}
    assert "interpretation" in detail["rejected"] and "notice" in detail["rejected"]
    assert "http_404" in detail["gone"]
    assert "registry" in detail["nosection"] and "registry" in detail["nocolumn"]
    assert f"none for {due_year()}" in detail["older"]
    summary = next(line for line in done.stdout.splitlines() if line.startswith(f"why no report for {due_year()}"))
    for reason in EXPECTED.values():
        assert f"{reason} 1" in summary
    table = {line.split()[0]: line for line in done.stdout.splitlines() if line.split()[:1] == ["nosection"]}
    assert table["nosection"].endswith("<- FAILING: 0 reports (no_section)")
