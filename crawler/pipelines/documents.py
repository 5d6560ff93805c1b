"""Record what the spider finds (crawler/items.py): the crawl's portals, report pages,
attachments and article pictures (`documents`), other URLs of a document (`url_aliases`),
columns and rejected candidates. Extraction picks documents up after the crawl, never inside
the reactor."""

from dataclasses import asdict

from crawler.failures import local_writes
from crawler.items import Alias, Column, Document, Reject
from storage import crawl_records, schema


class DocumentPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.db = schema.open_db(self.crawler.settings.get("GOVREPORTS_DB"))
        crawl_records.upsert_portals(self.db, self.crawler.spider.portals)

    def close_spider(self):
        self.db.close()

    def process_item(self, item):
        with local_writes(self.crawler):  # a full disk stops the crawl; the item is fetched again next run
            self.record(item)
        return item

    def record(self, item):
        if isinstance(item, Document):
            crawl_records.record_document(self.db, asdict(item))
        elif isinstance(item, Alias):
            crawl_records.record_alias(self.db, item.alias, item.url, item.kind, item.portal_id)
        elif isinstance(item, Column):
            crawl_records.record_column(self.db, item.url, item.portal_id, item.parent_url, item.link_text, item.depth)
        elif isinstance(item, Reject):
            crawl_records.record_reject(
                self.db, item.url, item.portal_id, item.title, item.reason, item.judged_by, item.column_url
            )
