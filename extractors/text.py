"""Plain text, including tables that someone already flattened.

Handles the flattenings seen in the seeds and in text other crawlers keep:
- one cell per line ending in " |", empty cells as bare pipes (seeds 000, 002):
  "行政许可 |" / "0 |" / "|||"
- tab-separated rows (seed 001): "其他对外管理服务事项\t71\t-13\t0"
- pipe-separated rows (seed 004): "行政许可 | 0 | ||"
- one bare cell per line, often with blank lines between cells: "行政许可" / "" / "0". An
  empty cell leaves a line of NBSP (a cell that held &nbsp;) or nothing but a blank line,
  and blank lines separate every cell anyway, so such a table is marked `lost_blanks`: the
  mapper places a row that came out short by the identities, or reports it (tables.py).
Lines may end in LF, CRLF or a bare CR, in any mix; blank lines never matter.
"""

import re

from .normalize import compact, normalize_lines, split_lines
from .sections import HEADING_RE
from .tables import Table, data_row_named, fold, names_table_part
from .values import clean, looks_numeric

CELL_LINE_RE = re.compile(r"^(?:[^|]*\s\|\s*|\|+\s*)$")  # "0 |", "规章 |", "|||"
PIPE_ROW_RE = re.compile(r"\S\s*\|\s*\S")  # "行政许可 | 0"
# A bare line is a table cell only when short and no sentence: the longest official row
# label, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", has 40 characters.
LONGEST_CELL = 60
SENTENCE_MARKS = ("。", "；", "！", "？")
# A run of bare lines is a table when it holds at least this many values and a table label.
MIN_RUN_VALUES = 3


def decode_text(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_text(data):
    """bytes -> (blocks, meta): blocks are paragraphs (str) and Tables in order."""
    lines = split_lines(decode_text(data))
    runs = bare_cell_runs(lines)
    blocks, rows, pending = [], [], []

    def flush_cells():
        if pending:
            rows.extend(group_cells(pending))
            pending.clear()

    def flush_table():
        flush_cells()
        if rows:
            blocks.append(Table(rows=[[fold(cell) for cell in row] for row in rows]))
            rows.clear()

    at = 0
    while at < len(lines):
        if at in runs:
            flush_table()
            cells = [line.strip() for line in lines[at : runs[at]] if line.strip() or is_empty_cell(line)]
            blocks.append(Table(rows=[[fold(cell) for cell in row] for row in group_cells(cells)], lost_blanks=True))
            at = runs[at]
            continue
        line, at = lines[at], at + 1
        stripped = line.strip()
        if not stripped:
            continue
        if "\t" in line:
            flush_cells()
            rows.append(line.split("\t"))
        elif CELL_LINE_RE.match(stripped):
            pending.extend(split_cell_line(stripped))
        elif PIPE_ROW_RE.search(stripped):
            flush_cells()
            rows.append(split_pipe_row(stripped))
        else:
            flush_table()
            blocks.extend(normalize_lines([stripped]))
    flush_table()
    return blocks, {}


def bare_cell_runs(lines):
    """{start: end} of each run of lines that is a table flattened to one bare cell per line
    (blank lines inside a run are part of it): lines that may be cells, holding enough
    values and a table label, from the first line after the text before it to its last value."""
    runs, start, values, labelled = {}, None, [], False
    for at, line in enumerate([*lines, None]):
        if line is not None and "\t" not in line:
            line = line.strip()
        if line == "":
            continue
        if line is not None and may_be_cell(line):
            if start is None:
                start, values, labelled = at, [], False
            if looks_numeric(line):
                values.append(at)
            else:
                labelled = labelled or names_table_part(clean(line))
            continue
        if start is not None and len(values) >= MIN_RUN_VALUES and labelled:
            runs[start] = values[-1] + 1
        start = None
    return runs


def is_empty_cell(line):
    """A line of nothing but NBSP or ideographic spaces: the text of a cell that held &nbsp;."""
    return not line.strip() and ("\u00a0" in line or "\u3000" in line)


def may_be_cell(line):
    """A bare line (no tab, no pipe) short enough for a table cell, neither a sentence nor a
    section heading."""
    if "\t" in line or "|" in line or len(line) > LONGEST_CELL or any(mark in line for mark in SENTENCE_MARKS):
        return False
    return not HEADING_RE.match(compact(line))


def split_pipe_row(line):
    """'| 规章 | 22 | 235 |' -> ['规章 ', ' 22 ', ' 235 ']: a pipe at either end of the line
    closes the row and makes no empty cell ('行政许可 | 0 | ||' -> four cells)."""
    cells = line.split("|")
    return cells[line.startswith("|") : len(cells) - line.endswith("|")]


def split_cell_line(line):
    """'0 |' -> ['0']; '|||' -> ['', '', '']."""
    if set(line) <= {"|", " "}:
        return [""] * line.count("|")
    return [line.rsplit("|", 1)[0].strip()]


def group_cells(cells):
    """One cell per line -> rows: a label starts a new row after a value or empty cell, when
    it names a data row of 表二 or 表三 (the labels before it are a header, or a group such as
    "（三）不予公开"), and when it names a header, column or row after a data row's label (that
    row had no cell at all: "行政事业性收费" / "第二十条第（九）项" / … / "政府集中采购" / "60")."""
    rows, current, seen_value, row_named = [], [], False, None
    for cell in cells:
        is_label = bool(clean(cell)) and not looks_numeric(cell)
        names = is_label and data_row_named(clean(cell))
        if is_label and current and (seen_value or names or (row_named and names_table_part(clean(cell)))):
            rows.append(current)
            current, seen_value, row_named = [], False, None
        current.append(cell)
        row_named = row_named or names
        if not is_label:
            seen_value = True
    if current:
        rows.append(current)
    return rows
