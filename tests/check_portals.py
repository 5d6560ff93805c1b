"""The generated portals of the `portals check` test (tests/netns.py names them): one server
answers every served host by its Host header, with pages built for what the portal is; a
second accepts connections and never answers (the timeouts)."""

import socket
import threading
from functools import partial

from netns import CHECK_ADDRESSES, CHECK_PORTALS, check_host, check_kind

from govreports.fixture_server import LoopbackServer, QuietHandler


def portal_name(i):
    return f"第{i}县人民政府"


def registry_entry(i):
    return {
        "id": f"check_{i:03d}",
        "name": portal_name(i),
        "code": f"{320102 + i % 90:06d}",
        "region": "江苏省测试市",
        "level": "county",
        "start_urls": [f"http://{check_host(i)}/"],
        "seen_at": "tests/check_portals.py",
    }


def page(title, *links):
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"<html><head><title>{title}</title></head><body><ul>{anchors}</ul></body></html>"


def pages(i):
    """{path: (status, html)} of portal i."""
    kind, name = check_kind(i), portal_name(i)[:-4]
    column = page(
        f"{name}政府信息公开年报",
        (f"/nb/{i}/t2024.html", f"{name}2023年政府信息公开工作年度报告"),
        (f"/nb/{i}/t2023.html", f"{name}2022年政府信息公开工作年度报告"),
    )
    home_links = [("/news/index.html", "新闻动态"), ("/about/index.html", "走进" + name)]
    if kind == "other_site":
        return {"/": (200, page("域名出售", ("/buy.html", "立即购买")))}
    if kind == "http_500":
        return {"/": (500, page("Internal Server Error"))}
    if kind == "home_column":
        home_links.append(("/nb/index.html", "政府信息公开年报"))
    if kind == "xxgk":
        home_links.append(("/xxgk/index.html", "政府信息公开"))
    return {
        "/": (200, page(portal_name(i), *home_links)),
        "/xxgk/index.html": (200, page(f"{name}政府信息公开", ("/xxgk/nb/index.html", "政府信息公开年报"))),
        "/xxgk/nb/index.html": (200, column),
        "/nb/index.html": (200, column),
    }


class VirtualHosts(QuietHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        index = int(host[1:4]) if host.startswith("c") and host[1:4].isdigit() else -1
        status, html = pages(index).get(self.path, (404, page("404"))) if 0 <= index < CHECK_PORTALS else (404, "")
        self.answer(status, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8"))


class CheckPortals:
    """The served hosts on port 80 of their address, and the silent server of the timeouts."""

    def __enter__(self):
        self.served = LoopbackServer(
            partial(VirtualHosts), host=check_host(next(i for i in range(99) if check_kind(i) == "xxgk"))
        )
        self.served.__enter__()
        self.silent = socket.create_server((CHECK_ADDRESSES["timeout"], 80), backlog=512)
        self.held = []
        self.thread = threading.Thread(target=self.hold, daemon=True)
        self.thread.start()
        return self

    def hold(self):
        try:
            while True:
                self.held.append(self.silent.accept()[0])
        except OSError:
            return

    def __exit__(self, *exc):
        self.served.__exit__(*exc)
        self.silent.close()
        for connection in self.held:
            connection.close()
