import pytest
from lxml import etree

from govreports.atom import ATOM_NS, atom_feed, rfc3339, tag_uri

pytestmark = pytest.mark.unit
NS = {"a": ATOM_NS}


def test_entries_keep_their_ids_and_the_feed_takes_the_newest_time():
    entries = [
        {
            "id": tag_uri("report", "r1"),
            "title": "示例县 2023 年报告",
            "link": "http://x/archive/reports/r1",
            "updated": "2024-03-01 08:00:00",
            "summary": "晚 12 天",
        },
        {
            "id": tag_uri("report", "r2"),
            "title": "示例市",
            "link": "http://x/archive/reports/r2",
            "updated": "2024-04-02T10:00:00+08:00",
        },
    ]
    root = etree.fromstring(atom_feed(tag_uri("feed", "late"), "逾期报告", "http://x/late.atom", entries))
    assert root.findtext("a:updated", namespaces=NS) == "2024-04-02T10:00:00+08:00"
    assert [e.findtext("a:id", namespaces=NS) for e in root.findall("a:entry", NS)] == [
        "tag:govreports,2024:report/r1",
        "tag:govreports,2024:report/r2",
    ]
    assert root.find("a:entry/a:link", NS).get("href") == "http://x/archive/reports/r1"
    assert root.findtext("a:entry/a:summary", namespaces=NS) == "晚 12 天"


def test_an_empty_feed_is_valid_and_does_not_change_between_requests():
    first = atom_feed(tag_uri("feed", "missing"), "缺报", "http://x/m.atom", [])
    assert first == atom_feed(tag_uri("feed", "missing"), "缺报", "http://x/m.atom", [])
    root = etree.fromstring(first)
    assert root.findtext("a:updated", namespaces=NS) == rfc3339(None)
    assert root.find("a:author/a:name", NS).text == "govreports"
