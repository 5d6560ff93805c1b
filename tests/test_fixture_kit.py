"""The one kit every fixture portal is built with (scripts/fixturekit/portal.py's Portal): a
portal declared with it writes its pages as raw bytes plus _headers.json, keeps a hand-written
site.json, and writes expected.json with each report's keys in the portal's report_keys order.
Every builder's output staying byte-identical is `make fixtures-check`."""

import random

import pytest
from helpers import load_json

from fixturekit.portal import Portal, pages_of

pytestmark = pytest.mark.unit

DETAIL = "<html><head><title>{title}</title></head><body><p>{date} {agency}</p>{body}{extra}</body></html>"


def build(root, report_keys):
    portal = Portal(root, report_keys=report_keys)
    rng = random.Random(1)
    items = [
        portal.table_report(portal.writer(f"/nb/{n}.html", DETAIL, extra=""), "示例局", year, f"{year + 1}-01-20", rng)
        for n, year in enumerate((2023, 2020), start=1)
    ]
    portal.non_report("/nb/9.html", "示例局政府信息公开指南", "guide")
    portal.page("/nb/index.html", "".join(f'<a href="{path}">{title}</a>' for title, path in items))
    portal.column("/nb/index.html")
    portal.save()
    return items


def test_a_portal_writes_its_pages_headers_and_expected_json_keeping_its_site_json(tmp_path):
    root = tmp_path / "portal"
    root.mkdir()
    (root / "site.json").write_text('{"host": "www.shili.gov.cn"}', encoding="utf-8")
    (root / "stale.html").write_text("from an earlier build", encoding="utf-8")
    items = build(root, ("path", "title", "year", "layout", "facts"))
    assert load_json(root / "site.json") == {"host": "www.shili.gov.cn"}
    assert not (root / "stale.html").exists()
    headers = load_json(root / "_headers.json")
    assert headers["/nb/index.html"]["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert "示例局2023年政府信息公开工作年度报告" in (root / "nb" / "1.html").read_text(encoding="utf-8")
    expected = load_json(root / "expected.json")
    assert [list(report) for report in expected["reports"]] == [["path", "title", "year", "layout", "facts"]] * 2
    assert [(r["path"], r["year"], r["layout"]) for r in expected["reports"]] == [
        ("/nb/1.html", 2023, "2021"),
        ("/nb/2.html", 2020, "2019"),
    ]
    assert items == [(r["title"], r["path"]) for r in expected["reports"]]
    assert all(len(r["facts"]) > 100 for r in expected["reports"])
    assert expected["non_reports"] == [{"path": "/nb/9.html", "title": "示例局政府信息公开指南", "why": "guide"}]
    assert expected["columns"] == ["/nb/index.html"]


def test_report_keys_choose_and_order_what_expected_json_says_of_a_report(tmp_path):
    build(tmp_path, ("path", "title", "facts"))
    reports = load_json(tmp_path / "expected.json")["reports"]
    assert [list(report) for report in reports] == [["path", "title", "facts"]] * 2


def test_a_page_written_twice_is_refused(tmp_path):
    portal = Portal(tmp_path)
    portal.page("/a.html", "<p>one</p>")
    with pytest.raises(AssertionError, match="written twice"):
        portal.page("/a.html", "<p>two</p>")


def test_pages_of_cuts_items_into_list_pages():
    assert pages_of(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert pages_of([], 3) == [[]]
