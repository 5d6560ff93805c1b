"""/-/release: the bulk release `govreports serve --release FOLDER` serves (a folder
`govreports export` wrote, govreports/release.py): a page listing its files with their size
and sha256, and each file at /-/release/<name> (only the names its SHA256SUMS lists), byte for
byte. Without --release the page says how to make and serve one. The public server serves them
too: the database is downloaded as the release's consistent copy, never as the live file."""

import json
from pathlib import Path

from datasette import Response
from datasette.utils.asgi import asgi_send_file

from . import web
from .release import CHECKSUMS_FILE

CHUNK = 1 << 20  # bytes a send: a database of gigabytes in MiB pieces
CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".db": "application/vnd.sqlite3"}


def release_folder(datasette):
    folder = (datasette.plugin_config("govreports") or {}).get("release")
    return Path(folder) if folder else None


def release_files(folder):
    """[(name, sha256, bytes)] of the files SHA256SUMS lists; [] without a release."""
    sums = folder / CHECKSUMS_FILE if folder else None
    if sums is None or not sums.is_file():
        return []
    rows = [line.split("  ", 1) for line in sums.read_text(encoding="utf-8").splitlines() if "  " in line]
    files = [(name, digest, (folder / name).stat().st_size) for digest, name in rows if (folder / name).is_file()]
    return files + [(CHECKSUMS_FILE, None, sums.stat().st_size)]


async def release_page(datasette, request):
    folder = release_folder(datasette)
    files = release_files(folder)
    package = folder / "datapackage.json" if folder else None
    version = json.loads(package.read_text(encoding="utf-8")).get("version") if files and package.is_file() else None
    return await web.render(datasette, request, "release.html", {"files": files, "version": version})


class FileDownload:
    """One file of the release, sent as it is on disk."""

    def __init__(self, path):
        self.path = path

    async def asgi_send(self, send):
        content_type = CONTENT_TYPES.get(self.path.suffix, "application/octet-stream")
        await asgi_send_file(send, self.path, filename=self.path.name, content_type=content_type, chunk_size=CHUNK)


async def release_file(datasette, request):
    """/-/release/<name>: a file the release lists, else 404."""
    folder = release_folder(datasette)
    name = request.url_vars["name"]
    if name not in {listed for listed, *_ in release_files(folder)}:
        return Response.text("Not found", status=404)
    return FileDownload(folder / name)
