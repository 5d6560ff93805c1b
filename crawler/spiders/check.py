"""`portals_check`: what each portal's first pages say, for `govreports portals check`.

Per portal, at most a handful of requests: the start URL; from a home page, its 信息公开
home; the first page of each annual-report column found there (up to CHECK_COLUMNS). Nothing
is archived for keeps (the command runs it against a scratch database) and no report is
fetched. Concurrent across hosts and polite per host by the crawl's own settings (download
slots per host, delay, autothrottle).

Each portal's findings are in `spider.results[portal id]` (crawler/check.py turns them into
rows); `spider.finished` is the set of portals with no request left, for the progress bar.
"""

from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse

from crawler.failures import describe
from crawler.families import family_for
from crawler.families.generic import COLUMN_TEXT_RE, same_site
from extractors.metadata import is_report_title

CHECK_COLUMNS = 3  # annual-report columns whose first page is read, per portal
TEXT_CHARS = 20_000  # of a page's text, searched for the agency's name


class PortalCheckSpider(scrapy.Spider):
    name = "portals_check"

    def __init__(self, portals=(), **kwargs):
        super().__init__(**kwargs)
        self.portals = list(portals)
        self.results = {}
        self.pending = {}  # portal id -> requests not yet answered
        self.finished = set()

    async def start(self):
        for portal in self.portals:
            self.results[portal["id"]] = {"columns": {}, "first_page_reports": 0}
            yield self.request(portal, portal["start_urls"][0], "start")

    def request(self, portal, url, role):
        self.pending[portal["id"]] = self.pending.get(portal["id"], 0) + 1
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            dont_filter=True,
            meta={"portal": portal, "stage": "list", "role": role},
        )

    def done(self, portal):
        self.pending[portal["id"]] -= 1
        if not self.pending[portal["id"]]:
            self.finished.add(portal["id"])

    def parse_page(self, response):
        portal, role = response.meta["portal"], response.meta["role"]
        result = self.results[portal["id"]]
        try:
            if not isinstance(response, HtmlResponse):
                if role == "start":
                    result.update(answers=True, status=response.status, final_url=response.url, failure="not_html")
                return
            family = family_for(portal.get("family"), response)
            if role == "start":
                yield from self.start_page(response, portal, result, family)
            elif role == "home":
                result["disclosure_home"] = response.url
                yield from self.columns_of(response, portal, result, family)
            else:
                links = family.report_links(response, True)
                result["first_page_reports"] += sum(not link.needs_check for link in links)
        finally:
            self.done(portal)

    def start_page(self, response, portal, result, family):
        title = " ".join(response.css("title::text").getall()).strip()
        text = " ".join(response.css("body ::text").getall())[:TEXT_CHARS]
        result.update(
            answers=True,
            status=response.status,
            final_url=response.url,
            title=title[:200],
            looks_like=family_for(None, response).name,
        )
        hosts = {urlsplit(u).hostname for u in portal["start_urls"]}
        if not same_site(response.url, hosts):
            result["failure"] = "other_site"
            result["detail"] = f"redirected off the portal's site to {response.url}"
        elif not names_the_agency(portal, f"{title} {text}"):
            result["failure"] = "other_site"
            result["detail"] = f"the page does not name {agency_core(portal)!r}: {title[:80]!r}"
        if result.get("failure"):
            return
        if is_report_title(family.detail_title(response)):  # a start URL that is one report
            result["first_page_reports"] += 1
            parent = family.parent_column(response)
            if parent and not parent[1]:  # its column, where the page names it (not guessed)
                result["columns"].setdefault(parent[0], (response.url, "breadcrumb"))
            return
        in_column = bool(COLUMN_TEXT_RE.search(title))
        links = family.report_links(response, in_column)
        result["first_page_reports"] += sum(not link.needs_check for link in links)
        # further list pages of a start URL that is a column (numbered pages, a list API)
        result["leads"] = len([*family.next_pages(response), *family.probe_pages(response)])
        if in_column:
            result["columns"].setdefault(response.url, (response.url, title[:80]))
        found = list(self.columns_of(response, portal, result, family))
        yield from found
        if not found and not in_column:
            for url, _ in family.disclosure_home_links(response)[:1]:
                yield self.request(portal, response.urljoin(url), "home")

    def columns_of(self, response, portal, result, family):
        hosts = {urlsplit(u).hostname for u in portal["start_urls"]}
        for url, text in family.column_links(response, False):
            url = response.urljoin(url)
            if not same_site(url, hosts) or url in result["columns"]:
                continue
            result["columns"][url] = (response.url, text)
            if len(result["columns"]) <= CHECK_COLUMNS:
                yield self.request(portal, url, "column")

    def on_error(self, failure):
        request = failure.request
        portal, role = request.meta["portal"], request.meta["role"]
        if role == "start":
            kind, message = describe(failure)
            self.results[portal["id"]].update(answers=False, failure=kind, detail=message[:300])
        self.done(portal)


def agency_core(portal):
    """An agency's name less 人民政府: 栖霞区人民政府 -> 栖霞区."""
    return (portal.get("name") or "").removesuffix("人民政府")


def names_the_agency(portal, text):
    """A site names its agency, at least by the first two characters (栖霞区 -> 栖霞, 江苏财政厅
    -> 江苏); a national organ's site, or a portal without a name, is not judged."""
    core = agency_core(portal)
    if portal.get("level") == "national" or len(core) < 2:
        return True
    return core[:2] in text
