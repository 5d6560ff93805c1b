"""Provenance: every response body goes to the content-addressed archive with a fetch row
(url, status, time, headers, sha256); every failed request becomes a failures row."""

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from govreports import store
from govreports.archive import archive_for


# Sent by spiders for a request that failed: url, stage, failure, portal_id.
request_failed = object()


class ArchiveMiddleware:
    def __init__(self, db_path):
        self.db = store.open_db(db_path)
        self.archive = archive_for(db_path)

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings.get("GOVREPORTS_DB"))
        crawler.signals.connect(middleware.on_failure, signal=request_failed)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request, response):
        if request.meta.get("stage") is None:  # robots.txt and other internal requests
            return response
        sha256 = self.archive.put(response.body)
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        store.record_fetch(
            self.db, response.url, sha256, response.status, headers.get("Content-Type"),
            len(response.body), headers, request.meta.get("portal", {}).get("id"),
        )
        if 200 <= response.status < 300:
            store.clear_failure(self.db, response.url, request.meta["stage"])
        return response

    def on_failure(self, url, stage, failure, portal_id):
        kind, message = describe(failure)
        store.record_failure(self.db, url, stage, kind, message, portal_id)

    def spider_closed(self):
        self.db.close()


def describe(failure):
    """A failure -> (kind, a message a user understands)."""
    error = failure.value
    if failure.check(HttpError):
        status = error.response.status
        return f"http_{status}", f"the server answered HTTP {status}"
    if failure.check(DNSLookupError):
        return "dns", "the host name could not be resolved"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout", "the server did not answer in time"
    if failure.check(IgnoreRequest):
        return "ignored", str(error) or "request refused by crawl policy (robots.txt or limits)"
    return type(error).__name__, str(error) or type(error).__name__
