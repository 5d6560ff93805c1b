"""The Scrapy project: find annual-report pages on government portals and archive them."""
