"""Run one crawl in this process (Scrapy's reactor runs once per process)."""

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.portals import PortalsSpider
from crawler.state import crawl_state


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
    """Crawl the portals into db_path; returns {portal id: {list_pages, reports, ...}}."""
    settings = crawl_settings(db_path, settings_module, overrides, progress)
    state = crawl_state(db_path, full=full, scout=scout)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalsSpider)
    process.crawl(crawler, portals=portals, state=state)
    process.start()
    stats = crawler.stats.get_stats()
    health = {}
    for portal in portals:
        prefix = f"portal/{portal['id']}/"
        health[portal["id"]] = {key[len(prefix) :]: value for key, value in stats.items() if key.startswith(prefix)}
    return health
