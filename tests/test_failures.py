"""Failures are recorded with a message a user understands, whatever raises them."""

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler.middlewares.archive import ArchiveMiddleware


def test_an_exception_while_parsing_a_page_is_recorded(tmp_path):
    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.set("GOVREPORTS_DB", str(tmp_path / "archive.db"))
    middleware = ArchiveMiddleware(settings)
    request = Request("http://x.gov.cn/col/index.html", meta={"stage": "list", "portal": {"id": "p"}})
    response = HtmlResponse(url=request.url, body=b"<html></html>", request=request)
    try:
        raise ValueError("unexpected markup")
    except ValueError:
        failure = Failure()
    middleware.on_spider_error(failure, response)
    rows = list(middleware.db["failures"].rows)
    assert [(r["url"], r["stage"], r["kind"], r["portal_id"]) for r in rows] == [
        ("http://x.gov.cn/col/index.html", "list", "parse_error", "p")]
    assert "ValueError: unexpected markup" in rows[0]["message"]
