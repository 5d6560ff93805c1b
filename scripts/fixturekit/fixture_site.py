"""Writing fixture sites (raw bytes plus the _headers.json they are served with), and the
helpers tests and benchmarks use to wait for servers they start."""

import json
import shutil
import socket
import time
import urllib.request
from pathlib import Path


class FixtureSite:
    """Writes a fixture site from scratch (`root` is emptied first): raw bytes under `root`
    plus the `_headers.json` it is served with. An entry with a query
    ("/module/web/jpage/dataproxy.jsp?startrecord=4&...") is stored in a numbered file and
    named by its full request target."""

    def __init__(self, root):
        self.root = Path(root)
        declared = self.root / "site.json"  # hand-written: the site's host name and start URLs
        keep = declared.read_bytes() if declared.exists() else None
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        if keep is not None:
            declared.write_bytes(keep)
        self.headers = {}

    def write(self, path, data, content_type, query=None, **extra_headers):
        name = path.lstrip("/") + (f".{len(self.headers)}" if query else "")
        (self.root / name).parent.mkdir(parents=True, exist_ok=True)
        (self.root / name).write_bytes(data)
        entry = {"status": 200, "headers": {"Content-Type": content_type, **extra_headers}}
        if query:
            self.headers[f"{path}?{query}"] = {**entry, "file": "/" + name}
        else:
            self.headers[path] = entry

    def save(self):
        (self.root / "_headers.json").write_text(
            json.dumps(self.headers, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, seconds=20):
    """Poll url until it answers (a server started in another process)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not come up in {seconds} s")
