"""TRS WCM list pages: report links by title, createPageHTML / countPage pagination, _wap."""

import pytest
from fixture_responses import file_response, site_response
from helpers import FIXTURES

from crawler.families import family_for
from crawler.families.trs import TrsFamily
from extractors.judge import title_verdict
from govreports.fixture_server import SAMPLE_PORTAL

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

TRS = TrsFamily()


# a real countPage list page (GBK stays GBK), named in _headers.json by its URL
COUNT_PAGE_URL = "http://cqck.gov.cn/zwgk_270/zfxxgknb/index.shtml"


def test_create_page_html_pagination_and_report_links():
    response = file_response(SAMPLE_PORTAL / "xxgk/zfxxgknb/index.html", "http://x.gov.cn/xxgk/zfxxgknb/index.html")
    assert TRS.matches(response)
    assert TRS.next_pages(response) == [
        "http://x.gov.cn/xxgk/zfxxgknb/index.html",
        "http://x.gov.cn/xxgk/zfxxgknb/index_1.html",
        "http://x.gov.cn/xxgk/zfxxgknb/index_2.html",
        "http://x.gov.cn/xxgk/zfxxgknb/index_3.html",
    ]
    links = TRS.report_links(response)
    assert [link.title for link in links if not link.needs_check] == [
        "洪泽区人民政府2023年政府信息公开工作年度报告",
        "示例县市场监督管理局2023年政府信息公开工作年度报告",
        "株洲市天元区金融办2022年政府信息公开工作年度报告",
        "示例县财政局2022年政府信息公开工作年度报告",
    ]
    # the 图解 item on the same page is a candidate that its title rejects
    assert [title_verdict(link.title) for link in links if link.needs_check] == ["interpretation"]


def test_count_page_variables_gbk_page_wap_duplicates_and_old_detail_names():
    response = site_response(FIXTURES / "portals" / "trs", COUNT_PAGE_URL, "")
    assert family_for(None, response).name == "trs"
    assert TRS.next_pages(response) == [
        "http://cqck.gov.cn/zwgk_270/zfxxgknb/index.shtml",
        "http://cqck.gov.cn/zwgk_270/zfxxgknb/index_1.shtml",
        "http://cqck.gov.cn/zwgk_270/zfxxgknb/index_2.shtml",
    ]
    links = TRS.report_links(response)
    assert [title_verdict(link.title) for link in links if link.needs_check] == ["notice", "interpretation"]
    assert [link.url for link in links if not link.needs_check] == [
        "http://cqck.gov.cn/zwgk_270/zfxxgknb/202301/t20230130_11545442.html",
        "http://cqck.gov.cn/zwgk_270/zfxxgknb/202102/t20210203_8862455.html",
        "http://cqck.gov.cn/zwgk_270/zfxxgknb_2954/t11369142.shtml",
    ]


def test_detail_attachments_marked_appendix():
    page = SAMPLE_PORTAL / "xxgk/zfxxgknb/202101/t20210106_1004.html"
    response = file_response(page, "http://x.gov.cn/xxgk/zfxxgknb/202101/t20210106_1004.html")
    assert TRS.attachments(response) == ["http://x.gov.cn/xxgk/zfxxgknb/202101/P020210106389613086419.pdf"]
    assert TRS.detail_title(response) == "洛江区财政局2020年政府信息公开工作年度报告"
