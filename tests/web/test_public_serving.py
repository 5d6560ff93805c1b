"""`govreports serve --public`: custom SQL off, /-/ debug pages and file paths hidden, the
canned queries and search fully working, queries in bounded lanes."""

import asyncio
import urllib.parse
from urllib.parse import parse_qs

import pytest
import yaml
from datasette.app import Datasette

from govreports import public
from govreports.public import lane_of, public_gate, public_metadata
from govreports.serve import METADATA

METADATA_DICT = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
CANNED = METADATA_DICT["databases"]["archive"]["queries"]
PARAMS = {"search_reports": "q=复议", "missing_reports": "year=2020", "report_tables": "id=x"}


def get_all(db_path, paths, public_mode=True):
    async def run():
        metadata = public_metadata(METADATA_DICT) if public_mode else METADATA_DICT
        ds = Datasette([str(db_path)], metadata=metadata)
        return [await ds.client.get(path) for path in paths]

    return asyncio.run(run())


def q(text):
    return urllib.parse.quote(text)


def test_debug_pages_and_file_paths_are_hidden(sample_crawl):
    db = sample_crawl["db"]
    hidden = [
        "/-/databases.json",
        "/-/settings.json",
        "/-/versions.json",
        "/-/threads.json",
        "/-/plugins.json",
        "/-/metadata.json",
        "/-/config.json",
        "/-/actor.json",
        "/-/databases",
        "/_internal",
        "/archive.db",
    ]
    for path, response in zip(hidden, get_all(db, hidden)):
        assert response.status_code == 404, path
    shown = ["/", "/archive", "/archive.json", "/archive/reports", "/archive/reports.json", "/-/charts"]
    for path, response in zip(shown, get_all(db, shown)):
        assert response.status_code == 200, path
        assert str(db.parent) not in response.text, path
    assert str(db.parent) in get_all(db, ["/-/databases.json"], public_mode=False)[0].text  # what was shown


@pytest.mark.parametrize(
    "path",
    [
        "/archive.json?sql=" + q("select file from pragma_database_list"),
        "/archive.json?sql="
        + q("with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"),
        "/archive/reports.json?_where=" + q("1=1"),
    ],
)
def test_custom_sql_is_off(sample_crawl, path):
    response = get_all(sample_crawl["db"], [path])[0]
    assert response.status_code == 403
    assert str(sample_crawl["db"].parent) not in response.text


def test_every_canned_query_and_search_still_work(sample_crawl):
    paths = [f"/archive/{name}.json?_shape=array&{PARAMS.get(name, '')}" for name in CANNED]
    paths += [
        "/archive/reports.json?_shape=array&_search=" + q("复议"),
        "/archive/reports?_search=" + q("复议"),
        "/archive/reports?_facet=year&_facet=layout",
    ]
    public_responses = get_all(sample_crawl["db"], paths)
    private_responses = get_all(sample_crawl["db"], paths, public_mode=False)
    for path, served, private in zip(paths, public_responses, private_responses):
        assert served.status_code == 200, (path, served.text[:300])
        if ".json" in path:
            assert served.json() == private.json(), path
        else:  # the same rows; the page itself loses its "edit SQL" links
            assert served.text.count("<tr") == private.text.count("<tr") > 1, path
    assert len(public_responses[0].json()) > 0  # the canned search found reports
    assert "【复议】" in public_responses[0].json()[0]["摘要"]


@pytest.mark.parametrize(
    "path,query,lane",
    [
        ("/archive/reports", "_search=复议", "search"),
        ("/archive/reports.json", "_search=%E5%A4%8D%E8%AE%AE&_size=5", "search"),
        ("/archive/search_reports.json", "q=复议", "search"),
        ("/archive/reports", "", "browse"),
        ("/archive/reports.json", "_size=10&_shape=array", "browse"),
        ("/archive/failing_checks.json", "", "browse"),
        ("/", "", "browse"),
        ("/archive/facts.json", "_search=x", "heavy"),  # only the reports table's search is a search
        ("/archive/facts.json", "raw__contains=9&_sort=raw", "heavy"),
        ("/archive/reports", "_facet=agency", "heavy"),
        ("/archive/missing_reports.json", "year=2020", "browse"),  # a canned query: our SQL
        ("/archive/facts.csv", "_stream=on", "heavy"),
        ("/-/charts", "", "heavy"),
        ("/-/static/app.css", "", None),
        ("/archive/-/capture/12", "", "capture"),
        ("/archive/-/capture/12/view", "", "capture"),
        ("/archive/-/compliance", "region=示例省&kind=government&year=2023", "browse"),  # read through indexes
        ("/archive/-/agency/3f2a9c0d1e4b", "", "browse"),
        ("/archive/-/feeds/late.atom", "", "browse"),
        ("/archive/-/compliance.csv", "", "heavy"),  # every cell
    ],
)
def test_lanes(path, query, lane):
    assert lane_of(path, parse_qs(query), CANNED) == lane


def test_heavy_requests_fill_only_their_lane_and_then_get_503(monkeypatch):
    """Thirty slow requests: two run, the queue holds the rest up to its limit, beyond it 503;
    meanwhile a search is answered at once."""
    monkeypatch.setattr(public, "QUEUE_LIMIT", 25)
    monkeypatch.setattr(public, "REFUSAL_SECONDS", 0)
    release = None
    started = []

    async def app(scope, receive, send):
        started.append(scope["path"])
        if scope["path"] != "/archive/search_reports":
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def request(gate, path, query=b""):
        sent = []

        async def send(message):
            sent.append(message)

        await gate({"type": "http", "path": path, "query_string": query}, None, send)
        return sent[0]["status"]

    async def run():
        nonlocal release
        release = asyncio.Event()
        gate = public_gate(app)
        heavy = [asyncio.create_task(request(gate, "/archive/facts", b"raw__contains=9")) for _ in range(30)]
        await asyncio.sleep(0.05)
        assert len(started) == public.SLOTS["heavy"]
        search = await asyncio.wait_for(request(gate, "/archive/search_reports", b"q=x"), 1)
        release.set()
        return search, await asyncio.gather(*heavy)

    search, heavy = asyncio.run(run())
    assert search == 200
    assert heavy.count(503) == 30 - public.SLOTS["heavy"] - 25 and heavy.count(200) == public.SLOTS["heavy"] + 25
