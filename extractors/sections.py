"""The six parts of a report, found by their numbered headings (official and variants)."""

import re

from .vocabulary import SECTION_KEYS

# The heading of each part (vocabulary.SECTIONS), official and variants: "一、总体情况",
# "二、主动公开政务信息情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
# "五、政府信息公开工作存在的主要问题及改进情况"
HEADING_PATTERNS = {
    "overview": r"一[、.．]\s*(?:总体情况|工作开展情况|主要工作概述|基本情况|概述)",
    "proactive": r"二[、.．]\s*主动公开",
    "requests": r"三[、.．]\s*收到和处理",
    "appeals": r"四[、.．]\s*(?:因政府信息公开工作被申请|政府信息公开行政复议|[^\n]{0,12}行政复议)",
    "problems": r"五[、.．]\s*(?:政府信息公开工作)?(?:存在的|主要存在的|存在问题)",
    "other": r"六[、.．]\s*其他需要报告",
}
HEADINGS = tuple((key, HEADING_PATTERNS[key]) for key in SECTION_KEYS)
HEADING_RE = re.compile("|".join(f"(?P<{key}>{pattern})" for key, pattern in HEADINGS))


def headings(text):
    """HEADING_RE's matches, left to right, not overlapping. Tried only where a numeral
    stands before 、 . or ．: str.find jumps to those in C, while a regex scan over every
    character of Chinese text costs two to three times more."""
    starts = []
    for mark in ("、", ".", "．"):
        at = text.find(mark, 1)
        while at != -1:
            if text[at - 1] in "一二三四五六":
                starts.append(at - 1)
            at = text.find(mark, at + 1)
    matches, end = [], 0
    for start in sorted(starts):
        if start >= end and (match := HEADING_RE.match(text, start)):
            matches.append(match)
            end = match.end()
    return matches


def split_sections(text):
    """Text -> {key: section text}; every key is present, '' when the part is missing."""
    sections = {key: [] for key, _ in HEADINGS}
    matches = headings(text)
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sections[match.lastgroup].append(text[match.start() : end].strip())
    return {key: "\n".join(parts) for key, parts in sections.items()}
