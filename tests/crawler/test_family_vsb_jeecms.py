"""VSB and JEECMS: list pages chained by 下页 / 下一页, /info/{col}/{id}.htm and {id}.jhtml
details, a download.jsp DOCX and a /u/cms/www/ PDF, a 通知 in each list."""

import sqlite3

import pytest
from helpers import assert_portal_reports, crawl_fixture_portal

from crawler.families import FAMILIES

CASES = {"vsb": ("docx", 198), "jeecms": ("pdf", 198)}


@pytest.mark.parametrize(
    "family,url,key",
    [
        ("vsb", "http://jyj.linyi.gov.cn/info/1667/53878.htm", "vsb:53878"),
        ("jeecms", "http://guyang.gov.cn/jdbsc/24971296.jhtml", "jeecms:24971296"),
    ],
)
def test_document_keys(family, url, key):
    assert FAMILIES[family].document_key(url) == key


@pytest.mark.parametrize("family", sorted(CASES))
def test_every_report_is_found_with_its_facts(family, tmp_path):
    attachment_format, attachment_facts = CASES[family]
    db, base = crawl_fixture_portal(family, tmp_path)
    assert_portal_reports(family, db, base, attachment_format, attachment_facts)
    with sqlite3.connect(db) as conn:  # the 通知 in the list (…9.htm / …9.jhtml) is never fetched
        assert (
            conn.execute(
                "select count(*) from fetches where url like '%53879.htm' or url like '%24971299.jhtml'"
            ).fetchone()[0]
            == 0
        )
