"""Store each discovered report page and attachment in `documents`; extraction picks them
up after the crawl (never inside the reactor)."""

from govreports import store


class DocumentPipeline:
    def __init__(self, db_path):
        self.db_path = db_path

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("GOVREPORTS_DB"))

    def open_spider(self):
        self.db = store.open_db(self.db_path)

    def close_spider(self):
        self.db.close()

    def process_item(self, item):
        store.record_document(self.db, dict(item))
        return item
