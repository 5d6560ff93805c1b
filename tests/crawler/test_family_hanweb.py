"""Hanweb JCMS: <datastore> records on the column page, the rest from dataproxy.jsp, /art/
details, a DOCX behind downfile.jsp, a 通知 among the records, a 404 on index_1.html."""

import json
import sqlite3

from fixture_responses import site_response
from helpers import FIXTURES, assert_portal_reports, crawl_fixture_portal

from crawler.families import family_for
from crawler.families.hanweb import HanwebFamily
from extractors.judge import title_verdict

PORTAL = FIXTURES / "portals" / "hanweb"
HANWEB = HanwebFamily()


def column_page():
    return site_response(PORTAL, "/col/col90231/index.html", "http://jtyst.example.gov.cn")


def test_column_page_records_and_dataproxy_pages():
    response = column_page()
    assert family_for(None, response).name == "hanweb"
    links = HANWEB.report_links(response)
    assert [link.title for link in links if not link.needs_check] == [
        "江苏省示例厅2023年政府信息公开工作年度报告",
        "江苏省示例厅2022年政府信息公开工作年度报告",
    ]
    assert [title_verdict(link.title) for link in links if link.needs_check] == ["notice"]  # rejected unfetched
    assert HANWEB.next_pages(response) == [
        "http://jtyst.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3&col=1"
        "&appid=1&webid=1&path=/&columnid=90231&sourceContentType=1&unitid=6788&webname=&permissiontype=0",
        "http://jtyst.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=7&perpage=3&col=1"
        "&appid=1&webid=1&path=/&columnid=90231&sourceContentType=1&unitid=6788&webname=&permissiontype=0",
    ]
    assert HANWEB.document_key("http://x/art/2024/1/21/art_90231_60351.html") == "hanweb:60351"


def test_dataproxy_xml_records():
    manifest = json.loads((PORTAL / "_headers.json").read_text())
    key = next(k for k in manifest if "startrecord=4" in k)
    response = site_response(PORTAL, key, "http://jtyst.example.gov.cn")
    assert [link.url.rsplit("/", 1)[1] for link in HANWEB.report_links(response)] == [
        "art_90231_60353.html",
        "art_90231_60354.html",
        "art_90231_60355.html",
    ]
    assert HANWEB.next_pages(response) == []


def test_every_report_is_found_with_its_facts(tmp_path):
    db, base = crawl_fixture_portal("hanweb", tmp_path)
    assert_portal_reports("hanweb", db, base, attachment_format="docx", attachment_facts=200)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents where title like '%通知%'").fetchone()[0] == 0
