"""Run one crawl in this process (Scrapy's reactor runs once per process)."""

import signal

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.failures import CANNOT_WRITE, CannotWrite
from crawler.spiders.portals import PortalsSpider
from crawler.spiders.recheck import RecheckSpider
from crawler.state import crawl_state
from storage.migrations import migrate


class CrawlStopped(RuntimeError):
    """SIGINT or SIGTERM during the crawl (Scrapy then closes the spider gracefully)."""

    def __init__(self, signum):
        super().__init__(
            f"the crawl was stopped by {signal.Signals(signum).name} before it finished: what was fetched is "
            "archived, nothing was extracted; the next run goes on from there"
        )
        self.signum = signum


class SignalledCrawlerProcess(CrawlerProcess):
    """A CrawlerProcess that remembers the signal that stopped it."""

    stop_signal = None

    def _signal_shutdown(self, signum, frame):
        self.stop_signal = self.stop_signal or signum
        super()._signal_shutdown(signum, frame)


def crawl_settings(db_path, settings_module, overrides, progress):
    settings = Settings()
    settings.setmodule(settings_module, priority="project")
    settings.set("GOVREPORTS_DB", str(db_path), priority="cmdline")
    settings.set("GOVREPORTS_PROGRESS", progress, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(
    portals, db_path, settings_module="crawler.settings", overrides=None, full=False, scout=False, progress=False
):
    """Crawl the portals into db_path; returns {portal id: {list_pages, reports, ...}}. Raises
    CannotWrite when the crawl stopped because the database or the archive could not be written,
    CrawlStopped when SIGINT or SIGTERM stopped it."""
    settings = crawl_settings(db_path, settings_module, overrides, progress)
    migrate(db_path)
    state = crawl_state(db_path, full=full, scout=scout)
    process = SignalledCrawlerProcess(settings)
    crawler = process.create_crawler(PortalsSpider)
    process.crawl(crawler, portals=portals, state=state)
    process.start()
    stats = crawler.stats.get_stats()
    if process.stop_signal:
        raise CrawlStopped(process.stop_signal)
    if stats.get(CANNOT_WRITE):
        raise CannotWrite(
            f"the crawl stopped: {db_path} or its warcs/ folder cannot be written ({stats[CANNOT_WRITE]}). "
            "Nothing was recorded as failed: once there is room, the next run fetches what was not stored"
        )
    health = {}
    for portal in portals:
        prefix = f"portal/{portal['id']}/"
        health[portal["id"]] = {key[len(prefix) :]: value for key, value in stats.items() if key.startswith(prefix)}
    return health


def run_recheck(db_path, portal_ids=(), settings_module="crawler.settings", overrides=None, progress=False):
    """Request every known report URL (of these portals) again, conditionally
    (crawler/spiders/recheck.py); returns the crawl's stats. Raises as run_crawl does."""
    settings = crawl_settings(db_path, settings_module, overrides, progress)
    migrate(db_path)
    process = SignalledCrawlerProcess(settings)
    crawler = process.create_crawler(RecheckSpider)
    process.crawl(crawler, portal=list(portal_ids), state=crawl_state(db_path, full=True))
    process.start()
    stats = crawler.stats.get_stats()
    if process.stop_signal:
        raise CrawlStopped(process.stop_signal)
    if stats.get(CANNOT_WRITE):
        raise CannotWrite(f"the re-check stopped: {db_path} or its warcs/ folder cannot be written")
    return stats
