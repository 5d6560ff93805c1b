"""Serve a folder of raw bytes plus _headers.json (the sample portal, test fixture portals)
on 127.0.0.1 or, in the tests' own network, at a portal's host name. Bytes are sent exactly as stored (GBK stays GBK, a gzip file with
Content-Encoding: gzip goes out compressed). Like a static web server it sends an ETag and
answers If-None-Match with 304. `delay` slows every answer (for kill/resume tests). A POST
(a list API paged by its request body) is answered like a GET of the body as a query: a form
body as it is, a JSON object as its keys sorted (`{"page": 2, "size": 10}` -> `page=2&size=10`)."""

import hashlib
import json
import socket
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing; `answer` sends a whole answer."""

    def answer(self, status, headers, body):
        """The status line, headers ({name: value}) plus Content-Length, and the body."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FixtureHandler(QuietHandler):
    def __init__(self, *args, root, manifest, delay, **kwargs):
        self.root = root
        self.manifest = manifest
        self.delay = delay
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self.server.received.append((self.requestline, self.headers.items()))
        if self.delay:
            time.sleep(self.delay)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        # an entry may name a query ("/module/web/jpage/dataproxy.jsp?startrecord=4&...") or a
        # folder ("/xxgk/xxgknb/"), and the file that answers it
        query_key = f"{path}?{unquote(parts.query)}" if parts.query else None
        entry = self.manifest.get(query_key) or self.manifest.get(path)
        if entry is not None and "file" in entry:  # a query, or a folder answered by its index page
            path = entry["file"]
        target = (self.root / path.lstrip("/")).resolve()
        if entry is None or self.root not in target.parents or not target.is_file():
            self.send_error(404)
            return
        body = target.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.answer(entry.get("status", 200), {**entry.get("headers", {}), "ETag": etag}, body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        if "json" in (self.headers.get("Content-Type") or ""):
            try:
                fields = json.loads(body)
            except ValueError:
                fields = {}
            body = urlencode(sorted(fields.items())) if isinstance(fields, dict) else ""
        self.path = f"{urlsplit(self.path).path}?{body}" if body else self.path
        self.do_GET()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    received = None  # (request line, [(header, value)]) of every request, for the tests

    def server_activate(self):
        self.received = []
        super().server_activate()

    def handle_error(self, request, client_address):
        """A client that hung up (a killed crawl, a cancelled download) is not an error here."""


class LoopbackServer:
    """An HTTP handler served in a thread, as a context manager: on 127.0.0.1
    (`with LoopbackServer(handler) as server: server.url` -> 'http://127.0.0.1:PORT'), or on
    port 80 of the address a host name resolves to ('http://www.shili.gov.cn': the tests'
    own network, tests/netns.py)."""

    def __init__(self, handler, port=0, host=None):
        address = socket.gethostbyname(host) if host else "127.0.0.1"
        self.httpd = QuietServer((address, 80 if host and not port else port), handler)
        bound = self.httpd.server_address[1]
        self.url = f"http://{host or address}" + ("" if host and bound == 80 else f":{bound}")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class FixtureServer(LoopbackServer):
    """A folder of raw bytes plus _headers.json, served on 127.0.0.1 or at a host name."""

    def __init__(self, root, port=0, delay=0.0, host=None):
        self.root = Path(root).resolve()
        manifest = json.loads((self.root / "_headers.json").read_text(encoding="utf-8"))
        super().__init__(partial(FixtureHandler, root=self.root, manifest=manifest, delay=delay), port, host)


SAMPLE_PORTAL = Path(__file__).resolve().parent / "sample_portal"
