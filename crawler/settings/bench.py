"""Settings for the loopback crawl benchmark: the same concurrency bare Scrapy gets."""

from . import *  # noqa: F401,F403

DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
RETRY_TIMES = 1

CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 32
LOG_LEVEL = "ERROR"
GOVREPORTS_MAX_LIST_PAGES = 100_000
