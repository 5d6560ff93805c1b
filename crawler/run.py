"""Run one crawl in this process (Scrapy's reactor runs once per process)."""

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.failures import CANNOT_WRITE, CannotWrite
from crawler.spiders.portals import PortalsSpider
from crawler.state import crawl_state


def run_crawl(portals, db_path, settings_module="crawler.settings", overrides=None, full=False, scout=False):
    """Crawl the portals into db_path; returns {portal id: {list_pages, reports, ...}}. Raises
    CannotWrite when the crawl stopped because the database or the archive could not be written."""
    settings = Settings()
    settings.setmodule(settings_module, priority="project")
    settings.set("GOVREPORTS_DB", str(db_path), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    state = crawl_state(db_path, full=full, scout=scout)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalsSpider)
    process.crawl(crawler, portals=portals, state=state)
    process.start()
    stats = crawler.stats.get_stats()
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
