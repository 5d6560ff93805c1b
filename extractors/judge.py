"""Is a document an annual government-information-disclosure report?

Every item of an annual-report column is a candidate, whatever its title says. Its title can
reject it at once (an interpretation, a notice about reports, a guide, another yearly report);
otherwise its content decides: a report title or heading, the official section headings, or
the statistical tables. `title_verdict` serves the crawl (no fetch for what the title already
rejects); `content_verdict` serves extraction.
"""

import re

from .metadata import REPORT_TITLE_RE
from .normalize import compact
from .vocabulary import SECTIONS

# (reason, pattern over a title without spaces), first match wins
REJECTED_TITLES = (
    # "一图读懂…2022年政府信息公开工作年度报告", "《…年度报告》解读", "图解：…"
    ("interpretation", re.compile(r"解读|图解|一图|读懂|看懂|答记者问|问答")),
    # "关于报送2021年度政府信息公开工作年度报告的函", "关于做好…年度报告编制发布工作的通知"
    # (not 编制 alone: 机构编制委员会办公室 publishes reports too)
    ("notice", re.compile(r"通知|的函|函$|关于(?:报送|编制|发布|做好|印发|开展)|公示|通报")),
    # "政府信息公开指南", "政府信息公开目录", "2024年政务公开工作要点", "…年度报告集中公开专题页面"
    ("guide_or_plan", re.compile(r"指南|目录|工作要点|工作计划|实施方案|说明|专题|专栏|汇总|一览")),
    # "2023年法治政府建设年度报告", "2023年国民经济和社会发展统计公报"
    # (whole phrases: 审计局 and 统计局 publish disclosure reports too)
    (
        "other_yearly_report",
        re.compile(
            r"法治政府建设|统计公报|国民经济和社会发展|预算执行|决算报告|审计工作报告"
            r"|述职报告|工作总结|依法行政工作"
        ),
    ),
)
# The six official section headings' words (vocabulary.SECTIONS); three or more make a report.
SECTION_HEADINGS = tuple(section.marker for section in SECTIONS)


def title_verdict(title):
    """'report' for a report title, a rejection reason for a title that names something
    else, None for a vague title ("年度报告", "2023年报", an agency's name)."""
    title = compact(title or "")
    for reason, pattern in REJECTED_TITLES:
        if pattern.search(title):
            return reason
    return "report" if REPORT_TITLE_RE.search(title) else None


def content_verdict(title, text, facts_count):
    """(True, None) when the document is a report, else (False, reason)."""
    verdict = title_verdict(title)
    if verdict not in (None, "report"):
        return False, verdict
    if verdict == "report" or facts_count:
        return True, None
    body = compact(text or "")
    if REPORT_TITLE_RE.search(body[:300]) and title_verdict(body[:300]) in (None, "report"):
        return True, None
    if sum(heading in body for heading in SECTION_HEADINGS) >= 3:
        return True, None
    return False, "no_report_content"
