"""Sites behind a script challenge (瑞数/Ruishu 412, 加速乐/Jiasule 521, Cloudflare-style 503,
202 "checking your browser"): recorded once per portal as blocked_by_challenge, never retried,
never run; the other portals of the same crawl are crawled as if nothing happened."""

import json
import sqlite3
from urllib.parse import unquote

from helpers import FIXTURES, crawl_registry, site
from scrapy.http import HtmlResponse
from test_sites import score

from crawler.challenges import is_challenge
from fixturekit.fixture_site import FixtureSite
from govreports.fixture_server import FixtureServer

RUISHU = FIXTURES / "sites" / "ruishu_challenge"
GBK = FIXTURES / "sites" / "gbk_county_static"
QUIET = "www.quiet-county.gov.cn"

# 加速乐/Jiasule-style: a bare script that sets a cookie piece by piece and loads the page again
JIASULE = (
    "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')"
    "+('n')+('c')+('e')+('=')+('1733')+('456')+('.42|0|')+('xQk')+('3Z')+(';max-age=3600;path=/');"
    "location.href=location.pathname+location.search</script>"
)
# Cloudflare-style: a titled page, one sentence, a script and a footer link to the service
CLOUDFLARE = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
    '<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper"><div class="main-content">'
    '<h1 class="zone-name-title">www.quiet-county.gov.cn</h1><h2 class="h2">Checking if the site connection '
    "is secure</h2><noscript>Enable JavaScript and cookies to continue</noscript></div></div>"
    "<script>(function(){window._cf_chl_opt={cvId:'2',cType:'non-interactive',cNounce:'61723'};"
    "var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1';"
    "document.getElementsByTagName('head')[0].appendChild(a);})();</script>"
    '<div class="footer">Performance &amp; security by <a href="https://www.cloudflare.com">Cloudflare</a></div>'
    "</body></html>"
)
WAITING = (
    "<html><head><script src='/waf/check.js'></script></head><body onload=\"challenge();\">"
    "<p>正在进行安全检查，请稍候……</p></body></html>"
)


def response(status, body, url="http://www.quiet-county.gov.cn/index.html"):
    return HtmlResponse(url=url, status=status, body=body.encode("utf-8"), encoding="utf-8")


def test_challenge_pages_of_every_kind_are_recognized():
    ruishu = (RUISHU / "index.html").read_text(encoding="utf-8")
    assert is_challenge(response(412, ruishu))
    assert is_challenge(response(521, JIASULE))
    assert is_challenge(response(503, CLOUDFLARE))
    assert is_challenge(response(202, WAITING))


def test_pages_that_are_no_challenge_are_not_taken_for_one():
    list_page = (GBK / "zfxxgk" / "zfxxgknb" / "index.htm").read_bytes().decode("gbk")
    ruishu = (RUISHU / "index.html").read_text(encoding="utf-8")
    assert not is_challenge(response(200, ruishu))  # a 200 page is a page, whatever it holds
    assert not is_challenge(response(412, list_page))  # a real page under an odd status: links, text
    assert not is_challenge(response(503, "<html><body><h1>系统维护中</h1></body></html>"))  # no script
    assert not is_challenge(response(404, WAITING))


def write_challenged_portals(folder):
    """Three portals at www.quiet-county.gov.cn behind three kinds of challenge."""
    files = FixtureSite(folder)
    for path, status, body, cookie in (
        ("/jsl/index.html", 521, JIASULE, "__jsluid_h=0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e; max-age=31536000; path=/"),
        ("/cf/index.html", 503, CLOUDFLARE, "__cf_bm=Qx7.c9; path=/; HttpOnly"),
        ("/wait/index.html", 202, WAITING, "waf_sid=71f0; path=/"),
    ):
        files.write(path, body.encode("utf-8"), "text/html; charset=utf-8", **{"Set-Cookie": cookie})
        files.headers[path]["status"] = status
    files.save()
    return {name: [f"http://{QUIET}/{name}/index.html"] for name in ("jsl", "cf", "wait")}


def test_a_challenged_portal_is_one_clear_failure_never_retried_and_the_others_go_on(tmp_path):
    challenged = write_challenged_portals(tmp_path / "quiet")
    registry = [
        {"id": "ruishu", "start_urls": site(RUISHU)["start_urls"]},
        {"id": "gbk", "start_urls": site(GBK)["start_urls"]},
        *({"id": name, "start_urls": urls} for name, urls in challenged.items()),
    ]
    with (
        FixtureServer(RUISHU, host=site(RUISHU)["host"]) as ruishu,
        FixtureServer(GBK, host=site(GBK)["host"]),
        FixtureServer(tmp_path / "quiet", host=QUIET) as quiet,
    ):
        done = crawl_registry(registry, tmp_path)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        failures = conn.execute(
            "select portal_id, url, kind, message from failures where portal_id != 'gbk'"
        ).fetchall()
        health = dict(conn.execute("select portal_id, no_reports_reason from portal_health"))
        gbk_failures = conn.execute("select count(*) from failures where portal_id = 'gbk'").fetchone()[0]
        reports = {url: rid for rid, url in conn.execute("select report_id, url from report_urls")}
    # one failure per challenged portal, at a start URL, saying what happened and what to do
    assert sorted((portal, kind) for portal, _, kind, _ in failures) == [
        (name, "blocked_by_challenge") for name in ("cf", "jsl", "ruishu", "wait")
    ]
    for portal, url, _, message in failures:
        assert url in next(p["start_urls"] for p in registry if p["id"] == portal)
        assert "script challenge" in message and "does not run such scripts" in message
    # never retried, nothing sent after the first challenge (robots.txt aside)
    pages = lambda server: [line for line, _ in server.httpd.received if "/robots.txt" not in line]  # noqa: E731
    assert len(pages(ruishu)) <= len(site(RUISHU)["start_urls"])
    assert sorted(line.split()[1] for line in pages(quiet)) == sorted(
        url.removeprefix(f"http://{QUIET}") for urls in challenged.values() for url in urls
    )
    assert {health[name] for name in ("cf", "jsl", "ruishu", "wait")} == {"blocked"}
    assert "blocked 4" in done.stdout
    # the portal crawled beside them: every report, as on its own
    found = {"urls": {unquote(url.replace(f"http://{site(GBK)['host']}", "")): rid for url, rid in reports.items()}}
    found["reports"] = {rid: rid for rid in found["urls"].values()}
    found["columns"] = set()
    hits, expected, non_reports, _, _ = score(GBK, found)
    assert (hits, non_reports, gbk_failures) == (expected, [], 0)
    assert json.loads((RUISHU / "expected.json").read_text(encoding="utf-8"))["failures"] == [
        {"kind": "blocked_by_challenge"}
    ]
