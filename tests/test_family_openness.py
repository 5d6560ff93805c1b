"""Anhui openness platform: the /public/column shell, /site/label/8888 fragments in pages,
/public/{organ}/{id}.html details, a FastDFS /group6/M00/ attachment, a 指南 among the rows."""

import json

from conftest import FIXTURES, assert_portal_reports, crawl_fixture_portal
from fixture_responses import site_response

from crawler.families import family_for
from crawler.families.openness import OpennessFamily

PORTAL = FIXTURES / "portals" / "openness"
OPENNESS = OpennessFamily()


def test_shell_pages_and_document_keys():
    manifest = json.loads((PORTAL / "_headers.json").read_text())
    key = next(k for k in manifest if k.startswith("/public/column/"))
    response = site_response(PORTAL, key, "https://www.shucheng.gov.cn")
    assert family_for(None, response).name == "openness"
    pages = OPENNESS.next_pages(response)
    assert len(pages) == 2 and [p.split("pageIndex=")[1].split("&")[0] for p in pages] == ["1", "2"]
    assert all(p.startswith("https://www.shucheng.gov.cn/site/label/8888?IsAjax=1") for p in pages)
    assert OPENNESS.document_key("https://x/public/6598771/35994956.html") == "openness:35994956"


def test_every_report_is_found_with_its_facts(tmp_path):
    db, base = crawl_fixture_portal("openness", tmp_path)
    assert_portal_reports("openness", db, base, attachment_format="docx", attachment_facts=198)
