"""Guangdong gkmlpt: the Vue index with window._CONFIG, the JSON API in pages, post_ details,
a PDF under /attachment/, a 图解 among the articles."""

from fixture_responses import site_response
from helpers import FIXTURES, assert_portal_reports, crawl_fixture_portal
from scrapy.http import Request

from crawler.families import family_for
from crawler.families.gkmlpt import GkmlptFamily
from extractors.judge import title_verdict

PORTAL = FIXTURES / "portals" / "gkmlpt"
GKMLPT = GkmlptFamily()


def test_index_page_starts_the_json_api():
    url = "http://www.example.gov.cn/gkmlpt/index#2345"
    response = site_response(PORTAL, "/gkmlpt/index", "http://www.example.gov.cn", request=Request(url))
    assert family_for(None, response).name == "gkmlpt"
    assert GKMLPT.next_pages(response) == ["http://www.example.gov.cn/gkmlpt/api/all/2345?page=1&sid=755001"]


def test_api_pages_and_report_links():
    response = site_response(PORTAL, "/gkmlpt/api/all/2345?page=1&sid=755001", "http://www.example.gov.cn")
    links = GKMLPT.report_links(response)
    assert [link.title for link in links if not link.needs_check] == [
        "深圳市示例区财政局2023年政府信息公开工作年度报告",
        "深圳市示例区教育局2022年政府信息公开工作年度报告",
    ]
    # the 图解 is a candidate that its title rejects
    assert [title_verdict(link.title) for link in links if link.needs_check] == ["interpretation"]
    assert GKMLPT.next_pages(response) == ["http://www.example.gov.cn/gkmlpt/api/all/2345?page=2&sid=755001"]
    assert GKMLPT.document_key("http://x/gkmlpt/content/0/963/post_963149.html") == "gkmlpt:963149"


def test_every_report_is_found_with_its_facts(tmp_path):
    db, base = crawl_fixture_portal("gkmlpt", tmp_path)
    assert_portal_reports("gkmlpt", db, base, attachment_format="pdf", attachment_facts=200)
