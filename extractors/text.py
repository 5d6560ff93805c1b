"""Plain text, including tables that someone already flattened.

Handles the three flattenings seen in the seeds:
- one cell per line ending in " |", empty cells as bare pipes (seeds 000, 002):
  "行政许可 |" / "0 |" / "|||"
- tab-separated rows (seed 001): "其他对外管理服务事项\t71\t-13\t0"
- pipe-separated rows (seed 004): "行政许可 | 0 | ||"
"""

import re

from .normalize import normalize_lines, split_lines
from .tables import Table, fold
from .values import clean, looks_numeric

CELL_LINE_RE = re.compile(r"^(?:[^|]*\s\|\s*|\|+\s*)$")  # "0 |", "规章 |", "|||"
PIPE_ROW_RE = re.compile(r"\S\s*\|\s*\S")  # "行政许可 | 0"


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

    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if "\t" in line.strip("\n"):
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
    """One cell per line -> rows: a label after a value or empty cell starts a new row."""
    rows, current, seen_value = [], [], False
    for cell in cells:
        is_label = bool(clean(cell)) and not looks_numeric(cell)
        if is_label and seen_value and current:
            rows.append(current)
            current, seen_value = [], False
        current.append(cell)
        if not is_label:
            seen_value = True
    if current:
        rows.append(current)
    return rows
