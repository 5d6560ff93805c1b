"""Record what the spider finds (crawler/items.py): the crawl's portals, report pages,
attachments and article pictures (`documents`), other URLs of a document (`url_aliases`),
columns and rejected candidates. Extraction picks documents up after the crawl, never inside
the reactor."""

from dataclasses import asdict

from crawler.failures import local_writes
from crawler.items import Alias, Column, Document, Reject, Removal
from storage import changes, crawl_records, schema


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
        with local_writes(self.crawler):
            self.record_column_listings(self.crawler.spider)
        self.db.close()

    def record_column_listings(self, spider):
        """The links each column showed in this run; a report a fully read column no longer
        lists is flagged as removed (storage/changes.py). Not after a scout, which reads first
        pages only, nor for a spider that reads no column (the portals check, the re-check)."""
        listings = getattr(spider, "column_listings", None)
        if not listings or spider.state.scout:
            return
        with self.db.conn:
            changes.record_column_listings(
                self.db, {key: sorted(urls) for key, urls in listings.items()}, spider.partly_read, schema.now()
            )

    def process_item(self, item):
        with local_writes(self.crawler):  # a full disk stops the crawl; the item is fetched again next run
            self.record(item)
        return item

    def record(self, item):
        if isinstance(item, Document):
            crawl_records.record_document(self.db, asdict(item))
            changes.note_present(self.db, item.url)
        elif isinstance(item, Removal):
            changes.record_removal(self.db, item.url, item.status)
        elif isinstance(item, Alias):
            crawl_records.record_alias(self.db, item.alias, item.url, item.kind, item.portal_id)
        elif isinstance(item, Column):
            crawl_records.record_column(self.db, item.url, item.portal_id, item.parent_url, item.link_text, item.depth)
        elif isinstance(item, Reject):
            crawl_records.record_reject(
                self.db, item.url, item.portal_id, item.title, item.reason, item.judged_by, item.column_url
            )
