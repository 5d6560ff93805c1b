"""Scrapy extensions of the crawl."""

from scrapy import signals

from crawler.failures import is_local_write_error, local_writes, stop_crawl
from crawler.signals import crawl_problem
from storage import crawl_records, schema


class FailureRecorder:
    """Every problem of the crawl becomes a `failures` row: the crawl's own `crawl_problem`
    signal, and a bug or a surprise while parsing a page (Scrapy's `spider_error`)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.on_problem, signal=crawl_problem)
        crawler.signals.connect(recorder.on_spider_error, signal=signals.spider_error)
        return recorder

    def spider_opened(self, spider):
        self.db = schema.open_db(self.crawler.settings.get("GOVREPORTS_DB"))

    def spider_closed(self, spider):
        self.db.close()

    def on_problem(self, url, stage, kind, message, portal_id):
        with local_writes(self.crawler):
            crawl_records.record_failure(self.db, url, stage, kind, message, portal_id)

    def on_spider_error(self, failure, response):
        """A bug or a surprise in parsing a page: recorded; the crawl goes on."""
        meta = response.meta if response.request is not None else {}
        if is_local_write_error(failure.value):  # a write of the parse step (a column, a reject)
            stop_crawl(self.crawler, failure.value)
            return
        with local_writes(self.crawler):
            crawl_records.record_failure(
                self.db,
                response.url,
                meta.get("stage", "parse"),
                "parse_error",
                f"the page could not be parsed: {type(failure.value).__name__}: {failure.value}",
                meta.get("portal", {}).get("id"),
            )
