"""Text normalisation shared by every reader: CJK spacing, page footers, visual line breaks."""

import re

from .vocabulary import HAN

CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’《》、。，：；！？（）"

# "自 然 人" -> "自然人"; "2020 年" -> "2020年"; "年 1 月" -> "年1月"
SPACE_BETWEEN_HAN_RE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \t\u3000\u00a0]+(?=[{HAN}{CJK_PUNCT}])")
SPACE_DIGIT_HAN_RE = re.compile(rf"(?<=[0-9])[ \u00a0]+(?=[{HAN}])|(?<=[{HAN}])[ \u00a0]+(?=[0-9])")
# Page footers and numbers: "— 3 —", "- 3 -", "第 3 页 共 5 页", "3 / 5"
FOOTER_RE = re.compile(r"^\s*(?:[—\-–]+\s*\d+\s*[—\-–]+|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
# A line that opens a new paragraph: "一、", "（一）", "(二)", "1.", "1、"
HEADING_START_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
SENTENCE_END = tuple("。；;：:！？!?”」")


def compact(text):
    """Text without any whitespace: "2020 年 度" -> "2020年度" (None -> "")."""
    return "".join((text or "").split())


def tidy_spaces(text):
    """Delete spaces between two Han characters and between digits and Han."""
    if " " not in text and "\t" not in text and "\u3000" not in text and "\u00a0" not in text:
        return text  # most Chinese lines hold no space at all
    text = SPACE_BETWEEN_HAN_RE.sub("", text)
    return SPACE_DIGIT_HAN_RE.sub("", text)


def normalize_lines(lines):
    """Strip, tidy spacing, drop page footers and empty lines."""
    stripped = filter(None, [line.replace("\u00a0", " ").strip() for line in lines])
    return [line for line in map(tidy_spaces, stripped) if not FOOTER_RE.match(line)]


def join_visual_lines(lines):
    """Re-join paragraphs that a PDF broke at the end of each visual line: a line as long
    as the longest ones on its page, not ending a sentence or a title, continues."""
    full = 0.9 * typical_line_length(lines)
    out, previous_full = [], False
    for line in lines:
        if out and previous_full and not HEADING_START_RE.match(line):
            out[-1] += line
        else:
            out.append(line)
        previous_full = len(line) >= full and not line.endswith(SENTENCE_END + ("报告",))
    return out


def typical_line_length(lines):
    """The most common length of the long lines: justified body text shares one length."""
    lengths = [len(line) for line in lines if len(line) >= 12]
    if not lengths:
        return max((len(line) for line in lines), default=0)
    return max(set(lengths), key=lambda n: (lengths.count(n), n))


def split_lines(text):
    """Lines of a text whatever its line ends (CRLF from PDFium and Windows files, CR, LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
