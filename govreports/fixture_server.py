"""Serve a folder of raw bytes plus _headers.json on 127.0.0.1 (the sample portal, test
fixture portals). Bytes are sent exactly as stored; GBK stays GBK."""

import json
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class FixtureHandler(BaseHTTPRequestHandler):
    def __init__(self, *args, root, manifest, **kwargs):
        self.root = root
        self.manifest = manifest
        super().__init__(*args, **kwargs)

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        entry = self.manifest.get(path)
        target = (self.root / path.lstrip("/")).resolve()
        if entry is None or self.root not in target.parents or not target.is_file():
            self.send_error(404)
            return
        body = target.read_bytes()
        self.send_response(entry.get("status", 200))
        for name, value in entry.get("headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FixtureServer:
    """`with FixtureServer(folder) as server: server.url` -> 'http://127.0.0.1:PORT'."""

    def __init__(self, root, port=0):
        self.root = Path(root).resolve()
        manifest = json.loads((self.root / "_headers.json").read_text(encoding="utf-8"))
        handler = partial(FixtureHandler, root=self.root, manifest=manifest)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


SAMPLE_PORTAL = Path(__file__).resolve().parent / "sample_portal"
