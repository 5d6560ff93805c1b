"""Run one crawl in this process (Scrapy's reactor runs once per process)."""

import json

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.portals import CrawlState, PortalsSpider
from govreports import store
from govreports.warc import WarcArchive, archive_dir


def crawl_state(db_path, full=False, scout=False):
    """Known documents, list-page validators and archived copies, from earlier crawls."""
    db = store.open_db(db_path)
    known = {row[0] for row in db.execute("select url from documents where role = 'attachment'")}
    # Final failures (a 404, a 2 GB body, a redirect loop ...) are not fetched again.
    given_up = {row[0] for row in db.execute(
        "select url from failures where stage in ('detail', 'attachment') and retryable = 0")}
    known |= given_up
    for url, attachment_urls in db.execute("select url, attachment_urls from documents where role = 'page'"):
        if all(a in known or a in given_up for a in json.loads(attachment_urls or "[]")):
            known.add(url)
    validators = {}
    for url, headers in db.execute(
        "select url, headers from fetches where status between 200 and 299 "
        "and url not in (select url from documents) order by last_fetched_at"
    ):
        fields = {k.lower(): v for k, v in json.loads(headers or "{}").items()}
        if fields.get("etag") or fields.get("last-modified"):
            validators[url] = (fields.get("etag"), fields.get("last-modified"))
    db.close()
    archive = WarcArchive(archive_dir(db_path))

    def archived_body(url):
        reader = store.open_db(db_path)
        try:
            latest = store.latest_fetch(reader, url)
        finally:
            reader.close()
        return archive.read(latest[2], latest[3]) if latest and latest[2] else None

    return CrawlState(known, validators, archived_body, full=full, scout=scout)


def run_crawl(portals, db_path, settings_module="crawler.settings", overrides=None, full=False, scout=False):
    """Crawl the portals into db_path; returns {portal id: {list_pages, reports, ...}}."""
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
    health = {}
    for portal in portals:
        prefix = f"portal/{portal['id']}/"
        health[portal["id"]] = {
            key[len(prefix):]: value for key, value in stats.items() if key.startswith(prefix)
        }
    return health
