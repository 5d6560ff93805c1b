"""A portal that fails in every way real portals do, served at a host name of the tests' own network (or on 127.0.0.1).

/faults/index.html lists report-titled links, each to one fault; its 下一页 link starts an
endless calendar (/faults/calendar/YYYY-MM.html, each linking to the month before).
Synthetic report pages come from fixturekit.synthetic; binary fixtures from
tests/fixtures/faults/ and tests/fixtures/documents/.
"""

import html
import random
import socket
import struct
import time
import zlib
from functools import partial
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from fixturekit import synthetic
from govreports.fixture_server import LoopbackServer

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
TWO_GIB = 2 * 1024**3


def report_page(agency, year, charset="utf-8", meta_charset=True, title=None, body=None):
    layout = "2021" if year >= 2021 else "2019"
    facts = synthetic.make_facts(layout, random.Random(agency))
    title = title or f"{agency}{year}年政府信息公开工作年度报告"
    body = body or synthetic.report_body(agency, year, layout, facts, f"{year + 1}-01-20")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />' if meta_charset else ""
    page = (
        f'<html><head>{meta}<title>{title}</title><meta name="ArticleTitle" content="{title}" /></head>'
        f'<body><div class="TRS_Editor">{body}</div></body></html>'
    )
    return page, facts


def pointer_page(agency, attachment):
    title = f"{agency}2022年政府信息公开工作年度报告"
    return (
        f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}"></head><body>'
        f'<div class="TRS_Editor"><p>{title}全文详见附件。</p></div>'
        f'<a appendix="true" href="{attachment}">附件：{title}</a></body></html>'
    )


def gzip_bomb(size=256 * 1024**2):
    """~250 KB of gzip that inflates to `size` bytes of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024**2)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


def big_table_page(megabytes=50):
    row = "<tr><td>行政许可</td><td>1</td><td>2</td><td>3</td></tr>"
    count = megabytes * 1024**2 // len(row.encode())
    title = "故障十七局2022年政府信息公开工作年度报告"
    return (
        f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}"></head><body>'
        f'<div class="TRS_Editor"><p>{title}，附表如下。</p><table>{row * count}</table></div></body></html>'
    ).encode()


class FaultPortal(LoopbackServer):
    """`with FaultPortal() as portal: portal.url`; `portal.expected` lists the good reports."""

    def __init__(self, host=None):
        self.routes, self.expected = {}, {}
        self._build()
        super().__init__(partial(FaultHandler, portal=self), host=host)

    def page(self, path, body, content_type="text/html; charset=utf-8", **headers):
        self.routes[path] = ("static", body, {"Content-Type": content_type, **headers})

    def _build(self):
        links = []

        def link(title, path):
            links.append(f'<li><a href="{path}" title="{html.escape(title)}">{html.escape(title)}</a></li>')

        for n, (kind, path) in enumerate(
            (
                ("error", "/faults/500.html"),
                ("unavailable", "/faults/503.html"),
                ("slow", "/faults/slow.html"),
                ("reset", "/faults/reset.html"),
                ("loop", "/faults/loop.html"),
                ("huge", "/faults/huge.html"),
                ("endless", "/faults/endless.html"),
                ("bomb", "/faults/bomb.html"),
                ("missing", "/faults/404.html"),
            ),
            start=1,
        ):
            link(f"故障{n}局2022年政府信息公开工作年度报告", path)
            if kind != "missing":
                self.routes[path] = (kind, None, {})
        self.routes["/faults/loop2.html"] = ("loop", None, {})
        self.page("/faults/bomb.html", gzip_bomb(), "text/html; charset=utf-8", **{"Content-Encoding": "gzip"})
        for n, (name, data, content_type) in enumerate(
            (
                ("corrupt.pdf", b"%PDF-1.7\n" + random.Random(1).randbytes(4000), "application/pdf"),
                ("encrypted.pdf", (FIXTURES / "faults" / "encrypted.pdf").read_bytes(), "application/pdf"),
                ("empty.pdf", b"", "application/pdf"),
            ),
            start=10,
        ):
            agency = f"故障{n}局"
            self.page(f"/faults/{name}", data, content_type)
            self.page(f"/faults/{n}.html", pointer_page(agency, f"/faults/{name}").encode())
            link(f"{agency}2022年政府信息公开工作年度报告", f"/faults/{n}.html")
            self.expected[f"/faults/{n}.html"] = {"facts": None}  # stored from the page, no facts
        # HTML served as application/pdf, behind a pointer page
        mislabelled, facts = report_page("故障十三局", 2021)
        self.page("/faults/report13.pdf", mislabelled.encode(), "application/pdf")
        self.page("/faults/13.html", pointer_page("故障十三局", "/faults/report13.pdf").encode())
        link("故障十三局2022年政府信息公开工作年度报告", "/faults/13.html")
        self.expected["/faults/13.html"] = {"facts": facts}
        # a PDF served as text/html
        pdf = (FIXTURES / "documents/libreoffice_doc001.pdf").read_bytes()
        self.page("/faults/14.html", pdf, "text/html")
        link("洛江区财政局2020年政府信息公开工作年度报告", "/faults/14.html")
        self.expected["/faults/14.html"] = {"facts": "doc001"}
        # GBK with no charset anywhere
        gbk, facts = report_page("故障十五局", 2020, meta_charset=False)
        self.page("/faults/15.html", gbk.encode("gb18030"), "text/html")
        link("故障十五局2020年政府信息公开工作年度报告", "/faults/15.html")
        self.expected["/faults/15.html"] = {"facts": facts}
        # page metadata double-decoded into mojibake, article intact
        title = "示例县财政局2020年度政府信息公开工作年度报告"
        garbled = title.encode("utf-8").decode("gb18030")  # real double-decoding, as on yueyang.gov.cn
        page, facts = report_page("示例县财政局", 2020, title=garbled)
        self.page("/faults/16.html", page.encode("utf-8"))
        link(title, "/faults/16.html")
        self.expected["/faults/16.html"] = {"facts": facts}
        # a 50 MB table, deeply nested markup, tables only as images
        self.page("/faults/17.html", big_table_page())
        link("故障十七局2022年政府信息公开工作年度报告", "/faults/17.html")
        self.expected["/faults/17.html"] = {"facts": None}
        nested = (
            "<html><head><meta charset='utf-8'></head><body>"
            + "<div>" * 100000
            + "故障十八局2022年政府信息公开工作年度报告"
            + "</div>" * 100000
            + "</body></html>"
        )
        self.page("/faults/18.html", nested.encode())
        link("故障十八局2022年政府信息公开工作年度报告", "/faults/18.html")
        images_body = (
            "<p><strong>一、总体情况</strong></p><p>本年度政府信息公开工作有序推进。</p>"
            "<p><strong>二、主动公开政府信息情况</strong></p><p><img src='/faults/t2.png'></p>"
            "<p><strong>三、收到和处理政府信息公开申请情况</strong></p><p><img src='/faults/t3.png'></p>"
            "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p><p><img src='/faults/t4.png'></p>"
        )
        page, _ = report_page("故障十九局", 2022, body=images_body)
        self.page("/faults/19.html", page.encode())
        link("故障十九局2022年政府信息公开工作年度报告", "/faults/19.html")
        self.expected["/faults/19.html"] = {"facts": None}
        index = (
            "<html><head><meta charset='utf-8'><title>年报</title></head><body><ul>"
            + "".join(links)
            + "</ul><a href='/faults/calendar/2026-01.html'>下一页</a></body></html>"
        )
        self.page("/faults/index.html", index.encode())
        self.page("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")


def calendar_page(path):
    year, month = (int(x) for x in path.rsplit("/", 1)[1][:7].split("-"))
    year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return (
        f"<html><head><meta charset='utf-8'></head><body><p>{path}</p>"
        f"<a href='/faults/calendar/{year:04d}-{month:02d}.html'>下一页</a></body></html>"
    ).encode()


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, portal, **kwargs):
        self.portal = portal
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", **headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/faults/calendar/"):
            return self.send(200, calendar_page(path), **{"Content-Type": "text/html; charset=utf-8"})
        kind, body, headers = self.portal.routes.get(path, ("missing", None, {}))
        if kind == "static":
            return self.send(200, body, **headers)
        if kind == "error":
            return self.send(500, b"Internal Server Error")
        if kind == "unavailable":
            return self.send(503, b"busy", **{"Retry-After": "120"})
        if kind == "slow":
            # far beyond the 10 s test timeout: a reactor busy for seconds with the 50 MB page
            # must still see the timeout before this answer
            time.sleep(40)
            return self.send(200, b"<html>too late</html>")
        if kind == "reset":  # RST instead of an answer
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if kind == "loop":
            target = "/faults/loop2.html" if path == "/faults/loop.html" else "/faults/loop.html"
            return self.send(302, b"", Location=target)
        if kind in ("huge", "endless"):
            return self.stream_zeros(declared=kind == "huge")
        return self.send(404, b"Not Found")

    def stream_zeros(self, declared):
        """2 GiB of zeros, produced as they are sent (never held in memory)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if declared:
            self.send_header("Content-Length", str(TWO_GIB))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = b"\0" * 65536
        try:
            for _ in range(TWO_GIB // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass
