"""Provenance: every HTTP exchange goes to the WARC archive verbatim (this middleware sits
next to the downloader, so bodies are still content-encoded as sent) with a `fetches` row
(url, status, time, headers, sha256 of the decoded body, WARC file and offset); identical
payloads become revisit records. A page rendered in the browser (stage `render`) is archived
as a `conversion` record of its DOM, referring to the page's own capture. The database and the WARC file are opened when the spider
opens."""

import hashlib
from http import HTTPStatus
from urllib.parse import urlsplit

from scrapy import signals

from crawler.signals import crawl_problem
from storage import __version__, crawl_records, schema
from storage.warc import WarcArchive, archive_dir, decode_body, payload_digest

# Twisted has already undone chunking; the archived headers must not claim it.
DROPPED_HEADERS = {"transfer-encoding"}


class ArchiveMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.db = self.archive = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        settings = self.crawler.settings
        db_path = settings.get("GOVREPORTS_DB")
        self.db = schema.open_db(db_path)
        self.archive = WarcArchive(
            archive_dir(db_path),
            {
                "operator": settings.get("GOVREPORTS_OPERATOR"),
                "http-header-user-agent": settings.get("USER_AGENT"),
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "isPartOf": "govreports",
                "description": f"govreports {__version__} crawl of annual government information disclosure reports",
            },
        )

    def process_response(self, request, response):
        stage = request.meta.get("stage")
        if stage is None:  # robots.txt and other internal requests
            return response
        portal_id = request.meta.get("portal", {}).get("id")
        if stage == "render":
            request.meta["rendered_at"] = self.archive.conversion(
                response.url, response.body, request.meta.get("warc_date")
            )
            return response
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
            if k.decode("latin-1").lower() not in DROPPED_HEADERS
        ]
        raw = response.body
        try:
            body = decode_body(raw, response.headers.get("Content-Encoding", b"").decode("latin-1"), self.max_size)
        except Exception as error:  # undecodable or a decompression bomb: archived as sent, flagged
            self.crawler.signals.send_catch_log(
                crawl_problem,
                url=response.url,
                stage=stage,
                kind="content_encoding",
                message=str(error),
                portal_id=portal_id,
            )
            body = raw
        first = crawl_records.first_capture(self.db, payload_digest(raw)) if response.status != 304 else None
        location = self.archive.record(
            response.url,
            f"{request.method} {_path(request.url)}",
            [(k.decode("latin-1"), v.decode("latin-1")) for k, values in request.headers.items() for v in values]
            + [("Host", _host(request.url))],
            response.protocol or "HTTP/1.1",
            f"{response.status} {reason(response.status)}",
            headers,
            raw,
            first_capture=first[:2] if first else None,
        )
        if first:  # the payload lives in the first capture's record
            location.update(warc_file=first[2], warc_offset=first[3])
        location.pop("revisit")
        request.meta["warc_date"] = location["warc_date"]  # a rendering of this page refers to it
        if response.status == 304:
            crawl_records.touch_fetch(self.db, response.url)
        else:
            # the key that `documents` rows and the extraction step find this capture by
            request.meta["body_sha256"] = hashlib.sha256(body).hexdigest()
            crawl_records.record_fetch(
                self.db,
                response.url,
                request.meta["body_sha256"],
                response.status,
                dict(headers).get("Content-Type"),
                len(body),
                dict(headers),
                portal_id,
                location,
            )
        if 200 <= response.status < 400:
            crawl_records.clear_failure(self.db, response.url, stage)
        return response

    def spider_closed(self, spider):
        self.archive.close()
        self.db.close()


def _path(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _host(url):
    return urlsplit(url).netloc


def reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
