"""Cell text -> number, with flags; never a guess.

`parse_cell` returns a `CellValue` (value + flags) or raises `CellError` with a reason.
"""

import functools
import re
import unicodedata
from typing import NamedTuple

from .normalize import compact

# Cells that mean "nothing here": blank, &nbsp;, dashes, slash, 无.
BLANK_MARKS = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "&nbsp;"}

# "24", "-13", "+2", "7730.28", "1,234", "24万", "2792220.8元", "251000元", "3件", "24万元"
NUMBER_RE = re.compile(
    r"^(?P<sign>[+\-]?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>万元|万|亿元|元|件|个|项|次|条|家|人)?$"
)
UNIT_TO_WANYUAN = {"万元": 1, "万": 1, "亿元": 10000, "元": 0.0001}


class CellError(ValueError):
    """A cell that holds something, but not a number we may store."""


class CellValue(NamedTuple):
    value: float
    flags: tuple = ()


@functools.lru_cache(maxsize=65536)
def clean(text):
    """Fold width and drop every kind of whitespace (spaces, NBSP, U+3000, newlines).
    Cached: table cells repeat ("0", "总计") across rows and documents."""
    if text.isascii():  # nothing to fold: "12", " 3 ", "-"
        return compact(text)
    text = unicodedata.normalize("NFKC", text)  # "１２" -> "12", "（一）" -> "(一)"
    text = text.replace("\u2212", "-").replace("\u2015", "—")  # minus sign, horizontal bar
    return compact(text)


def looks_numeric(text):
    """True for cells that hold a value or a blank mark (not a label)."""
    if text.isdigit() and text.isascii():  # "12": most cells, answered before any folding
        return True
    cleaned = clean(text)
    return cleaned in BLANK_MARKS or bool(NUMBER_RE.match(cleaned))


def parse_cell(raw, money=False, signed=False):
    """Parse one cell. Money is returned in 万元; counts must be non-negative integers."""
    if raw.isdigit() and raw.isascii():  # "12": most cells, the same in every column
        return CellValue(int(raw))
    cleaned = clean(raw)
    if cleaned in BLANK_MARKS:
        return CellValue(0, ("blank",))
    match = NUMBER_RE.match(cleaned)
    if not match:
        raise CellError(f"not a number: {raw!r}")
    number = float(match["num"].replace(",", ""))
    if match["sign"] == "-":
        number = -number
    unit = match["unit"]
    flags = []
    if number < 0 and not signed:
        raise CellError(f"negative {'amount' if money else 'count'}: {raw!r}")
    if money:
        if unit in UNIT_TO_WANYUAN:
            number *= UNIT_TO_WANYUAN[unit]
            if unit not in ("万元", "万"):
                flags.append(f"unit:{unit}")
        elif unit:
            raise CellError(f"money with unit {unit!r}: {raw!r}")
        number = round(number, 6)
    else:
        if unit in UNIT_TO_WANYUAN:
            raise CellError(f"money unit in a count: {raw!r}")
        if number != int(number):
            raise CellError(f"fraction in a count: {raw!r}")
    if number == int(number):
        number = int(number)
    return CellValue(number, tuple(flags))
