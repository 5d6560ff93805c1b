"""A progress bar with an ETA on stderr while a crawl or a check runs over many portals.

Enabled by the setting GOVREPORTS_PROGRESS (the `govreports` commands set it). A portal
counts as done when the spider says so (`spider.finished`, the check), else when its first
request has come back (the crawl: portals reached). On a terminal the bar is redrawn in
place every GOVREPORTS_PROGRESS_INTERVAL seconds; into a file or pipe, a line at most every
30 seconds, and a last line at the end.

Hand-written, not tqdm (which draws the extraction's and the export's bars): it is drawn by a
LoopingCall inside Scrapy's reactor from the spider's signals, and into a log it writes a line
every 30 s where tqdm writes carriage-return redraws.
"""

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

BAR_WIDTH = 24
PIPE_INTERVAL = 30.0


def progress_line(done, total, elapsed, pages):
    """'[######------------------]  312/3,779 portals   8%  1,204 pages  ETA 0:14:05'"""
    share = done / total if total else 1.0
    filled = round(BAR_WIDTH * share)
    eta = "ETA --:--:--"
    if 0 < done < total:
        eta = f"ETA {clock(elapsed / done * (total - done))}"
    elif done >= total:
        eta = f"took {clock(elapsed)}"
    return (
        f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>{len(f'{total:,}')},}/{total:,} portals "
        f"{share:>4.0%}  {pages:,} pages  {eta}"
    )


def clock(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    def __init__(self, crawler, stream):
        self.crawler = crawler
        self.stream = stream
        self.tty = stream.isatty()
        interval = crawler.settings.getfloat("GOVREPORTS_PROGRESS_INTERVAL", 1.0)
        self.interval = interval if self.tty else max(interval, PIPE_INTERVAL)
        self.reached = set()
        self.pages = 0
        self.loop = None
        self.started = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVREPORTS_PROGRESS"):
            raise NotConfigured
        progress = cls(crawler, sys.stderr)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(progress.left_downloader, signal=signals.request_left_downloader)
        return progress

    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.draw, spider)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
        self.draw(spider, last=True)

    def left_downloader(self, request, spider):
        self.pages += 1
        portal = request.meta.get("portal")
        if portal:
            self.reached.add(portal["id"])

    def done(self, spider):
        finished = getattr(spider, "finished", None)
        return len(finished if finished is not None else self.reached)

    def draw(self, spider, last=False):
        total = len(getattr(spider, "portals", ()))
        line = progress_line(self.done(spider), total, time.monotonic() - self.started, self.pages)
        if self.tty:
            self.stream.write("\r" + line + ("\n" if last else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
