"""Candidates judged as reports or not: by title first, then by content (extractors/judge.py)."""

import pytest

from extractors.judge import content_verdict, title_verdict

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it


@pytest.mark.parametrize(
    "title,verdict",
    [
        ("示例县财政局2023年政府信息公开工作年度报告", "report"),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "report"),
        ("示例县审计局2023年政府信息公开工作年度报告", "report"),  # an agency named 审计局
        ("中共示例县委机构编制委员会办公室2023年政府信息公开工作年度报告", "report"),  # 编制 in a name
        ("年度报告", None),
        ("2023年报", None),
        ("示例县财政局", None),
        ("政府信息公开年报", None),
        ("一图读懂示例县2022年政府信息公开工作年度报告", "interpretation"),
        ("图解：示例县人民政府2023年政府信息公开工作年度报告", "interpretation"),
        ("《示例县2023年政府信息公开工作年度报告》解读", "interpretation"),
        ("关于报送2021年度政府信息公开工作年度报告的函", "notice"),
        ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "notice"),
        ("示例县政府信息公开指南", "guide_or_plan"),
        ("2024年政务公开工作要点", "guide_or_plan"),
        ("示例县2023年政府信息公开工作年度报告集中公开专题页面", "guide_or_plan"),
        ("示例县2023年法治政府建设年度报告", "other_yearly_report"),
        ("示例县2023年国民经济和社会发展统计公报", "other_yearly_report"),
    ],
)
def test_titles(title, verdict):
    assert title_verdict(title) == verdict


SECTIONS = "一、总体情况……二、主动公开政府信息情况……三、收到和处理政府信息公开申请情况……"


@pytest.mark.parametrize(
    "title,text,facts,expected",
    [
        ("年度报告", SECTIONS, 0, (True, None)),  # a vague title, the official sections
        ("2023年报", "详见附件", 120, (True, None)),  # the statistical tables
        ("年度报告", "示例县财政局2023年政府信息公开工作年度报告\n本报告根据……", 0, (True, None)),  # its heading
        ("年度报告", "为做好年度报告编制工作，现将有关事项通知如下", 0, (False, "no_report_content")),
        ("一图读懂2022年政府信息公开工作年度报告", SECTIONS, 80, (False, "interpretation")),  # numbers quoted
    ],
)
def test_content(title, text, facts, expected):
    assert content_verdict(title, text, facts) == expected
