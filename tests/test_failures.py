"""Failures are recorded with a message a user understands, whatever raises them."""

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.extensions import FailureRecorder


def test_an_exception_while_parsing_a_page_is_recorded(tmp_path):
    crawler = get_crawler(settings_dict={"GOVREPORTS_DB": str(tmp_path / "archive.db")})
    recorder = FailureRecorder.from_crawler(crawler)
    recorder.spider_opened(None)
    request = Request("http://x.gov.cn/col/index.html", meta={"stage": "list", "portal": {"id": "p"}})
    response = HtmlResponse(url=request.url, body=b"<html></html>", request=request)
    try:
        raise ValueError("unexpected markup")
    except ValueError:
        failure = Failure()
    recorder.on_spider_error(failure, response)
    rows = list(recorder.db["failures"].rows)
    assert [(r["url"], r["stage"], r["kind"], r["portal_id"]) for r in rows] == [
        ("http://x.gov.cn/col/index.html", "list", "parse_error", "p")
    ]
    assert "ValueError: unexpected markup" in rows[0]["message"]
