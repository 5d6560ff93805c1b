"""Issue 28, the serving side: a compression bomb in the archive, a client that stops
reading, a database served without its WARC files, cheap 500s, and stored URLs that are not
web addresses. Each probe here answered badly before (a 500, a path, a frozen lane, a link)."""

import asyncio
import collections
import gzip
import re
import shutil
import sqlite3
import tracemalloc
import urllib.parse
import zlib

import pytest
import yaml
from datasette.app import Datasette

from fixturekit.captures import archive_capture
from govreports import capture_page, public, report_page, web
from govreports.public import public_gate, public_metadata
from govreports.serve import METADATA
from storage import reports, schema
from storage.warc import PayloadTooLarge, WarcArchive, archive_dir

METADATA_DICT = yaml.safe_load(METADATA.read_text(encoding="utf-8"))


def get_all(db_path, paths, public_mode=True, method="get"):
    async def run():
        metadata = public_metadata(METADATA_DICT) if public_mode else METADATA_DICT
        ds = Datasette([str(db_path)], metadata=metadata)
        return [await getattr(ds.client, method)(path, follow_redirects=True) for path in paths]

    return asyncio.run(run())


def copy_archive(sample_crawl, folder, with_warcs=True):
    """The sample archive copied into folder (so a test may add to it), with or without warcs/."""
    db_path = folder / "archive.db"
    with sqlite3.connect(sample_crawl["db"]) as source, sqlite3.connect(db_path) as copy:
        source.backup(copy)
    if with_warcs:
        shutil.copytree(archive_dir(sample_crawl["db"]), archive_dir(db_path))
    return db_path


def archive_html(db_path, url, body, content_encoding):
    """An HTML answer sent with this Content-Encoding, archived; its capture number."""
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", content_encoding)]
    return archive_capture(db_path, url, headers, body)


# -- 1. a compression bomb --------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb_archive(sample_crawl, tmp_path_factory):
    """The sample archive with a 100 MiB page of zeros gzipped to ~100 KB, and a small page."""
    db_path = copy_archive(sample_crawl, tmp_path_factory.mktemp("bomb"))
    bomb = archive_html(db_path, "http://x.gov.cn/bomb.html", gzip.compress(bytes(100 * 2**20), 9), "gzip")
    page = "<html><body>" + "政府信息公开工作年度报告 " * 20_000 + "</body></html>"
    small = archive_html(db_path, "http://x.gov.cn/page.html", gzip.compress(page.encode()), "gzip")
    return db_path, bomb, small, page


@pytest.mark.parametrize("public_mode", [True, False])
def test_a_compression_bomb_is_refused_without_inflating_it_in_memory(bomb_archive, public_mode, monkeypatch):
    db_path, bomb, _, _ = bomb_archive
    monkeypatch.setattr(capture_page, "_measured", collections.OrderedDict(), raising=False)  # measured afresh
    monkeypatch.setattr(public, "REFUSAL_SECONDS", 0)
    tracemalloc.start()
    try:
        response = get_all(db_path, [f"/archive/-/capture/{bomb}"], public_mode)[0]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    assert "MiB" in response.text and str(db_path.parent) not in response.text
    assert peak < 16 * 2**20  # never the whole 100 MiB (nor 64 MiB of it) at once


def test_a_capture_within_the_limit_is_streamed_whole(bomb_archive):
    db_path, _, small, page = bomb_archive
    response = get_all(db_path, [f"/archive/-/capture/{small}"])[0]
    assert response.status_code == 200
    assert response.content == page.encode()
    assert int(response.headers["content-length"]) == len(page.encode())
    assert "sandbox" in response.headers["content-security-policy"]


def test_a_capture_is_measured_off_the_event_loop(bomb_archive, monkeypatch):
    """While a capture is inflated, the server's event loop answers: the inflating runs in a
    worker thread (here held until the loop has shown it is free)."""
    db_path, bomb, _, _ = bomb_archive
    monkeypatch.setattr(capture_page, "_measured", collections.OrderedDict(), raising=False)  # measured afresh
    measure, loop_answered = getattr(capture_page, "_measure", None), None

    def blocked_measure(*args):
        assert loop_answered.wait(10), "the event loop was blocked while a capture was measured"
        return measure(*args)

    monkeypatch.setattr(capture_page, "_measure", blocked_measure, raising=False)

    async def run():
        nonlocal loop_answered
        import threading

        loop_answered = threading.Event()
        ds = Datasette([str(db_path)], metadata=METADATA_DICT)
        capture = asyncio.create_task(ds.client.get(f"/archive/-/capture/{bomb}"))
        await asyncio.sleep(0.05)
        loop_answered.set()
        return await capture

    assert asyncio.run(run()).status_code == 413


def deflated(data, wbits):
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    "encoding,encode",
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: deflated(data, -zlib.MAX_WBITS)),  # raw deflate, as some servers send
        ("gzip, gzip", lambda data: gzip.compress(gzip.compress(data))),
        ("identity", lambda data: data),
    ],
)
def test_a_payload_is_read_in_bounded_pieces_whatever_its_encoding(tmp_path, encoding, encode):
    payload = "第二十条 政府信息公开 ".encode() * 50_000
    archive = WarcArchive(tmp_path)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", encoding)]
    where = archive.record("http://x.gov.cn/a", "GET /a", [], "HTTP/1.1", "200 OK", headers, encode(payload))
    archive.close()
    pieces = list(WarcArchive(tmp_path).payload_pieces(where["warc_file"], where["warc_offset"], len(payload)))
    assert b"".join(pieces) == payload
    assert max(map(len, pieces)) <= 64 * 1024
    with pytest.raises(PayloadTooLarge):
        list(WarcArchive(tmp_path).payload_pieces(where["warc_file"], where["warc_offset"], len(payload) - 1))


# -- 3. a client that stops reading ---------------------------------------------------


def test_a_client_that_stops_reading_holds_no_heavy_slot(monkeypatch):
    """A CSV stream to a client that takes nothing more: other heavy requests are answered
    meanwhile (before: 503 after the queue's wait), and the stalled one is dropped."""
    monkeypatch.setattr(public, "QUEUE_SECONDS", 2)
    monkeypatch.setattr(public, "REFUSAL_SECONDS", 0)
    monkeypatch.setattr(public, "SLOT_SEND_SECONDS", 0.05, raising=False)
    monkeypatch.setattr(public, "SEND_SECONDS", 1, raising=False)

    async def streaming_app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(1000):
            await asyncio.sleep(0)  # a query for the next batch
            await send({"type": "http.response.body", "body": b"x" * 65536, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def request(gate, path, stalls=False):
        sent = []

        async def send(message):
            if stalls and message.get("more_body") and len(sent) > 2:
                await asyncio.Event().wait()  # the client stopped reading
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b"_stream=on"}
        await gate(scope, None, send)
        return sent

    async def run():
        gate = public_gate(streaming_app)
        stalled = asyncio.create_task(request(gate, "/archive/reports.csv", stalls=True))
        await asyncio.sleep(0.2)
        other = await asyncio.wait_for(request(gate, "/archive/facts.csv"), 1.5)
        return other, await asyncio.wait_for(stalled, 3)

    other, stalled = asyncio.run(run())
    assert other[0]["status"] == 200 and other[-1] == {"type": "http.response.body", "body": b""}
    assert 2 < len(stalled) < 10  # dropped mid-stream, not served to the end


def test_a_refusal_is_sent_late_holding_no_slot(monkeypatch):
    """A 413 or 404 (a capture too large, a capture number that is none): a client asking
    again at once waits a second each time, and meanwhile the lane is free."""
    monkeypatch.setattr(public, "REFUSAL_SECONDS", 0.3)
    lane, sent = public.Lane(1), []

    async def send(message):
        sent.append(message)

    async def run():
        await lane.enter()
        send_message, state = public.sending_outside_lane(send, lane)
        refusal = asyncio.create_task(send_message({"type": "http.response.start", "status": 413, "headers": []}))
        await asyncio.sleep(0.1)
        during = (lane.slots.locked(), list(sent))
        await refusal
        await send_message({"type": "http.response.body", "body": b"too large"})
        return during, state["holds_slot"]

    (locked, sent_early), holds = asyncio.run(run())
    assert not locked and sent_early == []
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"] and not holds


def test_a_fast_client_keeps_its_slot_while_sending():
    """Sending to a client that reads at once never gives the slot up (no requeueing)."""
    lane = public.Lane(1)
    releases = []

    async def run():
        await lane.enter()
        leave = lane.leave
        lane.leave = lambda: (releases.append(1), leave())

        async def send(message):
            pass

        send_message, state = public.sending_outside_lane(send, lane)
        await send_message({"type": "http.response.start", "status": 200, "headers": []})
        await send_message({"type": "http.response.body", "body": b"x", "more_body": True})
        return state["holds_slot"]

    assert asyncio.run(run()) is True
    assert releases == []


# -- 6. no path in public mode -------------------------------------------------------


def test_archived_copies_without_their_warc_files_answer_without_a_path(sample_crawl, tmp_path):
    db_path = copy_archive(sample_crawl, tmp_path, with_warcs=False)
    with sqlite3.connect(db_path) as conn:
        rowid = conn.execute("select rowid from fetches where warc_file is not null").fetchone()[0]
    for public_mode in (True, False):
        response = get_all(db_path, [f"/archive/-/capture/{rowid}"], public_mode)[0]
        assert response.status_code == 410, response.text[:300]
        assert str(tmp_path) not in response.text and ".warc" not in response.text
        assert "not on this server" in response.text


def test_an_unexpected_error_in_public_mode_shows_no_path(sample_crawl, monkeypatch):
    async def failing(datasette, request):
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{sample_crawl['db'].parent}/secret'")

    monkeypatch.setattr(report_page, "report_page", failing)
    served = get_all(sample_crawl["db"], ["/archive/reports/x"])[0]
    assert served.status_code == 500
    assert str(sample_crawl["db"].parent) not in served.text
    private = get_all(sample_crawl["db"], ["/archive/reports/x"], public_mode=False)[0]
    assert str(sample_crawl["db"].parent) in private.text  # what the operator sees on 127.0.0.1


# -- 7. cheap 500s ---------------------------------------------------------------------


def q(text):
    return urllib.parse.quote(text)


@pytest.mark.parametrize(
    "path,status",
    [
        ("/-/search?q=" + q("复议") + "&before=99999999999999999999999999", 400),
        ("/-/search.json?before=99999999999999999999999999", 400),
        ("/-/search?before=" + q("²"), 400),
        ("/-/search.csv?before=" + q("١٢"), 400),
        ("/-/search.json?before=-5", 400),
        ("/-/search.json?before=9223372036854775808", 400),
        ("/-/search.json?q=" + q("复议" * 300), 400),
        ("/archive/-/capture/99999999999999999999999999", 404),
        ("/archive/-/capture/9223372036854775808", 404),
        ("/archive/-/capture/" + q("²"), 404),
        ("/archive/-/capture/" + q("²") + "/view", 404),
        ("/archive/-/capture/12abc/view", 404),
        ("/nodb/reports/x", 404),  # a database that is none, on each page of ours under /<db>/
        ("/nodb/-/capture/1", 404),
        ("/nodb/-/compare?a=x&b=y", 404),
        ("/nodb/-/feeds/changes.atom", 404),
        ("/nodb/-/compliance", 404),
        ("/archive/reports?_sort=nonexistent", 400),
        ("/archive/reports.json?_sort_desc=nonexistent", 400),
        ("/archive/facts.json?_sort=raw&_sort_desc=raw", 400),
    ],
)
@pytest.mark.parametrize("public_mode", [True, False])
def test_bad_parameters_are_refused_not_500(sample_crawl, path, status, public_mode, monkeypatch):
    monkeypatch.setattr(public, "REFUSAL_SECONDS", 0)
    response = get_all(sample_crawl["db"], [path], public_mode)[0]
    assert response.status_code == status, response.text[:300]
    assert str(sample_crawl["db"].parent) not in response.text


def test_the_largest_page_cursor_still_works(sample_crawl):
    response = get_all(sample_crawl["db"], ["/-/search.json?before=9223372036854775807"])[0]
    assert response.status_code == 200
    assert response.json()["rows"]


@pytest.mark.parametrize("path", ["/archive/search_reports", "/archive/reports", "/archive", "/-/search"])
def test_writes_are_refused_in_public_mode(sample_crawl, path, monkeypatch):
    monkeypatch.setattr(public, "REFUSAL_SECONDS", 0)
    response = get_all(sample_crawl["db"], [path], method="post")[0]
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("query", sorted(METADATA_DICT["databases"]["archive"]["queries"]))
def test_a_post_to_a_canned_query_is_405_in_either_mode(sample_crawl, query):
    for public_mode in (True, False):
        response = get_all(sample_crawl["db"], [f"/archive/{query}"], public_mode, method="post")[0]
        assert response.status_code == 405, (public_mode, response.text[:200])


# -- 11. only web addresses become links ----------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.domain)", " JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"]
)
def test_a_stored_url_that_is_not_http_is_shown_but_never_a_link(sample_crawl, tmp_path, url):
    db_path = copy_archive(sample_crawl, tmp_path, with_warcs=False)
    db = schema.open_db(db_path)
    row = dict(next(db["reports"].rows))
    row.update(id="evil", url=url, source_url=url, content_hash=None)
    reports.save_report(db, row, [], [])
    db.execute("insert into fetches (url, sha256, warc_file, warc_offset) values (?, 'x', 'a.warc.gz', 0)", [url])
    db.conn.commit()
    db.close()
    page = get_all(db_path, ["/archive/reports/evil"], public_mode=False)[0].text
    hrefs = [h.strip().lower() for h in re.findall(r'href="([^"]*)"', page)]
    assert hrefs and not [h for h in hrefs if h.startswith(("javascript", "data", "vbscript"))]
    assert "原文地址" in page  # the address is still shown, as text


def test_web_link():
    assert web.web_link("https://www.gov.cn/a?b=1") == "https://www.gov.cn/a?b=1"
    assert web.web_link("HTTP://X.GOV.CN/") == "HTTP://X.GOV.CN/"
    for url in ("javascript:alert(1)", "//evil.example/x", "/relative", "http:///x", "", None, "ftp://x.gov.cn/"):
        assert web.web_link(url) is None, url
