"""Why a request failed, in words a user understands: (kind, message)."""

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
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares.address_policy import PrivateAddressRefused, UnsupportedScheme
from crawler.middlewares.archive import reason


def describe(failure):
    """A failed request -> (kind, a message a user understands)."""
    error = failure.value
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
    if failure.check(IgnoreRequest):
        text = str(error)
        if "redirect" in text.lower():
            return "redirect_loop", f"too many redirects, probably a loop ({text})"
        if "DOWNLOAD_MAXSIZE" in text or "decompress" in text.lower():
            return "too_large", f"the body is larger than the download limit once decompressed ({text})"
        if "robots.txt" in text.lower() or "Forbidden by robots" in text:
            return "robots", "robots.txt forbids this URL"
        return "refused", text or "request refused by crawl policy"
    return type(error).__name__, str(error) or type(error).__name__


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
