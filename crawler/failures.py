"""Why a request failed, in words a user understands: (kind, message); and what the crawl does
when this machine cannot store what it fetched."""

import errno
import sqlite3
from contextlib import contextmanager

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.challenges import BLOCKED_KIND, ChallengeAnswered
from crawler.middlewares.address_policy import PrivateAddressRefused, UnsupportedScheme
from crawler.middlewares.archive import reason


def describe(failure):
    """A failed request -> (kind, a message a user understands)."""
    error = failure.value
    if is_local_write_error(error):
        return "cannot_write", f"this machine could not store the page ({type(error).__name__}: {error})"
    if failure.check(HttpError):
        response = error.response
        status = response.status
        message = f"the server answered HTTP {status} {reason(status)}".rstrip()
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            message += f" (Retry-After: {retry_after.decode('latin-1')})"
        return f"http_{status}", message
    for kind, classes, message in FAILURE_KINDS:
        if failure.check(*classes):
            detail = str(error)
            return kind, message.format(error=f"({detail})" if detail and kind == "too_large" else detail).strip()
    if failure.check(ChallengeAnswered):
        return BLOCKED_KIND, str(error)
    if failure.check(IgnoreRequest):
        text = str(error)
        if "redirect" in text.lower():
            return "redirect_loop", f"too many redirects, probably a loop ({text})"
        if "DOWNLOAD_MAXSIZE" in text or "decompress" in text.lower():
            return "too_large", f"the body is larger than the download limit once decompressed ({text})"
        if "robots.txt" in text.lower() or "Forbidden by robots" in text:
            return "robots", "robots.txt forbids this URL"
        return "refused", text or "request refused by crawl policy"
    # not understood: no proof that the remote document is gone, so tried again (crawl_records)
    return "unexpected_error", f"{type(error).__name__}: {error}".rstrip(": ")


# Errors of this machine's disk, never of the remote document: full (or over quota), read-only,
# forbidden, failing. SQLite says so in its own exceptions (SQLITE_FULL: "database or disk is full").
LOCAL_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}
CANNOT_WRITE = "cannot_write"  # the stat that holds why the crawl stopped, and the spider's close reason


class CannotWrite(RuntimeError):
    """The crawl stopped because this machine could not store what it fetched."""


def is_local_write_error(error):
    return isinstance(error, sqlite3.Error) or (isinstance(error, OSError) and error.errno in LOCAL_WRITE_ERRNOS)


def stop_crawl(crawler, error):
    """A write on this machine failed: nothing more can be kept, so the crawl stops (once) and
    records nothing as failed (what was not stored is fetched again by the next run);
    run_crawl then raises CannotWrite."""
    if crawler.stats.get_value(CANNOT_WRITE) is None:
        crawler.stats.set_value(CANNOT_WRITE, f"{type(error).__name__}: {error}")
        deferred_from_coro(crawler.engine.close_spider_async(reason=CANNOT_WRITE))


@contextmanager
def local_writes(crawler):
    """Around the crawl's own bookkeeping writes: a local write error stops the crawl."""
    try:
        yield
    except Exception as error:
        if not is_local_write_error(error):
            raise
        stop_crawl(crawler, error)


FAILURE_KINDS = (
    ("dns", (DNSLookupError, CannotResolveHostError), "the host name could not be resolved"),
    ("timeout", (TimeoutError, TCPTimedOutError, DownloadTimeoutError), "the server did not answer in time"),
    ("too_large", (DownloadCancelledError,), "download stopped, the body is larger than the download limit {error}"),
    (
        "connection",
        (
            ConnectionRefusedError,
            DownloadConnectionRefusedError,
            ConnectionLost,
            ResponseFailed,
            ResponseNeverReceived,
            ResponseDataLossError,
            DownloadFailedError,
            ConnectionDone,
        ),
        "the connection was refused, reset or closed before the page arrived ({error})",
    ),
    ("private_address", (PrivateAddressRefused,), "{error}"),
    ("unsupported_scheme", (UnsupportedScheme,), "{error}"),
)
