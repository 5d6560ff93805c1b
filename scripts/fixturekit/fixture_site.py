"""Writing fixture sites (raw bytes plus the _headers.json they are served with), and the
helpers tests and benchmarks use to start `govreports serve` and wait for servers they start."""

import json
import os
import shutil
import socket
import subprocess
import sys
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


class ServedArchive:
    """`govreports serve --db DB --port <a free port> *options` in a process of its own for the
    length of a with block: entered once `url + up` answers (`with ServedArchive(db) as server:
    server.url` -> 'http://127.0.0.1:PORT'), left with the process ended. code: the checkout
    whose govreports serves (default: this interpreter's); kill: killed, not terminated (uvicorn
    would first finish every request still running)."""

    def __init__(self, db_path, *options, up="/-/versions.json", seconds=20, code=None, kill=False):
        port = free_port()
        self.command = [sys.executable, "-m", "govreports.cli", "serve", "--db", str(db_path), "--port", str(port)]
        self.command += options
        self.url = f"http://127.0.0.1:{port}"
        self.up, self.seconds, self.code, self.kill = up, seconds, code, kill
        self.process = None

    def __enter__(self):
        env = {**os.environ, "PYTHONPATH": str(self.code)} if self.code else None
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.code, env=env
        )
        try:
            wait_until_up(self.url + self.up, seconds=self.seconds)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.kill:
            self.process.kill()
            self.process.wait()
        else:
            self.process.terminate()
            self.process.wait(timeout=10)
