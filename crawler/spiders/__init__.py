"""The spider Scrapy runs: one for all portals, delegating to each portal's family."""
