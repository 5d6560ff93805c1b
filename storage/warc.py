"""The archive: every HTTP exchange as WARC 1.1 records (warcio), exactly as sent.

- a `warcinfo` record opens each file (software, version, operator, robots policy, user agent);
- each fetch writes a `response` record (status line, headers and the body still
  content-encoded) and its `request` record, with block and payload digests;
- a page rendered in a browser (a list filled by script) is kept as a `conversion` record of
  its DOM, referring to the page's URL and capture;
- a payload already archived becomes a `revisit` record (identical-payload-digest) that
  refers to the first capture;
- files are gzipped per record, so (file, offset) addresses a record; a file left open by a
  killed crawl is cut back to its last complete record before anything else is written.
"""

import base64
import datetime
import gzip
import hashlib
import os
import zlib
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import __version__

MAX_FILE_SIZE = 1024**3
PIECE_SIZE = 64 * 1024  # a payload is read and inflated this much at a time
OPEN_SUFFIX = ".open"  # a file being written; renamed when closed cleanly


class PayloadTooLarge(ValueError):
    pass


def payload_digest(raw):
    """The WARC payload digest of a body as sent: 'sha1:BASE32'."""
    return "sha1:" + base64.b32encode(hashlib.sha1(raw).digest()).decode("ascii")


def decode_body(raw, content_encoding, limit):
    """Undo Content-Encoding (gzip, deflate), never inflating past `limit` bytes."""
    encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    data = raw
    for encoding in reversed(encodings):
        if encoding in ("gzip", "x-gzip", "deflate"):
            wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
            inflater = zlib.decompressobj(wbits)
            try:
                data = inflater.decompress(data, limit + 1)
            except zlib.error:
                if encoding != "deflate":
                    raise
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                data = inflater.decompress(data, limit + 1)
            if len(data) > limit or inflater.unconsumed_tail:
                raise PayloadTooLarge(f"decompresses to more than {limit} bytes")
        elif encoding != "identity":
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")
    return data


class WarcArchive:
    """Append-only WARC files under `root`; one writer per crawl process."""

    def __init__(self, root, info=None):
        self.root = Path(root)
        self.info = info or {}
        self.handle = None
        self.path = None

    # -- writing --------------------------------------------------------------

    def _open(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.repair()
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        self.path = self.root / f"govreports-{stamp}-{os.getpid()}.warc.gz{OPEN_SUFFIX}"
        self.handle = open(self.path, "ab")
        self.writer = WARCWriter(self.handle, gzip=True, warc_version="1.1")
        record = self.writer.create_warcinfo_record(
            self.final_name(self.path),
            {
                "software": f"govreports/{__version__} (Scrapy, warcio)",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                **self.info,
            },
        )
        self.writer.write_record(record)
        self._flush()

    @staticmethod
    def final_name(path):
        return path.name[: -len(OPEN_SUFFIX)] if path.name.endswith(OPEN_SUFFIX) else path.name

    def _flush(self):
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def record(
        self, url, request_line, request_headers, protocol, status_line, response_headers, raw_body, first_capture=None
    ):
        """Write one exchange. first_capture: (uri, warc date) of an identical payload already
        archived, to write a revisit instead. Returns where the payload lives and its digests."""
        if self.handle is None or self.handle.tell() > MAX_FILE_SIZE:
            self.close()
            self._open()
        digest = payload_digest(raw_body)
        http_headers = StatusAndHeaders(status_line, response_headers, protocol=protocol)
        if first_capture:
            response = self.writer.create_revisit_record(
                url, digest, first_capture[0], first_capture[1], http_headers=http_headers
            )
        else:
            response = self.writer.create_warc_record(
                url, "response", payload=BytesIO(raw_body), length=len(raw_body), http_headers=http_headers
            )
        request = self.writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(request_line, request_headers, protocol=protocol, is_http_request=True),
        )
        offset = self.handle.tell()
        try:
            self.writer.write_request_response_pair(request, response)
            self._flush()
        except OSError:  # a full disk: no half record stays behind
            self._abandon(offset)
            raise
        return {
            "warc_file": self.final_name(self.path),
            "warc_offset": offset,
            "payload_digest": digest,
            "warc_date": response.rec_headers.get_header("WARC-Date"),
            "revisit": bool(first_capture),
        }

    def conversion(self, url, html, source_date=None):
        """Write a page as a browser rendered it (its DOM once scripts ran) as a `conversion`
        record of the page fetched at `url` (its capture at `source_date`, when known).
        Returns where it lives, as `record` does."""
        if self.handle is None or self.handle.tell() > MAX_FILE_SIZE:
            self.close()
            self._open()
        headers = {"WARC-Refers-To-Target-URI": url}
        if source_date:
            headers["WARC-Refers-To-Date"] = source_date
        record = self.writer.create_warc_record(
            url,
            "conversion",
            payload=BytesIO(html),
            length=len(html),
            warc_content_type="text/html; charset=utf-8",
            warc_headers_dict=headers,
        )
        offset = self.handle.tell()
        try:
            self.writer.write_record(record)
            self._flush()
        except OSError:
            self._abandon(offset)
            raise
        return {
            "warc_file": self.final_name(self.path),
            "warc_offset": offset,
            "payload_digest": payload_digest(html),
            "warc_date": record.rec_headers.get_header("WARC-Date"),
        }

    def close(self):
        if self.handle is not None:
            self.handle.close()
            os.replace(self.path, self.path.with_name(self.final_name(self.path)))
            self.handle = None

    def _abandon(self, good_end):
        """After a failed write: the file cut back to its last whole record and closed; the
        next record opens a new file."""
        try:
            self.handle.close()
        except OSError:  # what was buffered cannot be written either: cut off below
            pass
        self.handle = None
        os.truncate(self.path, good_end)
        os.replace(self.path, self.path.with_name(self.final_name(self.path)))

    def repair(self):
        """Files left '.open' by a killed crawl: cut back to the last complete record, close.
        Hand-written: warcio reads records but repairs nothing; its iterator stops at the
        first damaged gzip member, which is where the file is cut."""
        for path in sorted(self.root.glob(f"*{OPEN_SUFFIX}")):
            good_end = 0
            with open(path, "rb") as handle:
                try:
                    iterator = ArchiveIterator(handle)
                    for record in iterator:
                        record.content_stream().read()
                        iterator.read_to_end(record)
                        good_end = iterator.get_record_offset() + iterator.get_record_length()
                except Exception:  # a truncated gzip member or header: keep what came before
                    pass
            with open(path, "r+b") as handle:
                handle.truncate(good_end)
            os.replace(path, path.with_name(self.final_name(path)))

    # -- reading --------------------------------------------------------------

    def read(self, warc_file, offset, limit=512 * 1024 * 1024):
        """The payload of the record at (file, offset), with Content-Encoding undone."""
        return b"".join(self.payload_pieces(warc_file, offset, limit))

    def payload_pieces(self, warc_file, offset, limit, piece_size=PIECE_SIZE):
        """The payload of the record at (file, offset), Content-Encoding undone, as pieces of at
        most piece_size bytes; PayloadTooLarge as soon as they pass `limit` bytes in all, so a
        compression bomb never costs more than `limit` bytes of inflating and one piece of memory.
        FileNotFoundError when the file is not in this archive."""
        path = self.root / warc_file
        if not path.exists():
            path = path.with_name(warc_file + OPEN_SUFFIX)
        with open(path, "rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)))
            encoding = record.http_headers.get_header("Content-Encoding") if record.http_headers else None
            pieces = iter(lambda: record.raw_stream.read(piece_size), b"")
            for coding in reversed(_codings(encoding)):
                pieces = _inflated(pieces, coding, piece_size)
            total = 0
            for piece in pieces:
                total += len(piece)
                if total > limit:
                    raise PayloadTooLarge(f"decompresses to more than {limit} bytes")
                yield piece


def _codings(content_encoding):
    """The Content-Encoding's codings in the order applied ('identity' left out)."""
    codings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate", "identity"):
            raise ValueError(f"unsupported Content-Encoding {coding!r}")
    return [coding for coding in codings if coding != "identity"]


def _inflated(pieces, coding, piece_size):
    """Undo one gzip or deflate coding of a stream of pieces, each output piece at most
    piece_size bytes. 'deflate' sent as raw deflate (as some servers do) is read too."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in coding else zlib.MAX_WBITS)
    started = False
    for data in pieces:
        while data and not inflater.eof:
            try:
                out = inflater.decompress(data, piece_size)
            except zlib.error:
                if coding != "deflate" or started:
                    raise
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            started = True
            data = inflater.unconsumed_tail
            if out:
                yield out
    while not inflater.eof and (out := inflater.decompress(b"", piece_size)):
        yield out


def archive_dir(db_path):
    """The WARC folder that belongs to a database: warcs/ beside it."""
    return Path(db_path).resolve().parent / "warcs"


__all__ = ["WarcArchive", "archive_dir", "decode_body", "payload_digest", "PayloadTooLarge", "gzip"]
