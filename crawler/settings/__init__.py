"""Polite defaults for crawling government portals. Override per run with -s or from the CLI."""

from storage import __version__

BOT_NAME = "govreports"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# ASCII only: a header is sent as bytes, and a request followed from a GBK page would encode
# Chinese characters as GB18030 (which robots.txt matching then fails to decode).
USER_AGENT = (
    f"govreports/{__version__} (+https://github.com/govreports/govreports; archive of government "
    "information disclosure annual reports; contact: govreports@proton.me)"
)
ROBOTSTXT_OBEY = True
# Bytes of a robots.txt downloaded and read, the rest ignored (Google's limit, 500 KiB).
GOVREPORTS_ROBOTSTXT_MAXSIZE = 500 * 1024

CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
# A picture in a report's article (a table published as an image, read by OCR) is fetched up to this size.
GOVREPORTS_MAX_IMAGE_SIZE = 8 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 50
# A portal whose pagination never ends (a calendar, a trap) is stopped after this many list pages.
GOVREPORTS_MAX_LIST_PAGES = 300
# Candidates (report-like links) fetched per run: per list page and per portal. The rest are
# recorded as `candidates_capped` and fetched by later runs, so a page of 100,000 links (9 hours
# at the polite rate) cannot keep a daily run from finishing.
GOVREPORTS_MAX_CANDIDATES_PER_PAGE = 1000
GOVREPORTS_MAX_CANDIDATES = 5000
# Columns found from a start URL (本级 / 部门 / 乡镇 tabs, per-year columns ...): how many
# column links away from the start URL (or from a list found under a vague title, judged a
# list on its own page), and how many per portal at most.
GOVREPORTS_MAX_COLUMN_DEPTH = 3
GOVREPORTS_MAX_COLUMNS = 60
# A progress bar with an ETA on stderr (crawler/progress.py); the commands turn it on.
GOVREPORTS_PROGRESS = False
GOVREPORTS_PROGRESS_INTERVAL = 1.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
HTTPERROR_ALLOW_ALL = False

# Names resolved by the system, cached; a connection never gets an address the policy refused.
TWISTED_DNS_RESOLVER = "crawler.resolver.PublicAddressResolver"
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.address_policy.AddressPolicyMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.BoundedRobotsTxtMiddleware": 100,
    # above RetryMiddleware (550), below HttpCompressionMiddleware (590): a script challenge is
    # read decompressed and never retried
    "crawler.challenges.ChallengeMiddleware": 580,
    "crawler.middlewares.archive.ArchiveMiddleware": 950,
}
EXTENSIONS = {
    "crawler.extensions.FailureRecorder": 500,
    "crawler.progress.Progress": 510,  # only when GOVREPORTS_PROGRESS is set
}
ITEM_PIPELINES = {
    "crawler.pipelines.documents.DocumentPipeline": 300,
}

# Where the crawl writes: the database and, beside it, warcs/ (WARC 1.1 files).
GOVREPORTS_DB = "archive.db"
# Written into every WARC file's warcinfo record.
GOVREPORTS_OPERATOR = "govreports maintainers <govreports@proton.me>"

# Rendering (crawler/render.py): a list page filled by script that no family decodes is opened
# in headless Chromium (Debian's package; scrapy-playwright, on the asyncio reactor Scrapy runs
# by default). Only requests marked for rendering reach the browser; every other one goes to
# Scrapy's own HTTP handler. One browser, one page at a time; Playwright and the browser start
# with the first page rendered.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"  # Scrapy's default, which it needs
DOWNLOAD_HANDLERS = {
    "http": "crawler.render.LazyPlaywrightHandler",
    "https": "crawler.render.LazyPlaywrightHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "timeout": 30_000,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
}
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 1
PLAYWRIGHT_ABORT_REQUEST = "crawler.render.only_the_page_host"
# Seconds a rendered page may take (loading, then walking its pager), pager pages walked in
# one render, and pages rendered per portal and run.
GOVREPORTS_RENDER_TIMEOUT = 20
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = GOVREPORTS_RENDER_TIMEOUT * 1000
GOVREPORTS_RENDER_PAGER_PAGES = 20
GOVREPORTS_MAX_RENDERED_PAGES = 10
