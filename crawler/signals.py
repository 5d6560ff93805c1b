"""The crawl's own signals (Scrapy's are in scrapy.signals)."""

# A request failed or a portal misbehaved: url, stage, kind, message, portal_id.
# Sent by the spider and the archive; crawler/extensions.py records it in `failures`.
crawl_problem = object()
