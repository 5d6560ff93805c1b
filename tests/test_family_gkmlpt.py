"""Guangdong gkmlpt: the Vue index with window._CONFIG, the JSON API in pages, post_ details,
a PDF under /attachment/, a 图解 among the articles."""

import json

from scrapy.http import HtmlResponse, Request, TextResponse

from conftest import FIXTURES, assert_portal_reports, crawl_fixture_portal
from crawler.families import family_for
from extractors.judge import title_verdict
from crawler.families.gkmlpt import GkmlptFamily

PORTAL = FIXTURES / "portals" / "gkmlpt"
GKMLPT = GkmlptFamily()


def stored(key):
    manifest = json.loads((PORTAL / "_headers.json").read_text())
    return (PORTAL / manifest[key].get("file", key).lstrip("/")).read_bytes()


def test_index_page_starts_the_json_api():
    url = "http://www.example.gov.cn/gkmlpt/index#2345"
    response = HtmlResponse(url="http://www.example.gov.cn/gkmlpt/index", body=stored("/gkmlpt/index"),
                            request=Request(url), headers={"Content-Type": "text/html; charset=utf-8"})
    assert family_for(None, response).name == "gkmlpt"
    assert GKMLPT.next_pages(response) == ["http://www.example.gov.cn/gkmlpt/api/all/2345?page=1&sid=755001"]


def test_api_pages_and_report_links():
    url = "http://www.example.gov.cn/gkmlpt/api/all/2345?page=1&sid=755001"
    response = TextResponse(url=url, body=stored("/gkmlpt/api/all/2345?page=1&sid=755001"), encoding="utf-8")
    links = GKMLPT.report_links(response)
    assert [link.title for link in links if not link.needs_check] == [
        "深圳市示例区财政局2023年政府信息公开工作年度报告", "深圳市示例区教育局2022年政府信息公开工作年度报告"]
    # the 图解 is a candidate that its title rejects
    assert [title_verdict(link.title) for link in links if link.needs_check] == ["interpretation"]
    assert GKMLPT.next_pages(response) == ["http://www.example.gov.cn/gkmlpt/api/all/2345?page=2&sid=755001"]
    assert GKMLPT.document_key("http://x/gkmlpt/content/0/963/post_963149.html") == "gkmlpt:963149"


def test_every_report_is_found_with_its_facts(tmp_path):
    db, base = crawl_fixture_portal("gkmlpt", tmp_path)
    assert_portal_reports("gkmlpt", db, base, attachment_format="pdf", attachment_facts=200)
