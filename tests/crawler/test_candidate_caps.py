"""A list page of 20,000 (or 100,000) report-like links cannot keep a scheduled run going for hours: a run
fetches a bounded number of candidates per list page and per portal, records the overflow as
`candidates_capped` with its counts, and later runs fetch the rest."""

import json
import sqlite3

from helpers import crawl_registry

from govreports.fixture_server import FixtureServer

HOST = "www.long-column.gov.cn"


def write_list_page(folder, name, count):
    links = "".join(
        f'<li><a href="/{name}/t{i}.html">示例县第{i}局2023年政府信息公开工作年度报告</a></li>' for i in range(count)
    )
    page = (
        f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>{links}</ul></body></html>'
    )
    (folder / name).mkdir(parents=True)
    (folder / name / "index.html").write_text(page, encoding="utf-8")
    return {f"/{name}/index.html": {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}}


def test_candidates_are_capped_per_page_and_per_portal_and_the_rest_fetched_later(tmp_path):
    portal = tmp_path / "portal"
    manifest = {**write_list_page(portal, "huge", 20_000), **write_list_page(portal, "small", 40)}
    (portal / "_headers.json").write_text(json.dumps(manifest))
    caps = ("--set", "GOVREPORTS_MAX_CANDIDATES_PER_PAGE=10", "--set", "GOVREPORTS_MAX_CANDIDATES=15")
    registry = [{"id": "caps", "start_urls": [f"http://{HOST}/huge/index.html", f"http://{HOST}/small/index.html"]}]
    with FixtureServer(portal, host=HOST) as server:
        crawl_registry(registry, tmp_path, *caps)
        first = [line for line, _ in server.httpd.received if "/t" in line]
        with sqlite3.connect(tmp_path / "archive.db") as conn:
            capped = dict(
                conn.execute("select url, message from failures where kind = 'candidates_capped' and retryable = 1")
            )
        assert len(first) == 15  # 10 of one page, 5 of the other
        assert set(capped) == {f"{server.url}/huge/index.html", f"{server.url}/small/index.html"}
        left = {url: int(message.split(" of the ")[0].replace(",", "")) for url, message in capped.items()}
        assert sum(left.values()) == 20_040 - 15
        assert all("at most 10 per list page and 15 per portal" in message for message in capped.values())
        crawl_registry(registry, tmp_path, *caps)  # the next run: those 15 known now, 15 others
        second = [line for line, _ in server.httpd.received if "/t" in line][len(first) :]
    assert len(second) == 15 and not set(first) & set(second)


def test_attachments_of_one_page_are_capped_too(tmp_path):
    portal = tmp_path / "portal"
    manifest = write_list_page(portal, "col", 1)
    title = "示例县第0局2023年政府信息公开工作年度报告"
    links = "".join(f'<p><a href="/files/annex{i}.pdf">附件{i}.pdf</a></p>' for i in range(40))
    page = f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>{links}</body></html>'
    (portal / "col" / "t0.html").write_text(page, encoding="utf-8")
    manifest["/col/t0.html"] = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
    (portal / "_headers.json").write_text(json.dumps(manifest))
    registry = [{"id": "caps", "start_urls": [f"http://{HOST}/col/index.html"]}]
    with FixtureServer(portal, host=HOST) as server:
        crawl_registry(registry, tmp_path, "--set", "GOVREPORTS_MAX_CANDIDATES_PER_PAGE=10")
        fetched = [line for line, _ in server.httpd.received if "/files/" in line]
    assert len(fetched) == 10
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        capped = conn.execute("select url, stage, message from failures where kind = 'candidates_capped'").fetchall()
    assert capped == [
        (
            f"{server.url}/col/t0.html",
            "detail",
            "30 of the 40 new attachments and pictures of this page are left for a later run: "
            "a run fetches at most 10 per page",
        )
    ]
