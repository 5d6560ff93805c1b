"""Scrapy responses built from stored fixture pages, as city-scrapers' `file_response` does:
the bytes exactly as stored and the headers they are served with, in the response class
Scrapy itself would choose for them (HtmlResponse, XmlResponse, TextResponse ...)."""

import json
from pathlib import Path

from scrapy.http import Headers
from scrapy.responsetypes import responsetypes


def file_response(path, url, headers=None, request=None):
    """The response for the file at path, served at url with these headers."""
    body = Path(path).read_bytes()
    headers = headers or {"Content-Type": "text/html"}
    kind = responsetypes.from_args(headers=Headers(headers), url=url, body=body)
    return kind(url=url, body=body, headers=headers, request=request)


def site_response(folder, key, base_url, request=None):
    """The response a fixture site (raw bytes plus _headers.json) gives for key, a path or a
    path with its query ("/module/web/jpage/dataproxy.jsp?startrecord=4&...")."""
    entry = json.loads((Path(folder) / "_headers.json").read_text(encoding="utf-8"))[key]
    path = Path(folder) / entry.get("file", key).lstrip("/")
    return file_response(path, base_url + key, entry.get("headers"), request)
