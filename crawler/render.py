"""Rendering, the fallback for list pages filled by script that no family decodes: the page
is opened in headless Chromium (Debian's `chromium`, driven by scrapy-playwright on the
asyncio reactor the crawl runs on; the browser starts on the first page rendered, one page
at a time), the list is left to load (until the network is quiet), and the pager is walked
by clicking its next-page control (within a time and page budget); the rows of every page
walked are kept in the DOM the spider then reads like any list page. Only the portal's own host is reached from the
page; images, fonts and media are never fetched."""

import asyncio
from urllib.parse import urlsplit

from playwright.async_api import Error
from scrapy import signals
from scrapy_playwright.handler import _SCRAPY_ASYNC_API, ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from crawler.families.generic import NEXT_PAGE_TEXTS
from crawler.scripted_lists import LIST_LOADER_RE

SKIPPED_RESOURCES = {"image", "font", "media", "stylesheet"}
KEPT_PAGES_ID = "govreports-rendered-pages"

# Walk the pager in the page: keep each page's links, click the next-page control (one with no
# real href: a real link is followed by the crawl itself), wait until the list changes; stop at
# the last page, the page budget or the deadline. The links of the pages left behind are kept
# in a hidden element of the final DOM.
WALK_PAGER = """async ([nextTexts, maxPages, deadlineMs, keptId]) => {
  const end = Date.now() + deadlineMs;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const settle = async () => {
    let last = -1;
    while (Date.now() < end) {
      const size = document.body.innerHTML.length;
      if (size === last) return;
      last = size;
      await sleep(250);
    }
  };
  const clickable = (e) => {
    const href = (e.getAttribute("href") || "").trim();
    return !href || href === "#" || href.startsWith("javascript");
  };
  const nextControl = () => [...document.querySelectorAll("a, button, span, li, div")].find(
    (e) => e.children.length === 0 && nextTexts.includes(e.textContent.trim()) && clickable(e)
      && !e.disabled && !/disabled/.test(e.className + " " + (e.parentElement || e).className));
  const kept = [];
  await settle();
  for (let page = 1; page < maxPages && Date.now() < end; page++) {
    const next = nextControl();
    if (!next) break;
    const before = document.body.innerHTML;
    for (const a of document.querySelectorAll("a[href]")) kept.push(a.outerHTML);
    next.click();
    while (Date.now() < end && document.body.innerHTML === before) await sleep(100);
    if (document.body.innerHTML === before) break;
    await settle();
  }
  const box = document.createElement("div");
  box.id = keptId;
  box.hidden = true;
  box.innerHTML = kept.join("\\n");
  document.body.appendChild(box);
  return kept.length;
}"""


def is_scripted_list(response, page):
    """A page that shows no candidate and no further page, whose scripts fill a list."""
    return not page.links and not page.next_pages and bool(LIST_LOADER_RE.search(response.text))


def render_meta(settings):
    """The request meta that has scrapy-playwright render the page and walk its pager."""
    budget_ms = settings.getint("GOVREPORTS_RENDER_TIMEOUT") * 1000
    return {
        "playwright": True,
        "playwright_context": "render",
        "playwright_page_goto_kwargs": {"wait_until": "load", "timeout": budget_ms},
        "playwright_page_methods": [
            # the list's first answer in (no request for 500 ms), however slow the site
            PageMethod("wait_for_load_state", "networkidle", timeout=budget_ms),
            PageMethod(
                "evaluate",
                WALK_PAGER,
                [list(NEXT_PAGE_TEXTS), settings.getint("GOVREPORTS_RENDER_PAGER_PAGES"), budget_ms, KEPT_PAGES_ID],
            ),
        ],
    }


def only_the_page_host(request):
    """scrapy-playwright's PLAYWRIGHT_ABORT_REQUEST: what the rendered page may not fetch
    (images, fonts, media, styles; any other host than the page's own)."""
    if request.resource_type in SKIPPED_RESOURCES:
        return True
    try:
        page_url = request.frame.page.url
    except Error:  # a service worker's request: no page of its own
        return True
    if not page_url.startswith("http"):  # the page's own navigation (about:blank until then)
        page_url = request.url
    return urlsplit(request.url).hostname != urlsplit(page_url).hostname


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler whose Playwright driver (a Node process, ~90 MiB)
    starts with the first page rendered instead of with every crawl: most crawls render none."""

    def __init__(self, crawler):
        super().__init__(crawler)
        started = self._maybe_launch_in_thread if _SCRAPY_ASYNC_API else self._engine_started
        crawler.signals.disconnect(started, signal=signals.engine_started)
        self.driver_lock = asyncio.Lock()

    async def _download_request(self, request, spider=None):
        async with self.driver_lock:
            if getattr(self, "browser_provider", None) is None:
                await self._launch()
        return await super()._download_request(request, spider)
