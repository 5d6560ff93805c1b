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
from contextlib import ExitStack
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse, TextResponse

from crawler.challenges import PortalBlocked
from crawler.failures import CANNOT_WRITE, describe, stop_crawl
from crawler.families import family_for
from crawler.families.generic import same_site
from crawler.items import Alias, Column, Document, Reject
from crawler.platforms import is_government_host, page_names_unit, scope_of, token_in_link
from crawler.registry import load_registry, select_portals
from crawler.render import is_scripted_list, render_meta
from crawler.signals import crawl_problem
from crawler.silent_zeros import script_filled_list
from crawler.state import crawl_state
from extractors.html import table_image_urls
from extractors.judge import title_verdict
from extractors.metadata import is_report_title
from storage.lock import LOCKED_EXIT_STATUS, DatabaseLocked, database_lock
from storage.migrations import migrate

SCRIPTED_EMPTY = (
    "the list on this page is filled by script and stayed empty once rendered in the browser: "
    "open it in a browser to see whether it lists anything"
)
RENDER_LIMIT = (
    "this list is filled by script and the portal's budget of pages rendered in the browser is spent "
    "(GOVREPORTS_MAX_RENDERED_PAGES); it was not read"
)


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
        self.platforms = {}  # portal id -> [Scope] of its sections on shared platforms elsewhere
        self.registry_hosts = {urlsplit(u).hostname for p in self.portals for u in p["start_urls"]}
        self.rendered = {}  # portal id -> list page URLs rendered in the browser
        # (portal id, column URL) -> every link its list pages showed in this run, and the
        # portals whose columns were not all read (a list page failed): their links are kept,
        # but no report counts as gone from a column of theirs (storage/changes.py)
        self.column_listings = {}
        self.partly_read = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # One writer per database, `scrapy crawl` included: held until the engine has stopped,
        # after every component closed its files (reentrant under `govreports crawl`)
        spider.writer_lock = ExitStack()
        try:
            spider.writer_lock.enter_context(database_lock(crawler.settings.get("GOVREPORTS_DB")))
        except DatabaseLocked as error:  # nothing opened yet: say so in one line, exit as `govreports crawl` does
            spider.logger.critical("%s; this crawl did not start", error)
            raise SystemExit(LOCKED_EXIT_STATUS) from None
        crawler.signals.connect(spider.writer_lock.close, signal=signals.engine_stopped)
        if spider.state is None:  # `scrapy crawl`: what earlier crawls left, from the settings' database
            migrate(crawler.settings.get("GOVREPORTS_DB"))
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
                request = self.list_request(canonical, portal)
                if request is not None:
                    yield request

    def list_request(self, url, portal, place=None, probe=False):
        """A request for a list page not yet requested, within the portal's page budget.
        A probe (another year of a unit's report module) that answers 404 is no failure.
        place: parse_list's keyword arguments (the column, its depth, ...)."""
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
        # dont_filter (conditional_request): pages told apart by their fragment alone (gkmlpt
        # /gkmlpt/index#2411) are distinct columns; `seen` keeps each page to one request
        return conditional_request(
            url,
            *self.state.validators.get(url, (None, None)),
            callback=self.parse_list,
            errback=self.on_error,
            meta={"portal": portal, "stage": "list", "probe": probe},
            cb_kwargs=place or {},
        )

    def parse_list(self, response, column=None, depth=0, in_column=False, found_by=None):
        """A list page of the column at `column` (depth: columns followed from a start URL;
        found_by: how a new column was found, recorded with its first page)."""
        portal = response.meta["portal"]
        response = self.current_copy(response)
        if response is None:
            return
        self.stat(portal, "list_pages")
        if found_by and column == response.request.url:  # a new column's first page
            yield self.new_column(portal, response.request.url, found_by)
        family = family_for(self.family_name(portal, response.url), response)
        page = family.list_page(response, in_column)
        if self.state.scout:  # what the first page says of the portal, and nothing more
            self.scout(portal, response, page)
            return
        place = {"column": column or response.url, "depth": depth, "in_column": page.in_column}
        scripted = page.in_column and not page.is_report and is_scripted_list(response, page)
        if scripted:
            render = self.render_request(response)
            if render is not None:
                yield render
                return
        if page.is_report:
            yield from self.report_and_its_column(response, family, place)
        yield from self.list_requests(response, page, place)
        # a link to a column is no candidate, unless the column is not followed (past the
        # column depth or count limits): then it is judged as a candidate, not lost
        followed = self.columns.get(portal["id"], set()) & {url for url, _ in page.columns}
        yield from self.candidates(response, family, page.links, place, followed)
        if not scripted:  # (one the browser rendered, or could not, is recorded by render_request)
            self.note_script_filled(portal, response, page)
        if not page.in_column and depth == 0:  # a home page: on to its disclosure home
            yield from self.disclosure_homes(response, family, place)

    def note_script_filled(self, portal, response, page):
        """A column page whose list is empty and filled by a script no family decodes: recorded,
        so that its portal's missing reports are not a silent zero."""
        if not page.in_column or page.links or page.columns or page.next_pages:
            return
        if isinstance(response, HtmlResponse) and script_filled_list(response):
            self.stat(portal, "scripted_lists")
            self.problem(
                portal,
                response.url,
                "list",
                "scripted_list",
                "this column's list is empty in the page and filled by a script the crawler does not run: "
                "its reports were not read",
            )

    def render_request(self, response):
        """The request that renders in the browser a column page filled by script that no
        family decodes, within the portal's budget of rendered pages; None when the page was
        rendered already (a page still empty once rendered is recorded) or the budget is spent."""
        portal = response.meta["portal"]
        if response.meta.get("playwright"):
            self.problem(portal, response.url, "render", "scripted_list_empty", SCRIPTED_EMPTY)
            return None
        rendered = self.rendered.setdefault(portal["id"], set())
        limit = self.settings.getint("GOVREPORTS_MAX_RENDERED_PAGES")
        if response.url in rendered:
            return None
        if len(rendered) >= limit:
            self.problem(portal, response.url, "list", "render_limit", f"{RENDER_LIMIT} ({limit} pages rendered)")
            return None
        rendered.add(response.url)
        self.stat(portal, "rendered_pages")
        return response.request.replace(
            dont_filter=True,
            headers={},
            meta={**response.request.meta, **render_meta(self.settings), "stage": "render", "dont_retry": True},
            cb_kwargs={**response.request.cb_kwargs, "found_by": None},
        )

    def new_column(self, portal, url, found_by):
        self.stat(portal, "columns")
        return Column(url, portal["id"], **found_by)

    def disclosure_homes(self, response, family, place):
        """The disclosure homes a home page links to, followed (not recorded as columns) to
        find the annual-report column there."""
        if isinstance(response, HtmlResponse):
            portal = response.meta["portal"]
            self.stat(portal, "home_pages")
            hosts = start_hosts(portal)
            for url, text in family.disclosure_home_links(response):
                if same_site(url, hosts):
                    for request in self.column(response, url, text, {**place, "in_column": False}, record=False):
                        self.stat(portal, "disclosure_homes")
                        yield request
                else:
                    yield from self.platform_section(response, url, place)

    def platform_section(self, response, url, place):
        """The portal's disclosure home on another host (a province-wide platform): requested
        when that host is a government one, and taken as the portal's in parse_platform_section."""
        portal = response.meta["portal"]
        if not is_government_host(urlsplit(url).hostname, self.registry_hosts):
            return
        section = {**place, "column": url, "depth": place["depth"] + 1, "in_column": False}
        request = self.list_request(url, portal, section)
        if request is not None:
            token = token_in_link(portal, url)
            yield request.replace(callback=self.parse_platform_section, cb_kwargs={**section, "token": token})

    def parse_platform_section(self, response, token, **place):
        """A disclosure home on a shared platform: the portal's own when the link named the
        unit or the page does; its subtree is then crawled as the portal's."""
        portal = response.meta["portal"]
        section = self.current_copy(response)  # a 304: its archived copy says whose it is
        if section is None:
            return
        scope = scope_of(response.url, token)
        if scope is None or not (token or page_names_unit(portal, section)):
            self.problem(
                portal,
                response.url,
                "list",
                "platform_not_own",
                "the home page's 信息公开 link leads to another site that does not say it is this portal's "
                "section (neither the link nor the page names the unit): not followed",
            )
            return
        self.platforms.setdefault(portal["id"], []).append(scope)
        self.stat(portal, "platform_sections")
        self.stat(portal, "disclosure_homes")  # a section found: a portal with no report has no column there
        yield from self.parse_list(section, **place)

    def family_name(self, portal, url):
        """The family the registry declares for the portal, on its own site; on a platform
        elsewhere none (the platform's CMS is detected)."""
        return portal.get("family") if same_site(url, start_hosts(portal)) else None

    def on_platform(self, portal, url):
        """url is in the portal's own part of a shared platform."""
        return any(scope.holds(url) for scope in self.platforms.get(portal["id"], ()))

    def strays(self, portal, page_url, url):
        """A link from the portal's part of a shared platform to another unit's part of it."""
        return (
            self.on_platform(portal, page_url)
            and not self.on_platform(portal, url)
            and not same_site(url, start_hosts(portal))
        )

    def current_copy(self, response):
        """The list page as it is now: the response, or for a 304 Not Modified its last
        archived copy (None when there is none)."""
        if response.status != 304:
            return response
        self.stat(response.meta["portal"], "list_not_modified")
        copy = self.archived(response)
        if copy is None:
            self.partly_read.add(response.meta["portal"]["id"])
        return copy

    def scout(self, portal, response, page):
        """What the first page says of the portal: the family it looks like, the reports it
        lists, and how many pages and columns it leads to."""
        self.stat(portal, f"looks_like_{family_for(None, response).name}")
        stats = self.crawler.stats
        stats.set_value(f"portal/{portal['id']}/first_page_reports", sum(not link.needs_check for link in page.links))
        leads = len(page.next_pages) + len(page.probe_pages) + len(page.columns)
        stats.set_value(f"portal/{portal['id']}/first_page_leads", leads)

    def report_and_its_column(self, response, family, place):
        """A start URL that is one report (or a Hanweb col page that is itself the report):
        the report, then the column it belongs to."""
        yield from self.parse_detail(response, **place)
        parent = family.parent_column(response)
        if parent:
            url, guessed = parent
            yield from self.column(response, url, "", {**place, "in_column": True}, probe=guessed)

    def list_requests(self, response, page, place):
        """The further pages of the list, its probes, and the columns it links to."""
        portal = response.meta["portal"]
        for url in page.next_pages:
            request = self.list_request(response.urljoin(url), portal, place)
            if request is not None:
                yield request
        for url in page.probe_pages:
            request = self.list_request(url, portal, place, probe=True)
            if request is not None:
                yield request
        for url, text in page.columns:
            yield from self.column(response, url, text, {**place, "in_column": True})

    def candidates(self, response, family, links, place, columns):
        """Each candidate of a list page (less the links to columns): rejected by its title
        (recorded, not fetched), known from an earlier crawl, or fetched and judged on its own
        page."""
        portal = response.meta["portal"]
        budget = CandidateBudget(self, portal)
        self.column_listings.setdefault((portal["id"], place["column"]), set()).update(
            link.url for link in links if link.url not in columns
        )
        for link in links:
            if link.url in columns or self.strays(portal, response.url, link.url):
                continue
            for other in link.aliases:
                yield alias(link.url, other, family.canonical(other)[1] or "alias", portal)
            verdict = title_verdict(link.title)
            if verdict not in (None, "report"):
                self.stat(portal, "rejects")
                yield reject(link.url, portal, link.title, verdict, "title", place["column"])
                continue
            if link.url in self.state.known_urls and not self.state.full:
                self.stat(portal, "known_skipped")
                continue
            if link.url in self.requested or not budget.take():
                continue
            self.requested.add(link.url)
            self.stat(portal, "candidates")
            yield response.follow(
                link.url,
                callback=self.parse_detail,
                errback=self.on_error,
                dont_filter=True,
                meta={"portal": portal, "stage": "detail"},
                cb_kwargs={**place, "family": family.name, "list_title": link.title},
            )
        if budget.left_over:
            self.crawler.stats.inc_value(f"portal/{portal['id']}/candidates_capped", budget.left_over)
            self.problem(portal, response.url, "list", "candidates_capped", budget.message())

    def column(self, response, url, text, place, record=True, probe=False):
        """A column found on this page (or, not recorded, the disclosure home it may be on):
        crawled on the same site within the depth and number-of-columns limits."""
        portal = response.meta["portal"]
        depth = place["depth"] + 1
        columns = self.columns.setdefault(portal["id"], set())
        on_site = same_site(url, start_hosts(portal)) or self.on_platform(portal, url)
        if url in columns or not on_site or depth > self.settings.getint("GOVREPORTS_MAX_COLUMN_DEPTH"):
            return
        if len(columns) >= self.settings.getint("GOVREPORTS_MAX_COLUMNS"):
            return
        found_by = {"parent_url": response.url, "link_text": text, "depth": depth} if record else None
        place = {**place, "column": url, "depth": depth, "found_by": found_by}
        request = self.list_request(url, portal, place, probe=probe)
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

    def parse_detail(self, response, column=None, depth=0, in_column=False, family=None, list_title=None):
        """A candidate's page (or file), listed under list_title in the column at `column`
        (at depth `depth`) by a list read as `family`."""
        portal = response.meta["portal"]
        if not isinstance(response, TextResponse):  # a PDF, DOC or DOCX listed in the column itself
            self.stat(portal, "detail_fetched")
            yield self.document(
                response,
                "page",
                title=list_title,
                doc_key=family_for(portal.get("family")).document_key(response.url),
            )
            return
        family = family_for(family or portal.get("family"), response)
        if response.meta.get("stage") == "detail":
            self.stat(portal, "detail_fetched")
        title = family.detail_title(response)
        if not is_report_title(title):
            list_title = list_title or ""
            title = list_title if is_report_title(list_title) else title or list_title
        verdict = title_verdict(title)
        if verdict not in (None, "report"):
            self.stat(portal, "rejects")
            yield reject(response.url, portal, title, verdict, "page", column)
            return
        if verdict is None and family.is_list(response):
            # an item under a vague title that is a list: a column (per department, per year),
            # recorded one deeper than the column listing it. Judged a list on its own page, it
            # starts a new count of column links against GOVREPORTS_MAX_COLUMN_DEPTH (depth 0).
            yield self.new_column(
                portal, response.url, {"parent_url": column, "link_text": list_title, "depth": depth + 1}
            )
            yield from self.parse_list(response, column=column, in_column=in_column)
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
        linked = [(url, "attachment") for url in attachments] + [(url, "image") for url in images]
        linked = [(url, role) for url, role in linked if self.state.full or url not in self.state.known_urls]
        limit = self.settings.getint("GOVREPORTS_MAX_CANDIDATES_PER_PAGE")
        if len(linked) > limit:  # the page stays unknown until all are fetched: later runs fetch the rest
            self.problem(
                portal,
                response.url,
                "detail",
                "candidates_capped",
                f"{len(linked) - limit:,} of the {len(linked):,} new attachments and pictures of this page are left "
                f"for a later run: a run fetches at most {limit:,} per page",
            )
            linked = linked[:limit]
        for url, role in linked:
            if url in self.requested:
                continue
            self.requested.add(url)
            meta = {"portal": portal, "stage": role}
            if role == "image":
                meta["download_maxsize"] = self.settings.getint("GOVREPORTS_MAX_IMAGE_SIZE")
            yield response.follow(
                url,
                callback=self.parse_attachment,
                errback=self.on_error,
                dont_filter=True,
                meta=meta,
                cb_kwargs={"parent_url": response.url, "role": role},
            )

    def article_images(self, response):
        """The pictures inside the article of a page that holds no statistical table in HTML:
        its tables may be published as pictures, read by OCR at extraction."""
        if b"<img" not in response.body.lower() or response.body.lower().count(b"<td") >= MIN_TABLE_CELLS:
            return []
        return table_image_urls(response.body, response.url, http_charset(response))

    def parse_attachment(self, response, parent_url, role="attachment"):
        self.stat(response.meta["portal"], "attachments_fetched" if role == "attachment" else "images_fetched")
        yield self.document(response, role, parent_url=parent_url)

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

    def closed(self, reason):
        if reason == CANNOT_WRITE:
            self.logger.critical("the crawl stopped: %s", self.crawler.stats.get_value(CANNOT_WRITE))

    def on_error(self, failure):
        request = failure.request
        if failure.check(PortalBlocked):  # its portal's challenge is recorded once, by its first answer
            self.stat(request.meta["portal"], "blocked_skipped")
            return
        kind, message = describe(failure)
        if kind == CANNOT_WRITE:  # this machine's fault: the page is fetched again by the next run
            stop_crawl(self.crawler, failure.value)
            return
        if request.meta.get("probe") and kind == "http_404":
            self.stat(request.meta["portal"], "probes_absent")
            return
        url = request.meta.get("redirect_urls", [request.url])[0]  # the URL the portal linked to
        self.problem(request.meta.get("portal", {}), url, request.meta.get("stage", "fetch"), kind, message)

    def problem(self, portal, url, stage, kind, message):
        if stage in ("list", "render") and kind != "candidates_capped":
            self.partly_read.add(portal.get("id"))
        self.crawler.stats.inc_value(f"portal/{portal.get('id')}/failed")
        self.crawler.signals.send_catch_log(
            crawl_problem, url=url, stage=stage, kind=kind, message=message, portal_id=portal.get("id")
        )


class CandidateBudget:
    """How many candidates of one list page are fetched in this run: at most
    GOVREPORTS_MAX_CANDIDATES_PER_PAGE, and no more than the portal's
    GOVREPORTS_MAX_CANDIDATES in all; the others are left for later runs (the fetched ones are
    known by then), so a page of 100,000 links cannot keep a scheduled run going for hours."""

    def __init__(self, spider, portal):
        self.per_page = spider.settings.getint("GOVREPORTS_MAX_CANDIDATES_PER_PAGE")
        self.per_portal = spider.settings.getint("GOVREPORTS_MAX_CANDIDATES")
        self.portal_taken = spider.crawler.stats.get_value(f"portal/{portal['id']}/candidates", 0)
        self.taken = self.left_over = 0

    def take(self):
        if self.taken >= self.per_page or self.portal_taken + self.taken >= self.per_portal:
            self.left_over += 1
            return False
        self.taken += 1
        return True

    def message(self):
        return (
            f"{self.left_over:,} of the {self.taken + self.left_over:,} new candidates on this list page are left "
            f"for a later run: a run fetches at most {self.per_page:,} per list page and {self.per_portal:,} per portal"
        )


def conditional_request(url, etag, modified, meta, **options):
    """A request of url carrying the validators of its last capture (If-None-Match: etag,
    If-Modified-Since: modified; either may be None), which a 304 answers when nothing changed.
    Not filtered as a duplicate: the caller keeps each URL to one request."""
    headers = {"If-None-Match": etag} if etag else {}
    if modified:
        headers["If-Modified-Since"] = modified
    meta = {**meta, "handle_httpstatus_list": [304]}
    return scrapy.Request(url, headers=headers, dont_filter=True, meta=meta, **options)


def start_hosts(portal):
    """The hosts of the portal's start URLs: its own site."""
    return {urlsplit(url).hostname for url in portal["start_urls"]}


def http_charset(response):
    """The charset the Content-Type header declares, or None."""
    content_type = response.headers.get("Content-Type", b"").decode("latin-1")
    return content_type.split("charset=")[-1].strip() if "charset=" in content_type else None


MIN_TABLE_CELLS = 40  # a page with fewer <td> has no statistical table in HTML (表三 alone has ~200 cells)


def reject(url, portal, title, reason, judged_by, column_url):
    """An item saying that the candidate at `url` is no report, and why."""
    return Reject(url, portal["id"], title, reason, judged_by, column_url)


def alias(url, other, kind, portal):
    """An item saying that `other` is another URL of the document at `url`."""
    return Alias(other, url, kind, portal["id"])
