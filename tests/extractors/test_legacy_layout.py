"""Layout `legacy` (issue 27): a report in the pre-2019 form is named so from its labels,
whatever its year says; anything else without table labels stays null (unknown)."""

import pytest

from extractors.report import extract_document

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

# The form reports used before the unified tables: seven parts of free text, the numbers
# of 主动公开 and 依申请公开 in prose, a part on fees and their waiving; no table at all.
LEGACY_2017 = """武汉市江夏区民政局二〇一七年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由江夏区民政局编制。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，存在的主要问题及改进措施，其他需要报告的事项。本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。

一、概述

2017年，我局认真贯彻落实《条例》，把政府信息公开工作列入重要议事日程，明确一名分管领导和办公室专人负责，做到有人管、有人抓。

二、主动公开政府信息情况

全年通过区政府门户网站、政务公开栏、民政服务大厅电子显示屏等渠道主动公开政府信息412条，其中机构职能类23条，政策法规类64条，业务工作类251条，其他74条。主动公开社会救助、养老服务、婚姻登记等群众关心的信息186条。

三、依申请公开政府信息情况

全年共受理政府信息公开申请6件，其中当面申请4件、网络申请2件。已答复6件，其中同意公开5件，信息不存在1件，按时答复率100%。

四、政府信息公开的收费及减免情况

本年度未收取任何检索、复制、邮寄等费用，无减免情况。

五、因政府信息公开申请行政复议、提起行政诉讼的情况

本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况，也未收到相关申诉。

六、存在的主要问题及改进措施

一是信息公开的及时性还需提高；二是公开内容与群众需求结合不够紧密。下一步，我局将进一步规范信息发布流程，加大民生信息公开力度。

七、其他需要报告的事项

无。

武汉市江夏区民政局
2018年3月20日
"""


def layout_of(text, name="report.txt"):
    return extract_document(text.encode(), name=name)["layout"]


def test_a_free_text_report_of_before_2019_is_legacy():
    result = extract_document(LEGACY_2017.encode(), name="report.txt")
    assert result["layout"] == "legacy"
    assert result["facts"] == [] and result["missing_tables"] == []
    assert not [c for c in result["checks"] if c["status"] == "fail"]


def test_a_straggler_in_the_old_form_is_legacy_whatever_its_year():
    """A 2020 report still written in the pre-2019 form (tables.md: 'and stragglers'): its
    heading 主动公开政府信息情况 is shared by both forms and decides nothing."""
    straggler = LEGACY_2017.replace("二〇一七年", "2020年").replace("2017年", "2020年")
    assert layout_of(straggler) == "legacy"
    as_page = "<html><head><title>江夏区民政局2020年政府信息公开工作年度报告</title></head><body>" + "".join(
        f"<p>{line}</p>" for line in straggler.splitlines() if line
    )
    assert layout_of(as_page + "</body></html>", "page.html") == "legacy"


NOTICE = """关于做好2017年度政府信息公开工作年度报告编制工作的通知

各乡镇人民政府、区直各单位：

请按照《条例》第三十二条的规定编写2017年度政府信息公开工作年度报告，内容包括：一、概述；二、主动公开政府信息情况；三、依申请公开政府信息情况；四、政府信息公开的收费及减免情况；五、因政府信息公开申请行政复议、提起行政诉讼的情况；六、存在的主要问题及改进措施。

请于2018年3月1日前报区政务公开办公室。
"""

NEWS = """我区召开2017年度政务公开工作推进会

3月5日，区政府召开政务公开工作推进会，通报2017年政府信息公开工作情况。会议指出，全区全年主动公开政府信息1.2万条，依申请公开政府信息情况总体平稳。
"""


@pytest.mark.parametrize("text", [NOTICE, NEWS], ids=["notice about reports", "news"])
def test_a_page_that_is_no_report_stays_null(text):
    assert layout_of(text) is None


def test_a_report_since_2019_whose_tables_are_lost_stays_null():
    """Written in the new form (三、收到和处理政府信息公开申请情况), only its tables missing:
    the layout is unknown, not legacy."""
    modern = LEGACY_2017.replace("三、依申请公开政府信息情况", "三、收到和处理政府信息公开申请情况").replace(
        "二〇一七年", "2021年"
    )
    assert layout_of(modern) is None
