"""Record the crawl's portals in `portals`, each discovered report page and attachment in
`documents`, and each other URL of a document in `url_aliases`; extraction picks them up after the crawl (never inside the reactor)."""

from govreports import store


class DocumentPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.db = store.open_db(self.crawler.settings.get("GOVREPORTS_DB"))
        store.upsert_portals(self.db, self.crawler.spider.portals)

    def close_spider(self):
        self.db.close()

    def process_item(self, item):
        if "alias" in item:
            store.record_alias(self.db, item["alias"], item["url"], item["kind"], item["portal_id"])
        elif "column" in item:
            store.record_column(self.db, item["column"], item["portal_id"], item["parent_url"], item["link_text"],
                                item["depth"])
        elif "reject" in item:
            store.record_reject(self.db, item["reject"], item["portal_id"], item["title"], item["reason"],
                                item["stage"], item.get("column_url"))
        else:
            store.record_document(self.db, dict(item))
        return item
