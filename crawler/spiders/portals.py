"""`portals`: crawl the annual-report columns of every portal in a registry.

List pages -> family.report_links (by title) and family.next_pages; detail pages whose
title is a report -> a `page` document plus its attachments; nothing is parsed beyond
HTML here: PDFs and DOCX are only archived, extraction runs after the crawl.
"""

import hashlib

import scrapy

from crawler.families import family_for
from crawler.middlewares.archive import request_failed
from extractors.metadata import is_report_title


class PortalsSpider(scrapy.Spider):
    name = "portals"

    def __init__(self, portals=(), **kwargs):
        super().__init__(**kwargs)
        self.portals = list(portals)

    async def start(self):
        for portal in self.portals:
            for url in portal["start_urls"]:
                yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error,
                                     meta={"portal": portal, "stage": "list"})

    def parse_list(self, response):
        portal = response.meta["portal"]
        family = family_for(portal.get("family"), response)
        meta = {"portal": portal, "family": family.name}
        self.crawler.stats.inc_value(f"portal/{portal['id']}/list_pages")
        if is_report_title(family.detail_title(response)):  # e.g. a Hanweb col page that is the report
            yield from self.parse_detail(response)
        for link in family.report_links(response):
            yield response.follow(link.url, callback=self.parse_detail, errback=self.on_error,
                                  meta={**meta, "stage": "detail", "list_title": link.title})
        for url in family.next_pages(response):
            yield response.follow(url, callback=self.parse_list, errback=self.on_error,
                                  meta={**meta, "stage": "list"})

    def parse_detail(self, response):
        portal = response.meta["portal"]
        family = family_for(response.meta.get("family") or portal.get("family"), response)
        title = family.detail_title(response)
        if not is_report_title(title):
            title = response.meta.get("list_title", "")
        if not is_report_title(title):
            self.crawler.stats.inc_value(f"portal/{portal['id']}/not_reports")
            return
        self.crawler.stats.inc_value(f"portal/{portal['id']}/reports")
        yield self.document(response, "page", title=title)
        for url in family.attachments(response):
            yield response.follow(url, callback=self.parse_attachment, errback=self.on_error,
                                  meta={"portal": portal, "stage": "attachment", "parent_url": response.url})

    def parse_attachment(self, response):
        yield self.document(response, "attachment", parent_url=response.meta["parent_url"])

    def document(self, response, role, title=None, parent_url=None):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        charset = content_type.split("charset=")[-1].strip() if "charset=" in content_type else None
        return {
            "url": response.url, "portal_id": response.meta["portal"]["id"], "role": role,
            "parent_url": parent_url, "title": title, "sha256": hashlib.sha256(response.body).hexdigest(),
            "content_type": content_type, "http_charset": charset,
        }

    def on_error(self, failure):
        request = failure.request
        portal = request.meta.get("portal", {})
        self.crawler.stats.inc_value(f"portal/{portal.get('id')}/failed")
        self.crawler.signals.send_catch_log(
            request_failed, url=request.url, stage=request.meta.get("stage", "fetch"),
            failure=failure, portal_id=portal.get("id"),
        )
