"""`portals`: crawl the annual-report columns of every portal in a registry.

List pages -> family.report_links (by title) and family.next_pages; detail pages whose
title is a report -> a `page` document plus its attachments. A report seen under other
URLs (a big5 gateway link, a TRS `_wap` page) is fetched once, at its canonical URL; the
other URLs are recorded as its aliases. Nothing is parsed beyond HTML here: PDFs and DOCX
are only archived; extraction runs after the crawl.

Incremental: list pages are fetched every run (conditionally, with the last ETag /
Last-Modified; a 304 is parsed from the archived copy); report pages and attachments
already in `documents` are not fetched again unless `full` is set. In `scout` mode only the
first list page of each portal is fetched.

From the command line, as any Scrapy spider (the database comes from GOVREPORTS_DB; then
`govreports reextract` extracts what was archived):

    scrapy crawl portals [-a registry=crawler/portals] [-a region=江苏省] [-a level=county] [-a portal=ID[,ID...]]
"""

import json
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from crawler.failures import describe
from crawler.families import family_for
from crawler.families.generic import BREADCRUMB_CSS, COLUMN_TEXT_RE, DETAIL_URL_RE, same_site
from crawler.items import Alias, Column, Document, Reject
from crawler.registry import load_registry, select_portals
from crawler.signals import crawl_problem
from crawler.state import crawl_state
from extractors.html import table_image_urls
from extractors.judge import SECTION_HEADINGS, title_verdict
from extractors.metadata import is_report_title


class PortalsSpider(scrapy.Spider):
    name = "portals"

    def __init__(self, portals=(), state=None, registry=None, portal=None, region=None, level=None, **kwargs):
        """portals: registry entries (from `govreports crawl`), or `-a registry=FILE|FOLDER`
        with `-a portal=ID,ID -a region=江苏省 -a level=county` (from `scrapy crawl`;
        `-a portals=FILE` is taken as the registry)."""
        super().__init__(**kwargs)
        if isinstance(portals, str):
            registry, portals = portals, ()
        if registry is not None or not portals:
            portals = load_registry(registry)
        if portal or region or level:
            choices = [value.split(",") if value else [] for value in (region, level, portal)]
            portals = select_portals(portals, *choices)
            if not portals:
                raise ValueError(
                    f"no portal in the registry matches region={region!r} level={level!r} portal={portal!r}"
                )
        self.portals = list(portals)
        self.state = state
        self.list_pages = {}  # portal id -> distinct list page URLs requested
        self.columns = {}  # portal id -> column URLs found beyond the start URLs
        # Documents are requested with dont_filter so that a redirect loop ends in a recorded
        # "too many redirects" instead of being dropped silently by the dupefilter; this set
        # keeps each document to one request per run.
        self.requested = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.state is None:  # `scrapy crawl`: what earlier crawls left, from the settings' database
            spider.state = crawl_state(crawler.settings.get("GOVREPORTS_DB"))
        return spider

    def stat(self, portal, key):
        self.crawler.stats.inc_value(f"portal/{portal['id']}/{key}")

    async def start(self):
        for portal in self.portals:
            urls = portal["start_urls"][:1] if self.state.scout else portal["start_urls"]
            for url in urls:
                canonical, kind = family_for(portal.get("family")).canonical(url)
                if kind:
                    yield alias(canonical, url, kind, portal)
                request = self.list_request(canonical, {"portal": portal})
                if request is not None:
                    yield request

    def list_request(self, url, meta, probe=False):
        """A request for a list page not yet requested, within the portal's page budget.
        A probe (another year of a unit's report module) that answers 404 is no failure."""
        portal = meta["portal"]
        seen = self.list_pages.setdefault(portal["id"], set())
        if url in seen:
            return None  # every TRS list page announces all the others
        seen.add(url)
        limit = self.settings.getint("GOVREPORTS_MAX_LIST_PAGES")
        if len(seen) > limit:
            if len(seen) == limit + 1:
                self.problem(
                    portal,
                    url,
                    "list",
                    "pagination_limit",
                    f"stopped after {limit} list pages: the pagination does not end (a calendar or a crawler trap?)",
                )
            return None
        headers = {}
        etag, modified = self.state.validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        # dont_filter: pages told apart by their fragment alone (gkmlpt /gkmlpt/index#2411) are
        # distinct columns; `seen` keeps each page to one request
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.on_error,
            headers=headers,
            dont_filter=True,
            meta={**meta, "stage": "list", "handle_httpstatus_list": [304], "probe": probe},
        )

    def parse_list(self, response):
        portal = response.meta["portal"]
        if response.status == 304:
            self.stat(portal, "list_not_modified")
            response = self.archived(response)
            if response is None:
                return
        self.stat(portal, "list_pages")
        found_by = response.meta.get("found_by")
        if found_by and response.meta.get("column") == response.request.url:  # a new column's first page
            self.stat(portal, "columns")
            yield Column(response.request.url, portal["id"], **found_by)
        family = family_for(portal.get("family"), response)
        in_column = response.meta.get("in_column") or (
            isinstance(response, HtmlResponse) and self.is_annual_report_column(response, family)
        )
        if self.state.scout:  # what the first page says of the portal, and nothing more
            self.stat(portal, f"looks_like_{family_for(None, response).name}")
            links = family.report_links(response, in_column)
            self.crawler.stats.set_value(
                f"portal/{portal['id']}/first_page_reports", sum(not link.needs_check for link in links)
            )
            self.crawler.stats.set_value(
                f"portal/{portal['id']}/first_page_leads",
                len(
                    [
                        *family.next_pages(response),
                        *family.probe_pages(response),
                        *(family.column_links(response, in_column) if isinstance(response, HtmlResponse) else []),
                    ]
                ),
            )
            return
        meta = {
            "portal": portal,
            "family": family.name,
            "column": response.meta.get("column", response.url),
            "depth": response.meta.get("depth_in_site", 0),
            "in_column": in_column,
            "found_by": None,
        }
        if isinstance(response, HtmlResponse) and is_report_title(family.detail_title(response)):
            # a start URL that is one report (or a Hanweb col page that is itself the report):
            # the report, then the column it belongs to
            yield from self.parse_detail(response)
            parent = family.parent_column(response)
            if parent:
                url, guessed = parent
                yield from self.column(response, url, "", {**meta, "in_column": True}, probe=guessed)
        columns = family.column_links(response, in_column) if isinstance(response, HtmlResponse) else []
        yield from self.candidates(response, family, meta, in_column, {url for url, _ in columns})
        for url in family.next_pages(response):
            request = self.list_request(response.urljoin(url), meta)
            if request is not None:
                yield request
        for url in family.probe_pages(response):
            request = self.list_request(url, meta, probe=True)
            if request is not None:
                yield request
        for url, text in columns:
            yield from self.column(response, url, text, {**meta, "in_column": True})
        if isinstance(response, HtmlResponse):
            if not in_column and meta["depth"] == 0:  # a home page: on to its disclosure home
                for url, text in family.disclosure_home_links(response):
                    yield from self.column(response, url, text, {**meta, "in_column": False}, record=False)

    @staticmethod
    def is_annual_report_column(response, family):
        """A page that says it is an annual-report column (title, breadcrumb, heading), or
        that lists a report."""
        said = " ".join(
            response.css("title::text, h1::text, h2::text").getall()
            + response.css(BREADCRUMB_CSS.replace(" a,", " ::text,") + " ::text").getall()
        )
        return bool(COLUMN_TEXT_RE.search(said)) or any(not link.needs_check for link in family.report_links(response))

    def candidates(self, response, family, meta, in_column, columns):
        """Each candidate of a list page (less the links to columns): rejected by its title
        (recorded, not fetched), known from an earlier crawl, or fetched and judged on its own
        page."""
        portal = meta["portal"]
        for link in family.report_links(response, in_column):
            if link.url in columns:
                continue
            for other in link.aliases:
                yield alias(link.url, other, family.canonical(other)[1] or "alias", portal)
            verdict = title_verdict(link.title)
            if verdict not in (None, "report"):
                self.stat(portal, "rejects")
                yield reject(link.url, portal, link.title, verdict, "title", meta["column"])
                continue
            if link.url in self.state.known_urls and not self.state.full:
                self.stat(portal, "known_skipped")
                continue
            if link.url in self.requested:
                continue
            self.requested.add(link.url)
            self.stat(portal, "candidates")
            yield response.follow(
                link.url,
                callback=self.parse_detail,
                errback=self.on_error,
                dont_filter=True,
                meta={**meta, "stage": "detail", "list_title": link.title},
            )

    def column(self, response, url, text, meta, record=True, probe=False):
        """A column found on this page (or, not recorded, the disclosure home it may be on):
        crawled on the same site within the depth and number-of-columns limits."""
        portal = meta["portal"]
        depth = meta["depth"] + 1
        hosts = {urlsplit(u).hostname for u in portal["start_urls"]}
        columns = self.columns.setdefault(portal["id"], set())
        if url in columns or not same_site(url, hosts) or depth > self.settings.getint("GOVREPORTS_MAX_COLUMN_DEPTH"):
            return
        if len(columns) >= self.settings.getint("GOVREPORTS_MAX_COLUMNS"):
            return
        found_by = {"parent_url": response.url, "link_text": text, "depth": depth} if record else None
        request = self.list_request(
            url, {**meta, "column": url, "depth_in_site": depth, "found_by": found_by}, probe=probe
        )
        if request is not None:
            columns.add(url)
            yield request

    def archived(self, response):
        """The last archived copy of a list page that answered 304 Not Modified."""
        body = self.state.archived_body(response.url) if self.state.archived_body else None
        if body is None:
            return None
        return HtmlResponse(
            url=response.url, body=body, request=response.request, headers={"Content-Type": "text/html"}
        )

    def parse_detail(self, response):
        portal = response.meta["portal"]
        if not isinstance(response, TextResponse):  # a PDF, DOC or DOCX listed in the column itself
            self.stat(portal, "detail_fetched")
            yield self.document(
                response,
                "page",
                title=response.meta.get("list_title"),
                doc_key=family_for(portal.get("family")).document_key(response.url),
            )
            return
        family = family_for(response.meta.get("family") or portal.get("family"), response)
        if response.meta.get("stage") == "detail":
            self.stat(portal, "detail_fetched")
        title = family.detail_title(response)
        if not is_report_title(title):
            title = (
                response.meta.get("list_title", "")
                if is_report_title(response.meta.get("list_title", ""))
                else title or response.meta.get("list_title", "")
            )
        verdict = title_verdict(title)
        if verdict not in (None, "report"):
            self.stat(portal, "rejects")
            yield reject(response.url, portal, title, verdict, "page", response.meta.get("column"))
            return
        if verdict is None and is_list(response, family):
            # an item under a vague title that is a list: a column (per department, per year)
            yield Column(
                response.url,
                portal["id"],
                response.meta.get("column"),
                response.meta.get("list_title"),
                response.meta.get("depth", 0) + 1,
            )
            self.stat(portal, "columns")
            yield from self.parse_list(response)
            return
        self.stat(portal, "reports" if verdict == "report" else "vague_pages")
        attachments = family.attachments(response)
        images = [url for url in self.article_images(response) if url not in attachments]
        yield self.document(
            response,
            "page",
            title=title,
            doc_key=family.document_key(response.url),
            attachment_urls=json.dumps(attachments + images),
        )
        for url, role in [(url, "attachment") for url in attachments] + [(url, "image") for url in images]:
            if (url in self.state.known_urls and not self.state.full) or url in self.requested:
                continue
            self.requested.add(url)
            meta = {"portal": portal, "stage": role, "parent_url": response.url, "role": role}
            if role == "image":
                meta["download_maxsize"] = self.settings.getint("GOVREPORTS_MAX_IMAGE_SIZE")
            yield response.follow(
                url, callback=self.parse_attachment, errback=self.on_error, dont_filter=True, meta=meta
            )

    def article_images(self, response):
        """The pictures inside the article of a page that holds no statistical table in HTML:
        its tables may be published as pictures, read by OCR at extraction."""
        if b"<img" not in response.body.lower() or response.body.lower().count(b"<td") >= MIN_TABLE_CELLS:
            return []
        return table_image_urls(response.body, response.url, http_charset(response))

    def parse_attachment(self, response):
        role = response.meta.get("role", "attachment")
        self.stat(response.meta["portal"], "attachments_fetched" if role == "attachment" else "images_fetched")
        yield self.document(response, role, parent_url=response.meta["parent_url"])

    def document(self, response, role, title=None, parent_url=None, doc_key=None, attachment_urls=None):
        return Document(
            url=response.url,
            portal_id=response.meta["portal"]["id"],
            role=role,
            sha256=response.meta["body_sha256"],  # set by the archive, which keyed the fetch
            content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
            http_charset=http_charset(response),
            parent_url=parent_url,
            doc_key=doc_key,
            title=title,
            attachment_urls=attachment_urls,
        )

    def on_error(self, failure):
        request = failure.request
        kind, message = describe(failure)
        if request.meta.get("probe") and kind == "http_404":
            self.stat(request.meta["portal"], "probes_absent")
            return
        url = request.meta.get("redirect_urls", [request.url])[0]  # the URL the portal linked to
        self.problem(request.meta.get("portal", {}), url, request.meta.get("stage", "fetch"), kind, message)

    def problem(self, portal, url, stage, kind, message):
        self.crawler.stats.inc_value(f"portal/{portal.get('id')}/failed")
        self.crawler.signals.send_catch_log(
            crawl_problem, url=url, stage=stage, kind=kind, message=message, portal_id=portal.get("id")
        )


def http_charset(response):
    """The charset the Content-Type header declares, or None."""
    content_type = response.headers.get("Content-Type", b"").decode("latin-1")
    return content_type.split("charset=")[-1].strip() if "charset=" in content_type else None


MIN_TABLE_CELLS = 40  # a page with fewer <td> has no statistical table in HTML (表三 alone has ~200 cells)


def is_list(response, family):
    """A page reached under a vague title that lists candidates rather than being a report:
    no report sections, not at a document's URL, more candidates than attachments."""
    if looks_like_report(response) or DETAIL_URL_RE.search(response.url):
        return False
    candidates = family.report_links(response, in_column=True)
    return len(candidates) >= 2 and len(candidates) > len(family.attachments(response))


def looks_like_report(response):
    """A page that holds the official section headings of a report."""
    text = "".join(response.css("body ::text").getall())
    return sum(heading in text for heading in SECTION_HEADINGS) >= 3


def reject(url, portal, title, reason, stage, column_url):
    """An item saying that the candidate at `url` is no report, and why."""
    return Reject(url, portal["id"], title, reason, stage, column_url)


def alias(url, other, kind, portal):
    """An item saying that `other` is another URL of the document at `url`."""
    return Alias(other, url, kind, portal["id"])
