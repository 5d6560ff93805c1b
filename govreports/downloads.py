"""Downloads that open (ASGI, around Datasette): CSV a spreadsheet reads right, under readable
names, and readable URLs for tables named in Chinese.

- A CSV sent as a download (a `Content-Disposition: attachment` answer: Datasette's `?_dl=1`,
  its "Download file" box, /-/search.csv) starts with a UTF-8 BOM, so that Excel, in a Chinese
  locale too, reads it as UTF-8. A CSV read without `_dl` (in a browser, by a script) is sent
  as Datasette sends it, without a BOM.
- Its file name is the table's own, `报告统计表.csv` (RFC 6266 `filename*`, with an ASCII
  `filename` for old clients), not Datasette's tilde-encoding `~E6~8A~A5….csv`.
- `/archive/报告统计表.json` and `.csv` answer: Datasette sends such a percent-encoded name to
  a tilde-encoded URL that also encodes the format's dot (`…~2Ejson`, a 404); here the name
  is tilde-encoded and the format kept before Datasette routes it.
Archived copies (`/<db>/-/capture/<n>`) and the release's files (`/-/release/<name>`, with
their checksums) pass untouched: they are served byte for byte.
"""

import re
from urllib.parse import quote, unquote

from datasette.utils import tilde_decode, tilde_encode

BOM = b"\xef\xbb\xbf"
# a table named in percent-encoding, with a format: "/archive/%E6%8A%A5%E5%91%8A.json"
PERCENT_TABLE_RE = re.compile(r"^/(?P<database>[^/%]+)/(?P<table>[^/.]*%[^/.]*)\.(?P<format>json|csv)$")
# answers served byte for byte: "/archive/-/capture/12", "/-/release/facts.csv"
BYTE_EXACT_RE = re.compile(r"^/(?:[^/]+/-/capture/|-/release/)")
# Datasette's download name: 'attachment; filename="~E6~8A~A5~E5~91~8A.csv"'
FILENAME_RE = re.compile(r'filename="(?P<name>[^"]*)"')


def readable_downloads(app):
    """ASGI: the BOM and file name of CSV downloads, readable table URLs (module docstring)."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or BYTE_EXACT_RE.match(scope["path"]):
            return await app(scope, receive, send)
        await app(with_tilde_table(scope), receive, csv_download_sender(send))

    return wrapped


def with_tilde_table(scope):
    """The scope of `/archive/报告统计表.json` as Datasette routes it: `/archive/~E6~8A….json`."""
    raw_path = scope.get("raw_path") or quote(scope["path"]).encode()
    found = PERCENT_TABLE_RE.match(raw_path.decode("latin-1"))
    if not found:
        return scope
    path = f"/{found['database']}/{tilde_encode(unquote(found['table']))}.{found['format']}"
    return {**scope, "path": path, "raw_path": path.encode()}


def csv_download_sender(send):
    """`send` that gives a CSV download its BOM and its readable file name."""
    state = {"bom": False}

    async def sending(message):
        if message["type"] == "http.response.start":
            headers = [(bytes(name).lower(), bytes(value)) for name, value in message.get("headers", [])]
            state["bom"] = is_csv_download(dict(headers))
            if state["bom"]:
                message = {**message, "headers": download_headers(headers)}
        elif message["type"] == "http.response.body" and state["bom"]:
            message = {**message, "body": BOM + message.get("body", b"")}
            state["bom"] = False
        await send(message)

    return sending


def is_csv_download(headers):
    content_type = headers.get(b"content-type", b"").decode("latin-1")
    disposition = headers.get(b"content-disposition", b"").decode("latin-1")
    return content_type.startswith("text/csv") and disposition.startswith("attachment")


def download_headers(headers):
    """The headers with the file name made readable and the length counting the BOM."""
    out = []
    for name, value in headers:
        if name == b"content-disposition":
            value = readable_disposition(value.decode("latin-1")).encode("latin-1")
        elif name == b"content-length":
            value = str(int(value) + len(BOM)).encode()
        out.append((name, value))
    return out


def readable_disposition(disposition):
    """'attachment; filename="~E6~8A~A5.csv"' -> 'attachment; filename="download.csv";
    filename*=UTF-8\\'\\'%E6%8A%A5.csv' (an ASCII name stays as it is)."""
    found = FILENAME_RE.search(disposition)
    if not found:
        return disposition
    name = tilde_decode(found["name"])
    if name.isascii():
        return f'attachment; filename="{name}"'
    stem, dot, suffix = name.rpartition(".")
    fallback = (stem.encode("ascii", "ignore").decode().strip() or "download") + dot + suffix
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
