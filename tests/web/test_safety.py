"""Network and serving safety."""

import asyncio

import pytest
from helpers import datasette_get
from scrapy import Request

from crawler.middlewares.address_policy import (
    AddressPolicyMiddleware,
    PrivateAddressRefused,
    UnsupportedScheme,
    ascii_header,
)
from crawler.resolver import non_public


@pytest.mark.parametrize(
    "address,private",
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("fe80::1", True),
        ("0.0.0.0", True),
        ("100.64.0.1", True),
        ("202.108.22.5", False),
        ("2400:da00::6666", False),
        ("11.111.0.1", False),
    ],
)
def test_non_public_addresses(address, private):
    assert non_public(address) is private


def check(policy, url, portal=None):
    return asyncio.run(policy.process_request(Request(url, meta={"portal": portal} if portal else {})))


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://[::1]/x", "http://169.254.169.254/latest/meta-data"])
def test_private_addresses_are_refused_without_permission(url):
    with pytest.raises(PrivateAddressRefused):
        check(AddressPolicyMiddleware(), url, {"id": "p"})


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.gov.cn/a.pdf", "data:text/html,x"])
def test_other_schemes_are_refused_as_such(url):
    with pytest.raises(UnsupportedScheme, match="only http and https"):
        check(AddressPolicyMiddleware(), url, {"id": "p"})


def test_the_flag_opens_the_portals_own_start_hosts_and_nothing_else():
    flagged = {"id": "p", "allow_private_addresses": True, "start_urls": ["http://127.0.0.1:8765/nb/index.html"]}
    policy = AddressPolicyMiddleware([flagged, {"id": "q", "start_urls": ["http://202.108.22.5/"]}])
    assert check(policy, "http://127.0.0.1:8765/x", flagged) is None
    assert check(policy, "http://127.0.0.1:8765/robots.txt") is None  # its robots.txt rides on its permission
    for url, portal in (
        ("http://127.0.0.1:9999/x", flagged),  # another service on the same machine
        ("http://169.254.169.254/", flagged),  # a redirect to cloud metadata
        ("http://127.0.0.1:8765/x", {"id": "q"}),
    ):  # another portal's link into it
        with pytest.raises(PrivateAddressRefused):
            check(policy, url, portal)


def test_a_quoted_flag_opens_nothing():
    quoted = {"id": "p", "allow_private_addresses": "false", "start_urls": ["http://127.0.0.1:8765/"]}
    with pytest.raises(PrivateAddressRefused):
        check(AddressPolicyMiddleware([quoted]), "http://127.0.0.1:8765/x", quoted)


def test_headers_go_out_as_ascii():
    request = Request(
        "http://202.108.22.5/x", headers={"User-Agent": "年报 bot", "Referer": "http://a/b"}, encoding="gb18030"
    )
    asyncio.run(AddressPolicyMiddleware().process_request(request))
    assert request.headers["User-Agent"] == b"%C4%EA%B1%A8 bot" and request.headers["Referer"] == b"http://a/b"
    assert ascii_header(b"plain") == b"plain"


def test_datasette_cannot_write_to_the_archive(sample_crawl):
    from datasette.app import Datasette

    async def attempt():
        ds = Datasette([str(sample_crawl["db"])])
        await ds.invoke_startup()
        db = ds.get_database("archive")
        await db.execute_write("delete from report_rows")

    with pytest.raises(Exception, match="readonly|query_only|attempt to write"):
        asyncio.run(attempt())
    import sqlite3

    with sqlite3.connect(sample_crawl["db"]) as conn:
        assert conn.execute("select count(*) from reports").fetchone()[0] == 13


def test_crawled_html_is_never_rendered_unescaped(sample_crawl, tmp_path):
    import shutil

    from storage import reports, schema

    db_path = tmp_path / "archive.db"
    shutil.copy(sample_crawl["db"], db_path)
    db = schema.open_db(db_path)
    row = dict(next(db["reports"].rows))
    row.update(
        id="evil",
        url="http://x.gov.cn/t1.html",
        title='<script>alert("x")</script>2022年政府信息公开工作年度报告',
        text="<img src=x onerror=alert(1)> 复议",
        content_hash=None,
    )
    reports.save_report(db, row, [], [])
    db.close()
    for path in (
        "/archive/reports?_search=复议",
        "/archive/reports/evil",
        "/archive/search_reports?q=复议",
        "/archive/reports?_search=alert",
    ):
        page = datasette_get(db_path, path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
    assert "&lt;script&gt;alert" in datasette_get(db_path, "/archive/reports/evil").text
