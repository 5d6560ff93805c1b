"""`recheck`: the light re-check of every known report URL, on a schedule of its own.

Each report page and each attachment a report was read from is requested once, conditionally
(If-None-Match / If-Modified-Since of its latest capture), with the production settings and
robots.txt obeyed; no list page is read. A 304 only touches the capture's time. A page that
answers with new bytes is archived and recorded as the portals spider records it (its
attachments fetched again), so that the extraction run after the re-check stores the new
version and `report_changes` says what changed. A 404 or 410 flags the report in
`report_removals`; one that answers again is no longer flagged.

From the command line (the database comes from GOVREPORTS_DB; `govreports recheck` also
extracts what changed):

    scrapy crawl recheck [-a portal=ID[,ID...]]
"""

import scrapy

from crawler.failures import describe
from crawler.items import Removal
from crawler.spiders.portals import PortalsSpider, conditional_request
from storage import changes, schema

GONE_KINDS = ("http_404", "http_410")


class RecheckSpider(PortalsSpider):
    name = "recheck"

    def __init__(self, portal=None, state=None, **kwargs):
        """portal: the ids (a list, or `-a portal=ID,ID`) whose reports are re-checked; all by default."""
        scrapy.Spider.__init__(self, **kwargs)
        self.portal_ids = portal.split(",") if isinstance(portal, str) else list(portal or ())
        self.state = state
        self.portals = []
        self.list_pages, self.columns, self.requested, self.platforms, self.rendered = {}, {}, set(), {}, {}
        self.column_listings, self.partly_read = {}, set()
        self.registry_hosts = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.state.full = True  # a changed page's attachments are requested again
        db = schema.open_db(crawler.settings.get("GOVREPORTS_DB"))
        try:
            spider.portals = changes.known_portals(db, spider.portal_ids)
            spider.targets = changes.recheck_targets(db, spider.portal_ids)
        finally:
            db.close()
        return spider

    async def start(self):
        portals = {portal["id"]: portal for portal in self.portals}
        self.requested.update(target[0] for target in self.targets)
        for url, portal_id, role, parent_url, etag, modified in self.targets:
            yield conditional_request(
                url,
                etag,
                modified,
                callback=self.parse_rechecked,
                errback=self.on_recheck_error,
                meta={"portal": portals[portal_id], "stage": "detail" if role == "page" else role},
                cb_kwargs={"role": role, "parent_url": parent_url},
            )

    def parse_rechecked(self, response, role, parent_url):
        portal = response.meta["portal"]
        self.stat(portal, "rechecked")
        if response.status == 304:
            self.stat(portal, "not_modified")
            return
        if role == "page":
            yield from self.parse_detail(response)
        else:
            yield from self.parse_attachment(response, parent_url, role)

    def on_recheck_error(self, failure):
        """A known report URL that answers 404 or 410 is a removal; every failure is also
        recorded as the portals spider records it."""
        request = failure.request
        kind, _ = describe(failure)
        if kind in GONE_KINDS and request.meta.get("stage") in ("detail", "attachment"):
            self.stat(request.meta["portal"], "removed")
            yield Removal(request.url, request.meta["portal"]["id"], kind)
        self.on_error(failure)
