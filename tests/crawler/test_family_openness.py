"""Anhui openness platform: the /public/column shell, /site/label/8888 fragments in pages,
/public/{organ}/{id}.html details, a FastDFS /group6/M00/ attachment, a 指南 among the rows."""

import json
from urllib.parse import parse_qsl, urlsplit

from fixture_responses import site_response
from helpers import FIXTURES, assert_portal_reports, crawl_fixture_portal
from scrapy.http import HtmlResponse

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


SHELL_WITH_OBJECT = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div class="xxgk_right"><div id="xxgk_lmcon"></div><div id="page"></div></div>
<script>var organId = "6598771"; var catId = '7300001';
function getList(pageIndex) {
  $.ajax({ type: "get", url: "/site/label/8888", dataType: "html",
    data: { IsAjax: 1, dataType: "html", "labelName": "publicInfoList", siteId: 10915003, pageSize: 15,
            pageIndex: pageIndex, action: "list", isDate: true, organId: organId, catId: catId,
            file: "/xxgk/publicInfoList_newest2022" },
    success: function (html) { $("#xxgk_lmcon").html(html); } });
}
$(function () { getList(1); Pager({ elem: "#page", pageCount: 3, pageIndex: 1, jump: getList }); });
</script></body></html>"""


def parameters(url):
    return urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))


def test_a_shell_passing_the_list_parameters_as_an_object_is_decoded_page_by_page():
    # the Anhui shells that pass $.ajax its data as an object literal, values partly in variables
    response = HtmlResponse(
        "https://www.example.gov.cn/public/column/6598771?type=4&action=list&catId=7300001",
        body=SHELL_WITH_OBJECT.encode(),
        encoding="utf-8",
    )
    assert family_for(None, response).name == "openness"
    pages = [parameters(url) for url in OPENNESS.next_pages(response)]
    assert [query["pageIndex"] for _, query in pages] == ["1", "2", "3"]
    path, query = pages[1]
    assert path == "/site/label/8888"
    assert query == {
        "IsAjax": "1",
        "dataType": "html",
        "labelName": "publicInfoList",
        "siteId": "10915003",
        "pageSize": "15",
        "pageIndex": "2",
        "action": "list",
        "isDate": "true",
        "organId": "6598771",
        "catId": "7300001",
        "file": "/xxgk/publicInfoList_newest2022",
    }


def test_a_shell_whose_parameter_is_an_unknown_variable_is_not_guessed():
    body = SHELL_WITH_OBJECT.replace("var catId = '7300001';", "").encode()
    response = HtmlResponse("https://www.example.gov.cn/public/column/6598771?type=4", body=body, encoding="utf-8")
    assert OPENNESS.next_pages(response) == []
