"""Sites that answer a plain client with a script challenge instead of their pages: an
anti-bot service (瑞数/Ruishu HTTP 412 pages, 加速乐/Jiasule and Cloudflare-style 521/503
pages, 202 "checking your browser" pages) sends a short page whose scripts compute a cookie
and load the page again. The crawl never runs such scripts: the portal is recorded once as
`blocked_by_challenge` and no further request of it is sent in this crawl."""

from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.exceptions import IgnoreRequest

# Statuses such services answer with; a 200 page is never taken for a challenge.
CHALLENGE_STATUSES = {202, 403, 412, 503, 521}
MAX_CHALLENGE_BYTES = 64 * 1024  # a challenge page is a short shell; a real page may be long
MAX_VISIBLE_CHARS = 200  # what a reader sees on a challenge page: nothing, or one sentence
VISIBLE_TEXT = "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
BLOCKED_KIND = "blocked_by_challenge"


class ChallengeAnswered(IgnoreRequest):
    """The site answered this request with a script challenge (the first of its portal)."""


class PortalBlocked(IgnoreRequest):
    """A request of a portal already found behind a script challenge in this crawl: not sent."""


def is_challenge(response):
    """A response that is a script challenge: one of CHALLENGE_STATUSES, a short HTML page
    holding scripts, with (almost) no text a reader sees and no link into the site (a service's
    own link, "Performance & security by …", is no page of the site)."""
    if response.status not in CHALLENGE_STATUSES or len(response.body) > MAX_CHALLENGE_BYTES:
        return False
    if b"<script" not in response.body.lower():
        return False
    page = Selector(text=response.body.decode("utf-8", "replace"))
    visible = "".join(text.strip() for text in page.xpath(VISIBLE_TEXT).getall())
    return len(visible) <= MAX_VISIBLE_CHARS and not links_into_site(page, response.url)


def links_into_site(page, url):
    host = urlsplit(url).hostname
    return [href for href in page.xpath("//a/@href").getall() if urlsplit(urljoin(url, href)).hostname == host]


def challenge_message(response):
    cookie = " and sets a cookie" if response.headers.get("Set-Cookie") else ""
    return (
        f"the site answers HTTP {response.status} with a script challenge{cookie} instead of its pages: "
        "an anti-bot service (such as 瑞数/Ruishu, 加速乐/Jiasule or Cloudflare) checks for a browser. "
        "The crawler does not run such scripts, so none of this portal's pages were read in this crawl; "
        "ask the site to let the archive's crawler through, or add its reports' URLs by hand"
    )


class ChallengeMiddleware:
    """Sits above the retry middleware: a challenge is never retried. Its first answer fails
    its request (ChallengeAnswered, recorded by the spider); every later request of the same
    portal is dropped before it is sent (PortalBlocked, not recorded)."""

    def __init__(self):
        self.blocked = set()  # ids of the portals found behind a challenge

    def process_request(self, request):
        portal_id = request.meta.get("portal", {}).get("id")
        if portal_id is not None and portal_id in self.blocked:
            raise PortalBlocked(f"portal {portal_id} is behind a script challenge")

    def process_response(self, request, response):
        portal_id = request.meta.get("portal", {}).get("id")
        if portal_id is None or not is_challenge(response):
            return response
        if portal_id in self.blocked:  # a request already in flight when the first answer came
            raise PortalBlocked(f"portal {portal_id} is behind a script challenge")
        self.blocked.add(portal_id)
        raise ChallengeAnswered(challenge_message(response))
