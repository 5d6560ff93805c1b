"""Settings for crawling fixture portals on 127.0.0.1: no delays, no throttling."""

from . import *  # noqa: F401,F403

DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
RETRY_TIMES = 1
LOG_LEVEL = "WARNING"
DOWNLOAD_TIMEOUT = 10  # long enough for 64 MB of an endless body on a busy 2-core VM
GOVREPORTS_MAX_LIST_PAGES = 30
