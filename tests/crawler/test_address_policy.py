"""The address policy on the path every real portal takes: crawls by host name, through the
system resolver (the tests' own /etc/hosts, tests/netns.py), the crawl's resolver and
middleware, with the production settings (robots.txt obeyed).

- a portal at a public name is crawled without any flag;
- a name that resolves to a private address is refused before anything is sent;
- a redirect to a private address (an IP literal, a name, cloud metadata) is refused;
- `allow_private_addresses` opens only that portal's own start hosts, and only to it;
- a GB2312 portal, whose requests would carry GB18030 headers, is crawled whole;
- every header ever sent is ASCII.
"""

import random
import sqlite3
from contextlib import ExitStack
from functools import partial
from urllib.parse import quote

from helpers import crawl_registry, run_cli

from fixturekit import synthetic
from govreports.fixture_server import LoopbackServer, QuietHandler

PUBLIC = "www.public-example.gov.cn"
INTRANET = "intranet.example-agency.gov.cn"  # 127.0.0.2
METADATA = "metadata.example-cloud.gov.cn"  # 169.254.169.254


class Routes(QuietHandler):
    """Answers from a {path: (status, headers, body)} table; 404 elsewhere."""

    def __init__(self, *args, routes, **kwargs):
        self.routes = routes
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self.server.received.append((self.requestline, self.headers.items()))
        self.answer(*self.routes.get(self.path, (404, {}, b"")))


def serve(routes, host=None, port=0):
    return LoopbackServer(partial(Routes, routes=routes), port=port, host=host)


def report_page(title, encoding="utf-8", attachment=""):
    facts = synthetic.make_facts("2021", random.Random(title))
    body = synthetic.report_body("示例县财政局", 2023, "2021", facts, "2024-01-20")
    page = (
        f'<html><head><meta charset="{encoding}"><title>{title}</title></head><body>'
        f'<div class="article"><h1>{title}</h1>{body}{attachment}</div></body></html>'
    )
    return page.encode(encoding)


def list_page(links, encoding="utf-8"):
    items = "".join(f'<li><a href="{href}">{title}</a><span>2024-01-20</span></li>' for href, title in links)
    return (
        f'<html><head><meta charset="{encoding}"><title>政府信息公开年报</title></head>'
        f"<body><ul>{items}</ul></body></html>"
    ).encode(encoding)


HTML = {"Content-Type": "text/html; charset=utf-8"}


def redirect(location):
    return (302, {"Location": location}, b"")


def stored(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_names_public_and_private_and_redirects_to_private_addresses(tmp_path):
    title = "示例县财政局2023年政府信息公开工作年度报告"
    public_routes = {
        "/xxgk/nb/index.html": (
            200,
            HTML,
            list_page(
                [
                    ("/xxgk/nb/t1.html", title),
                    ("/xxgk/nb/t2.html", "示例县教育局2023年政府信息公开工作年度报告"),
                    ("/xxgk/nb/t3.html", "示例县卫健局2023年政府信息公开工作年度报告"),
                    ("/xxgk/nb/t4.html", "示例县民政局2023年政府信息公开工作年度报告"),
                ]
            ),
        ),
        "/xxgk/nb/t1.html": (200, HTML, report_page(title)),
        "/xxgk/nb/t2.html": redirect("http://169.254.169.254/latest/meta-data/"),
        "/xxgk/nb/t3.html": redirect(f"http://{METADATA}/latest/meta-data/"),
        "/xxgk/nb/t4.html": None,  # set below: a redirect to another service on this machine
    }
    secret = {"/secret": (200, HTML, report_page("示例县民政局2023年政府信息公开工作年度报告"))}
    with ExitStack() as stack:
        loopback = stack.enter_context(serve(secret))  # 127.0.0.1:PORT
        public_routes["/xxgk/nb/t4.html"] = redirect(loopback.url + "/secret")
        public = stack.enter_context(serve(public_routes, host=PUBLIC))
        intranet = stack.enter_context(
            serve({"/nb/index.html": (200, HTML, list_page([("/nb/t1.html", title)]))}, host=INTRANET)
        )
        metadata = stack.enter_context(serve({}, host=METADATA))
        crawl_registry(
            [
                {"id": "public", "start_urls": [public.url + "/xxgk/nb/index.html"]},
                {"id": "intranet", "start_urls": [intranet.url + "/nb/index.html"]},
            ],
            tmp_path,
        )
    db = tmp_path / "archive.db"
    assert stored(db, "select portal_id, url from reports") == [("public", public.url + "/xxgk/nb/t1.html")]
    refused = dict(stored(db, "select url, message from failures where kind = 'private_address'"))
    assert set(refused) == {
        intranet.url + "/nb/index.html",
        public.url + "/xxgk/nb/t2.html",
        public.url + "/xxgk/nb/t3.html",
        public.url + "/xxgk/nb/t4.html",
    }
    assert "127.0.0.2" in refused[intranet.url + "/nb/index.html"]
    assert "169.254.169.254" in refused[public.url + "/xxgk/nb/t3.html"]
    # nothing was ever sent to a private address, not even robots.txt
    assert intranet.httpd.received == loopback.httpd.received == metadata.httpd.received == []
    assert any(line.startswith("GET /robots.txt") for line, _ in public.httpd.received)


def test_the_flag_opens_only_the_portals_own_start_hosts(tmp_path):
    title = "示例县财政局2023年政府信息公开工作年度报告"
    other_service = {"/x.html": (200, HTML, report_page("示例县教育局2023年政府信息公开工作年度报告"))}
    with ExitStack() as stack:
        other = stack.enter_context(serve(other_service))  # another loopback service
        intranet = stack.enter_context(
            serve(
                {
                    "/nb/index.html": (
                        200,
                        HTML,
                        list_page(
                            [("/nb/t1.html", title), ("/nb/t2.html", "示例县教育局2023年政府信息公开工作年度报告")]
                        ),
                    ),
                    "/nb/t1.html": (200, HTML, report_page(title)),
                    "/nb/t2.html": redirect(other.url + "/x.html"),
                    "/nb/t3.html": (200, HTML, report_page("示例县民政局2023年政府信息公开工作年度报告")),
                },
                host=INTRANET,
            )
        )
        public = stack.enter_context(
            serve(
                {
                    "/nb/index.html": (
                        200,
                        HTML,
                        list_page([(intranet.url + "/nb/t3.html", "示例县民政局2023年政府信息公开工作年度报告")]),
                    ),
                },
                host=PUBLIC,
            )
        )
        crawl_registry(
            [
                {"id": "intranet", "allow_private_addresses": True, "start_urls": [intranet.url + "/nb/index.html"]},
                {"id": "public", "start_urls": [public.url + "/nb/index.html"]},
            ],
            tmp_path,
        )
    db = tmp_path / "archive.db"
    assert stored(db, "select portal_id, url from reports") == [("intranet", intranet.url + "/nb/t1.html")]
    refused = {
        url: portal for url, portal in stored(db, "select url, portal_id from failures where kind = 'private_address'")
    }
    # the redirect to another private service, and the other portal's link into the intranet
    assert refused == {intranet.url + "/nb/t2.html": "intranet", intranet.url + "/nb/t3.html": "public"}
    assert other.httpd.received == []
    assert not [line for line, _ in intranet.httpd.received if "/nb/t3.html" in line]


def test_a_quoted_flag_is_refused_with_a_clear_message(tmp_path):
    registry = tmp_path / "portals.yaml"
    registry.write_text(f"- id: p\n  allow_private_addresses: 'false'\n  start_urls: ['http://{INTRANET}/']\n")
    done = run_cli("crawl", "--portals", str(registry), "--db", str(tmp_path / "archive.db"))
    assert done.returncode != 0
    assert "allow_private_addresses must be true or false" in done.stderr
    assert not (tmp_path / "archive.db").exists()


def test_a_gb2312_portal_is_crawled_whole_with_ascii_headers(tmp_path):
    """List and report pages in GB2312 (charset only in <meta>), Chinese in the link URLs,
    a report only as a PDF attachment: every request carries GB18030-encoded headers unless
    the crawl keeps them ASCII, and robots.txt matching then fails. Paths are requested
    UTF-8 percent-encoded, as browsers do."""
    from helpers import DOCUMENTS

    gbk = {"Content-Type": "text/html"}  # no charset in the header, as on many such portals
    titles = [
        "示例县财政局2023年政府信息公开工作年度报告",
        "示例县教育局2022年政府信息公开工作年度报告",
        "示例县人民政府办公室2023年政府信息公开工作年度报告",
    ]
    pdf = (DOCUMENTS / "chrome_doc001.pdf").read_bytes()
    routes = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /admin/\n"),
        "/xxgk/nb/index.html": (
            200,
            gbk,
            list_page(
                [
                    ("/xxgk/nb/财政局2023.html", titles[0]),
                    ("/xxgk/nb/t2.html", titles[1]),
                    ("/xxgk/nb/t3.html", titles[2]),
                ],
                "gb2312",
            ),
        ),
        quote("/xxgk/nb/财政局2023.html"): (200, gbk, report_page(titles[0], "gb2312")),
        "/xxgk/nb/t2.html": (200, gbk, report_page(titles[1], "gb2312")),
        "/xxgk/nb/t3.html": (
            200,
            gbk,
            (
                f'<html><head><meta charset="gb2312"><title>{titles[2]}</title></head><body><div class="article">'
                f'<h1>{titles[2]}</h1><p>全文详见附件：<a href="/xxgk/nb/年报2023.pdf">{titles[2]}.pdf</a></p>'
                "</div></body></html>"
            ).encode("gb2312"),
        ),
        quote("/xxgk/nb/年报2023.pdf"): (200, {"Content-Type": "application/pdf"}, pdf),
    }
    with serve(routes, host=PUBLIC) as portal:
        crawl_registry([{"id": "gbk", "start_urls": [portal.url + "/xxgk/nb/index.html"]}], tmp_path)
    db = tmp_path / "archive.db"
    assert sorted(t for (t,) in stored(db, "select title from reports")) == sorted(titles)
    assert stored(db, "select count(*) from failures") == [(0,)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select source_format from reports where title = ?", [titles[2]]).fetchall() == [("pdf",)]
    sent = [(name, value) for _, headers in portal.httpd.received for name, value in headers]
    assert sent and all(name.isascii() and value.isascii() for name, value in sent)
    assert any(line.startswith("GET /robots.txt") for line, _ in portal.httpd.received)
