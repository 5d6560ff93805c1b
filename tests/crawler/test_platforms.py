"""Platforms on another host (issue 23 item 2): a county's 信息公开 section on a province-wide
platform under another domain is crawled as the county's, only its own subtree, and only
when the link or the section names the county; a 信息公开 link off government hosts is never
followed. The fixture portals are tests/fixtures/sites/platform_county_sections and
tests/fixtures/sites_heldout/menu_script_platform (scored with every site in test_sites.py)."""

import sqlite3
from contextlib import ExitStack

from helpers import FIXTURES, crawl_registry, site
from scrapy.http import HtmlResponse

from crawler.families.generic import GenericFamily, script_menu_entries
from crawler.platforms import Scope, is_government_host, page_names_unit, scope_of, token_in_link
from govreports.fixture_server import FixtureServer

COUNTY = FIXTURES / "sites" / "platform_county_sections"
PLATFORM = COUNTY / "hosts" / "xxgk.nanhaisheng.gov.cn"


def crawl_county(workdir, family=None, **unit):
    """Crawl the county from its home page; (the paths the platform was asked for, the db)."""
    declared = site(COUNTY)
    portal = {"id": "nandu", "start_urls": declared["start_urls"], **(unit or declared["unit"])}
    if family:
        portal["family"] = family
    with ExitStack() as servers:
        servers.enter_context(FixtureServer(COUNTY, host=declared["host"]))
        platform = servers.enter_context(FixtureServer(PLATFORM, host=site(PLATFORM)["host"]))
        crawl_registry([portal], workdir)
    asked = [line.split()[1] for line, _ in platform.httpd.received if " /robots.txt " not in line]
    return asked, sqlite3.connect(workdir / "archive.db")


def test_the_county_section_on_the_platform_is_crawled_and_nothing_of_the_other_counties(tmp_path):
    asked, db = crawl_county(tmp_path)
    with db:
        reports = {url for (url,) in db.execute("select url from report_urls")}
        failures = db.execute("select url, kind from failures").fetchall()
    assert len(reports) == 4 and all("/ndxxgk/xxgknb/" in url for url in reports)
    # other counties' sections, columns and reports are linked from every page the crawl saw
    assert asked and not [path for path in asked if not path.startswith("/ndxxgk/")]
    # the home page's 信息公开 link to a news site outside .gov.cn: neither fetched nor failed
    assert not [url for url, _ in failures if "nandu-zixun" in url]


def test_the_platform_is_read_as_its_own_cms_not_as_the_family_the_registry_gives_the_county(tmp_path):
    _, db = crawl_county(tmp_path, family="gkmlpt")
    with db:
        reports = db.execute("select count(*) from reports").fetchone()[0]
    assert reports == 4


def test_the_platform_section_stays_the_portal_s_when_it_answers_not_modified(tmp_path):
    crawl_county(tmp_path)
    asked, db = crawl_county(tmp_path)  # the next run: list pages asked with their validators
    with db:
        kinds = [kind for (kind,) in db.execute("select kind from failures")]
        reports = db.execute("select count(*) from reports").fetchone()[0]
    assert "/ndxxgk/xxgknb/index.html" in asked and kinds == [] and reports == 4


def test_a_platform_section_that_names_another_unit_is_not_taken(tmp_path):
    asked, db = crawl_county(tmp_path, name="西岭县人民政府", code="469098")
    with db:
        reports = db.execute("select count(*) from reports").fetchone()[0]
        kinds = [kind for (kind,) in db.execute("select kind from failures")]
    assert reports == 0
    assert asked == ["/ndxxgk/index.html"]  # the section, read to see whose it is, and no further
    assert kinds == ["platform_not_own"]


def test_only_government_hosts_are_platforms():
    assert is_government_host("xxgk.hainan.gov.cn", set())
    assert is_government_host("www.example-county.cn", {"www.example-county.cn"})
    assert not is_government_host("www.nandu-zixun.com", {"www.example-county.cn"})
    assert not is_government_host("gov.cn.example.com", set())


def test_the_portal_subtree_is_its_folder_and_its_code_in_the_query():
    portal = {"id": "451122_qs", "code": "451122", "name": "青水县人民政府"}
    link = "http://zwgk.example.gov.cn/site/unit.html?unitCode=451122"
    token = token_in_link(portal, link)
    scope = scope_of(link, token)
    assert token == "451122" and scope == Scope("zwgk.example.gov.cn", "/site/", "451122")
    assert scope.holds("http://zwgk.example.gov.cn/site/art/2024/1/15/art_451122_1000.html")
    assert not scope.holds("http://zwgk.example.gov.cn/site/art/2024/1/15/art_451123_1000.html")
    assert not scope.holds("http://other.example.gov.cn/site/art_451122_1.html")
    folder = scope_of("http://xxgk.hainan.gov.cn/tcxxgk/index.html")
    assert folder.holds("http://xxgk.hainan.gov.cn/tcxxgk/xxgknb/index.html")
    assert not folder.holds("http://xxgk.hainan.gov.cn/qhxxgk/xxgknb/index.html")
    assert scope_of("http://xxgk.hainan.gov.cn/index.html") is None  # the whole platform is nobody's own


def test_a_page_names_the_unit_in_its_title_or_breadcrumb_not_in_its_body():
    portal = {"name": "屯昌县人民政府"}

    def page(body):
        return HtmlResponse("http://x.gov.cn/a/", body=body.encode(), encoding="utf-8")

    assert page_names_unit(portal, page("<title>屯昌县政府信息公开</title>"))
    assert page_names_unit(portal, page('<div class="position"><a>屯昌县</a> &gt; 信息公开</div>'))
    assert not page_names_unit(portal, page("<title>全省信息公开平台</title><ul><li>屯昌县</li></ul>"))


def test_menu_entries_named_in_a_script_whatever_their_keys():
    body = """<html><body><script>
    var cfg = {menu: [[{ '首页': '/', '信息公开': 'http://xxgk.x.gov.cn/tcxxgk/' /*, '政务公开': '/old/' */ }]]};
    var nav = [{name: "政务公开", url: "/zwgk/index.html"}, {"title": "新闻", "link": "/xw/"}];
    var rows = [["政府信息公开", "xxgk.jsp?id=3"]];
    </script><script src="/menu.js"></script></body></html>"""
    response = HtmlResponse("http://www.x.gov.cn/index.html", body=body.encode(), encoding="utf-8")
    assert ("http://xxgk.x.gov.cn/tcxxgk/", "信息公开") in script_menu_entries(response)
    assert GenericFamily().disclosure_home_links(response) == [
        ("http://xxgk.x.gov.cn/tcxxgk/", "信息公开"),
        ("http://www.x.gov.cn/zwgk/index.html", "政务公开"),
        ("http://www.x.gov.cn/xxgk.jsp?id=3", "政府信息公开"),
    ]
