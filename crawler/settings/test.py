"""Settings for crawling fixture portals on 127.0.0.1: no delays, no throttling."""

from . import *  # noqa: F401,F403

DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
RETRY_TIMES = 1
DOWNLOAD_TIMEOUT = 10
LOG_LEVEL = "WARNING"
