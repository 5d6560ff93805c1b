"""robots.txt, bounded as Google bounds it: at most GOVREPORTS_ROBOTSTXT_MAXSIZE bytes (500 KiB)
are downloaded and read, the rest is ignored, and the file is parsed in a thread, so a 50 MB
robots.txt can neither take gigabytes of memory nor hold up every other portal's requests
while it is parsed. Scrapy's RobotsTxtMiddleware otherwise (one parser per host, fetched
before the host's first request)."""

from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import StopDownload
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler
from twisted.internet.threads import deferToThread


class BoundedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_size = crawler.settings.getint("GOVREPORTS_ROBOTSTXT_MAXSIZE")
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    def bytes_received(self, data, request, spider):
        """The download of a robots.txt stops (keeping what arrived) past the bound."""
        if not is_robots_request(request):
            return
        request.meta["robots_bytes"] = request.meta.get("robots_bytes", 0) + len(data)
        if request.meta["robots_bytes"] > self.max_size:
            raise StopDownload(fail=False)

    async def _parse_robots(self, response, netloc, request):
        """Scrapy's own step (stats, the robots_parsed signal, waiting requests released),
        with the body cut to the bound and the parser built in a thread."""
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        body = whole_lines(response.body, self.max_size)
        if len(body) < len(response.body) or "download_stopped" in response.flags:
            self._stats.inc_value("robotstxt/truncated")
        parser = await maybe_deferred_to_future(deferToThread(build_from_crawler, self._parserimpl, self.crawler, body))
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=parser, request=request
        )
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        waiting.callback(parser)


def is_robots_request(request):
    return request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt"


def whole_lines(body, limit):
    """The first `limit` bytes of body, less a line cut in two (half a rule may say more than
    the rule: `Disallow: /a` of `Disallow: /archive/`)."""
    if len(body) <= limit:
        return body
    return body[: body.rfind(b"\n", 0, limit) + 1]
