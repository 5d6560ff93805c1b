"""Lists filled by script that no family decodes: rendered in headless Chromium, only those
pages, each rendering archived as a WARC `conversion` record beside the page's own response
and counted in portal_health; a family's own decoder (the Openness shell) is never rendered."""

import sqlite3
from contextlib import ExitStack

from helpers import FIXTURES, crawl_registry, load_json, site
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.families import family_for
from crawler.render import is_scripted_list, only_the_page_host
from crawler.signals import crawl_problem
from crawler.silent_zeros import script_filled_list
from crawler.spiders.portals import PortalsSpider
from govreports.fixture_server import FixtureServer

SCRIPTED = FIXTURES / "sites" / "api_form_county"
DECODED = FIXTURES / "sites" / "openness_county_tabs"


def page_of(body, url="http://www.example.gov.cn/zwgk/ndbg/index.html"):
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    return response, family_for(None, response).list_page(response, True)


def test_a_page_is_scripted_when_it_lists_nothing_and_a_script_fills_it():
    shell = (SCRIPTED / "zwgk" / "ndbg" / "index.html").read_text()
    assert is_scripted_list(*page_of(shell))
    fetch_shell = '<ul id="list"></ul><script>fetch("/api/list", {method: "POST"})</script>'
    assert is_scripted_list(*page_of(fetch_shell))
    static = '<ul><li><a href="/t20240130_1.html">樵山县2023年政府信息公开工作年度报告</a></li></ul><script>$.ajax({})</script>'
    assert not is_scripted_list(*page_of(static))
    assert not is_scripted_list(*page_of('<ul id="list"></ul><p>暂无信息</p>'))


def test_a_jsonp_loader_is_a_script_that_fills_the_list():
    """A hand-written JSONP loader: a script element pointed at the list's URL, rows drawn by the
    callback (what jQuery's JSONP does under the hood)."""
    loader = (
        '<ul id="list"></ul><script>var s = document.createElement("script");'
        's.src = "/api/list.jsonp?callback=listCallback&page=" + page; document.body.appendChild(s);</script>'
    )
    assert is_scripted_list(*page_of(loader))
    assert script_filled_list(page_of(loader)[0])


def test_a_javascript_pager_link_is_no_page():
    response, page = page_of('<a href="javascript:void(0)">下一页</a><a href="index_1.html">下一页</a>')
    assert page.next_pages == ["http://www.example.gov.cn/zwgk/ndbg/index_1.html"]


def test_only_the_script_filled_column_is_rendered_archived_and_counted(tmp_path):
    portals = []
    with ExitStack() as servers:
        for folder in (SCRIPTED, DECODED):
            declared = site(folder)
            servers.enter_context(FixtureServer(folder, host=declared["host"]))
            portals.append({"id": folder.name, "start_urls": declared["start_urls"], "family": declared["family"]})
        crawl_registry(portals, tmp_path)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        rendered = dict(conn.execute("select portal_id, rendered_pages from portal_health"))
        reports = conn.execute("select count(*) from reports").fetchone()[0]
    assert rendered == {SCRIPTED.name: 1, DECODED.name: 0}
    assert reports == 5 + 10
    column = f"http://{site(SCRIPTED)['host']}/zwgk/ndbg/index.html"
    conversions, responses = [], []
    for warc in (tmp_path / "warcs").glob("*.warc.gz"):
        with warc.open("rb") as stream:
            for record in ArchiveIterator(stream):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "conversion":
                    conversions.append((uri, record.rec_headers, record.content_stream().read().decode()))
                elif record.rec_type == "response" and uri == column:
                    responses.append(record.rec_headers.get_header("WARC-Date"))
    assert [uri for uri, _, _ in conversions] == [column]
    _, headers, dom = conversions[0]
    assert headers.get_header("WARC-Refers-To-Date") == responses[0]
    assert headers.get_header("Content-Type").startswith("text/html")
    # the rows of every page of the pager walked in the browser are in the archived DOM
    expected = [r["path"] for r in load_json(SCRIPTED / "expected.json")["reports"]]
    assert all(path in dom for path in expected)


class FakeRequest:
    """What only_the_page_host reads of a Playwright request."""

    def __init__(self, url, page_url, resource_type="xhr"):
        self.url, self.resource_type = url, resource_type
        self.frame = type("Frame", (), {"page": type("Page", (), {"url": page_url})()})()


def test_a_rendered_page_reaches_only_its_own_host_and_no_pictures():
    page = "http://www.zhexixian.gov.cn/zwgk/ndbg/index.html"
    assert not only_the_page_host(FakeRequest("http://www.zhexixian.gov.cn/queryList", page))
    assert not only_the_page_host(FakeRequest(page, "about:blank", "document"))  # its own navigation
    assert only_the_page_host(FakeRequest("http://stats.example.com/hit.js", page, "script"))
    assert only_the_page_host(FakeRequest("http://www.zhexixian.gov.cn/banner.jpg", page, "image"))


def test_a_slow_list_api_is_waited_for(tmp_path):
    # every answer 0.6 s late: longer than the DOM stays still while the list's first answer is awaited
    declared = site(SCRIPTED)
    with FixtureServer(SCRIPTED, host=declared["host"], delay=0.6):
        crawl_registry([{"id": SCRIPTED.name, "start_urls": declared["start_urls"]}], tmp_path)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("select count(*) from reports").fetchone()[0] == 5


def test_a_crawl_that_renders_nothing_starts_no_browser(tmp_path):
    declared = site(DECODED)
    with FixtureServer(DECODED, host=declared["host"]):
        done = crawl_registry([{"id": DECODED.name, "start_urls": declared["start_urls"]}], tmp_path)
    assert "Starting download handler" not in done.stderr


def test_rendering_is_bounded_per_portal_and_an_empty_rendering_is_recorded():
    crawler = get_crawler(PortalsSpider, {"GOVREPORTS_MAX_RENDERED_PAGES": 1})
    portal = {"id": "p", "start_urls": ["http://www.example.gov.cn/"]}
    spider = PortalsSpider(portals=[portal], state=object())
    spider._set_crawler(crawler)
    crawler.stats.open_spider()
    problems = []
    crawler.signals.connect(lambda **kw: problems.append((kw["kind"], kw["url"])), signal=crawl_problem, weak=False)

    def response(path, **meta):
        request = Request(f"http://www.example.gov.cn{path}", meta={"portal": portal, "stage": "list", **meta})
        return HtmlResponse(request.url, body=b"<ul></ul>", request=request)

    render = spider.render_request(response("/a/"))
    assert render.meta["playwright"] and render.meta["stage"] == "render" and render.dont_filter
    assert spider.render_request(response("/a/")) is None  # rendered once per run
    assert spider.render_request(response("/b/")) is None  # the portal's budget is spent
    assert spider.render_request(response("/a/", playwright=True)) is None  # rendered, and still empty
    assert problems == [
        ("render_limit", "http://www.example.gov.cn/b/"),
        ("scripted_list_empty", "http://www.example.gov.cn/a/"),
    ]
    assert crawler.stats.get_value("portal/p/rendered_pages") == 1
