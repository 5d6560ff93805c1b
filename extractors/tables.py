"""Tables -> canonical facts.

Every reader (HTML, DOCX, PDF, text) hands over `Table`s: rows of anchor cells, left to
right (a cell covered by a row/col span appears once, at its top-left). The mapper walks
all rows of a document in order and recognises the rows of 表二/表三/表四 by their labels,
so a table split over several <table>s or PDF pages, or flattened to text, maps the same.
Values are taken in order after a row's label; a row whose cell count does not fit its
columns is reported, never guessed. In a table that lost its empty cells (`lost_blanks`), a
row with fewer values than columns is placed by the identities when they leave one reading
(placement.py), and reported otherwise.
"""

import functools
import re
from dataclasses import dataclass, field

from . import keys
from .normalize import compact
from .placement import place_short_rows
from .values import CellError, clean, looks_numeric, parse_cell

# An OCR cell that holds a number no reader may store (read without enough confidence):
# it keeps its place among the row's values, and gets no fact but a finding.
UNREADABLE = "\ufffd"


@dataclass
class Table:
    rows: list  # list[list[str]]: anchor cells of each row, each folded by `fold`
    in_text_layer: bool = False  # True when the document's text already holds the cells (PDF)
    truncated_from: int = 0  # a reader stopped early: the table had this many rows
    ocr_confidence: dict = None  # read from a picture: {(row, cell): confidence} of the cells with text
    lost_blanks: bool = False  # flattened text that kept no trace of empty cells: a short row may miss any


def fold(text):
    """A cell's text as readers hand it over: whitespace runs (line breaks inside a cell
    included) folded to one space, ends stripped."""
    return " ".join(text.split())


def table_from_spans(span_rows):
    """A Table from rows of (text, rowspan, colspan): each merged cell is read once, at its
    top-left, so the mapper never sees a spanned value twice."""
    return Table(rows=[[fold(text) for text, _, _ in cells] for cells in span_rows])


# Row labels, most specific first; matched with re.search on the whitespace-free label.
T2_ROW_PATTERNS = (
    ("other_services", r"其他对外管理服务"),
    ("normative_docs", r"规范性文件"),
    ("regulations", r"规章"),
    ("licensing", r"行政许可"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("fees", r"行政事业性收费"),
    ("procurement", r"集中采购"),
)
T3_ROW_PATTERNS = (
    ("new_received", r"本年新收"),
    ("carried_over", r"上年结转"),
    ("carried_forward", r"结转下年|下年度继续办理"),
    ("partially_granted", r"部分公开"),
    ("granted", r"予以公开"),
    ("denied_state_secret", r"国家秘密"),
    ("denied_prohibited_by_law", r"禁止公开|其他法律"),  # a real WPS PDF prints "其他法律行政止公开"
    ("denied_three_safeties", r"三安全一稳定|危及"),
    ("denied_third_party", r"第三方"),
    ("denied_internal_affairs", r"内部事务"),
    ("denied_process_info", r"过程性"),
    ("denied_enforcement_file", r"执法案卷"),
    ("denied_inquiry", r"行政查询"),
    ("unavailable_not_held", r"不掌握"),
    ("unavailable_needs_creation", r"另行制作"),
    ("unavailable_unclear", r"补正后|仍不明确"),
    ("not_processed_petition", r"信访|举报投诉"),
    ("not_processed_duplicate", r"重复申请"),
    ("not_processed_publication", r"出版物"),
    ("not_processed_mass_repeat", r"大量反复"),
    ("not_processed_confirmation", r"重新出具|确认或"),
    ("other_no_correction", r"不补正"),
    ("other_no_fee", r"收费通知|缴纳费用"),
    # "3.其他" alone, or "(六)其他处理3.其他" when a reader filled the group label in
    ("other_misc", r"(?:^|处理|\))3[.、]?其他$"),
    ("other", r"其他处理"),
    ("total_processed", r"总计$|\(七\)"),
)
T4_ROW_PATTERNS = (
    ("litigation_direct", r"直接起诉"),
    ("litigation_after_review", r"复议后起诉"),
    ("review", r"行政复议"),
)
LAYOUT_MARKERS = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "政府集中采购",
    ),
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "逾期未按收费通知",
    ),
}
# Column headers that no row label contains ("总计" and "其他" are row labels too)
COLUMN_HEADER_WORDS = tuple(
    label
    for label in (*keys.T2_COL_LABELS.values(), *keys.T3_COL_LABELS.values(), *keys.T4_COL_LABELS.values())
    if label not in ("总计", "其他")
)
COLUMN_LABELS = frozenset((*keys.T2_COL_LABELS.values(), *keys.T3_COL_LABELS.values(), *keys.T4_COL_LABELS.values()))
# The numbering of an item in a row label: "1." "2、" (not the digits of a cell run into it)
ITEM_NUMBER_RE = re.compile(r"(?<![\d.])\d{1,2}[.、](?!\d)")
# A known row label with digits glued on, e.g. "行政许可3960181": cells ran together.
GLUED_RE = re.compile(r"(行政许可|行政处罚|行政强制|行政事业性收费|规章|规范性文件|予以公开|部分公开|总计)\d{2,}")


def detect_layout(text):
    """'2019' / '2021' from the tell-tale labels of tables.md, or None when there are none.
    (Not `clean`: that one is cached for cells, and a whole text needs only its spaces out.)"""
    flat = compact(text).replace("／", "/")
    counts = {layout: sum(m in flat for m in marks) for layout, marks in LAYOUT_MARKERS.items()}
    if not any(counts.values()):
        return None
    return "2021" if counts["2021"] > counts["2019"] else "2019"


def names_table_part(label):
    """True for a whitespace-free label that names a table, one of its rows or one of its columns."""
    return bool(
        _table_named_by(label)
        or any(match(rows, label) for rows in (T2_ROWS, T3_ROWS, T4_ROWS))
        or any(word in label for word in COLUMN_HEADER_WORDS)
    )


def data_row_named(label):
    """The (table, row) of 表二 or 表三 a whitespace-free label names, or None ("总计" alone
    heads a column as well as naming 三（七）: None)."""
    if label in COLUMN_LABELS:
        return None
    for table, rows in (("t2", T2_ROWS), ("t3", T3_ROWS)):
        if row := match(rows, label):
            return table, row
    return None


@dataclass
class Mapping:
    facts: dict = field(default_factory=dict)  # (table, row, col) -> fact as in the report JSON
    problems: list = field(default_factory=list)  # (rule, detail)


LABEL, VALUE, BLANK = 0, 1, 2


@functools.lru_cache(maxsize=65536)  # cell texts recur in every report
def cell_kind(cell):
    """LABEL (text), VALUE (a number, a blank mark such as "-", or UNREADABLE) or BLANK
    (nothing but whitespace)."""
    if cell == UNREADABLE:
        return VALUE
    if not looks_numeric(cell):
        return LABEL
    return VALUE if clean(cell) else BLANK


def fit(kinds, n):
    """Where n values start among these value cells once empty padding cells are dropped
    (trailing ones first); None when the row does not fit."""
    start, end = 0, len(kinds)
    while end - start > n and kinds[end - 1] == BLANK:
        end -= 1
    while end - start > n and kinds[start] == BLANK:
        start += 1
    return start if end - start == n else None


def compiled(patterns):
    return tuple((key, re.compile(pattern)) for key, pattern in patterns)


T2_ROWS, T3_ROWS, T4_ROWS = compiled(T2_ROW_PATTERNS), compiled(T3_ROW_PATTERNS), compiled(T4_ROW_PATTERNS)


@functools.lru_cache(maxsize=65536)  # labels repeat across reports: each is matched once
def match(patterns, label):
    for key, pattern in patterns:
        if pattern.search(label):
            return key
    return None


def map_tables(tables, layout):
    """Walk every row of every table and collect the canonical facts. A row's label is every
    text cell up to the last one; its values follow. What to store from a row depends only
    on the table it is in, its label and which of its value cells are blank: that plan is
    made once per such row shape (`_plan`)."""
    result = Mapping()
    context = header = None  # header: (width, empty cells it ends with) of the last column-header row
    short_rows = []  # (`_row_cells`, value cells) of rows that lost empty cells
    for table in tables:
        for index, cells in enumerate(table.rows):
            kinds = tuple(map(cell_kind, cells))
            labels = len(kinds) - kinds[::-1].index(LABEL) if LABEL in kinds else 0
            label, header_of, names_columns = _label(tuple(cells[:labels]))
            context = header_of or context
            if names_columns and VALUE not in kinds:
                header = (len(kinds), len(kinds) - labels)
            padding = header[1] if header and header[0] == len(kinds) else 0
            if table.lost_blanks and (row_cells := _short_row_cells(context, label, layout, len(kinds) - labels)):
                short_rows.append((row_cells, tuple(cells[labels:])))
                continue
            stores, problems = _plan(context, label, layout, kinds[labels:], padding)
            for row_cells, start in stores:
                start += labels
                ocr = table.ocr_confidence
                confidences = (
                    None if ocr is None else [ocr.get((index, at)) for at in range(start, start + len(row_cells))]
                )
                _store_row(result, row_cells, cells[start : start + len(row_cells)], confidences)
            result.problems += problems
    if short_rows:
        _place(result, short_rows, layout)
    return result


def _short_row_cells(context, label, layout, values):
    """The cells (`_row_cells`) of the known row or 表四 block a row's values belong to,
    when they are fewer than its cells (some lost with their emptiness); else None. A 表二 or
    表三 data row with no value at all had every cell empty."""
    if not values:
        return _empty_row_cells(context, label, layout)
    t4_row = match(T4_ROWS, label) if context == "t4" else None
    if "结果维持" in label or (context == "t4" and not t4_row):
        cells = sum((_row_cells("t4", row, keys.T4_COLUMNS) for row in keys.T4_ROWS), ())
    elif t4_row:
        cells = _row_cells("t4", t4_row, keys.T4_COLUMNS)
    elif (row := match(T2_ROWS, label)) and row in keys.T2_COLUMNS.get(layout, {}):
        cells = _row_cells("t2", row, keys.T2_COLUMNS[layout][row])
    elif row := match(T3_ROWS, label):
        cells = _row_cells("t3", row, keys.T3_COLUMNS)
    else:
        return None
    return cells if values < len(cells) else None


def _empty_row_cells(context, label, layout):
    """The cells of the 表二 or 表三 data row a label alone names under that table's header,
    or None (a column header, or a label out of its table)."""
    named = data_row_named(label)
    if not named or named[0] != context or any(word in label for word in COLUMN_HEADER_WORDS):
        return None
    if any(character.isdigit() for character in ITEM_NUMBER_RE.sub("", label)):
        return None  # its cells ran into the label ("1.属于国家秘密1 0 0 0 0 0 1"): not empty
    table, row = named
    columns = keys.T2_COLUMNS.get(layout, {}).get(row) if table == "t2" else keys.T3_COLUMNS
    return _row_cells(table, row, columns) if columns else None


def _place(result, short_rows, layout):
    """Store the short rows the identities place (each fact flagged `placed`), report the others.
    "（六）其他处理" with no cells heads the three 其他处理 rows when they follow."""
    rows_named = {cells[0][0][:2] for cells, _ in short_rows} | {key[:2] for key in result.facts}
    if any(("t3", row) in rows_named for row in keys.T3_OTHER_ROWS["2021"]):
        short_rows = [(cells, texts) for cells, texts in short_rows if texts or cells[0][0][:2] != ("t3", "other")]
    placed, problems = place_short_rows(short_rows, {key: fact["value"] for key, fact in result.facts.items()}, layout)
    for row_cells, texts in placed:
        new_keys = [key for key, *_ in row_cells if key not in result.facts]
        _store_row(result, row_cells, texts)
        for key in new_keys:
            if key in result.facts:
                fact = result.facts[key]
                result.facts[key] = fact | {"flags": [*fact.get("flags", ()), "placed"]}
    result.problems += problems


@functools.lru_cache(maxsize=65536)
def _label(cells):
    """A row's label cells -> (the label, whitespace-free; the table it is a header of, or None;
    whether it names columns)."""
    label = "".join(map(clean, cells))
    return label, _table_named_by(label), any(word in label for word in COLUMN_HEADER_WORDS)


def _table_named_by(label):
    """The table whose header this label is, or None."""
    if "第二十条" in label or "信息内容" in label:
        return "t2"
    if "申请人情况" in label or "本年新收" in label:
        return "t3"
    # 表四's header, also when cut or misspelled: "结果维持", "行政复议…行政诉讼/行政起诉", "直接起诉",
    # "复议后起诉", or only its column labels cut to "结果结果其他尚未总计"
    if (
        "结果维持" in label
        or "直接起诉" in label
        or "复议后起诉" in label
        or ("行政复议" in label and ("行政诉讼" in label or "行政起诉" in label))
        or ("结果" in label and "尚未" in label)
    ):
        return "t4"
    return None


@functools.lru_cache(maxsize=65536)
def _plan(context, label, layout, kinds, padding=0):
    """(stores, problems) for a row: stores are (`_row_cells`, index of the first value);
    kinds are those of the row's value cells; padding, how many empty cells the column
    header above ends with when it is as wide as this row.

    A row of blank cells (`&nbsp;` everywhere: real reports print rows with nothing to
    count so) is read as 0s, flagged blank, only when it is surely a data row: a row label,
    no column header in it, and exactly as many cells as columns besides those under the
    header's empty ends. Anything else blank (a header's empty spans, a spacer) says
    nothing and is no reading problem."""
    if not kinds:
        glued = GLUED_RE.search(label)
        return (), (("cells_readable", f"cells run together, row not read: {label[:40]}"),) if glued else ()
    if VALUE in kinds:
        return _plan_values(context, label, layout, kinds)
    if not label or any(word in label for word in COLUMN_HEADER_WORDS):
        return (), ()
    stores, _ = _plan_values(context, label, layout, kinds)
    exact = sum(len(row_cells) for row_cells, _ in stores) == len(kinds) - padding
    return (stores if exact else ()), ()


def _plan_values(context, label, layout, kinds):
    if context == "t4" or "结果维持" in label:
        start = fit(kinds, 15)
        if start is not None:
            return tuple(
                (_row_cells("t4", row, keys.T4_COLUMNS), start + 5 * i) for i, row in enumerate(keys.T4_ROWS)
            ), ()
    if context == "t4" and (row := match(T4_ROWS, label)):
        return _fitted("t4", row, keys.T4_COLUMNS, kinds, label)
    if row := match(T2_ROWS, label):
        columns = _t2_columns(layout, row, kinds)
        if columns:
            return _fitted("t2", row, columns, kinds, label)
        return (), (("cells_readable", f"t2 {row}: no {layout} column for this row"),)
    if row := match(T3_ROWS, label):
        return _fitted("t3", row, keys.T3_COLUMNS, kinds, label)
    return (), ()


def _t2_columns(layout, row, kinds):
    if layout in keys.T2_COLUMNS and row in keys.T2_COLUMNS[layout]:
        return keys.T2_COLUMNS[layout][row]
    # No tell-tale header survived: the row itself or its width says which layout it is.
    for candidate in ("2019", "2021"):
        columns = keys.T2_COLUMNS[candidate].get(row)
        if columns and fit(kinds, len(columns)) is not None:
            return columns
    return None


def _fitted(table, row, columns, kinds, label):
    """A row whose cells do not fit its columns is not read: placing them would mean
    assuming which column lost its cell (a flattened "| 规章 | 22 | 235 |" under three)."""
    start = fit(kinds, len(columns))
    if start is None:
        filled = sum(1 for kind in kinds if kind != BLANK)
        return (), (
            (
                "misaligned_row",
                f"{table} {row}: {filled} cells for {len(columns)} columns, "
                f"which column each belongs to is unknown: row not read ({label[:30]})",
            ),
        )
    return ((_row_cells(table, row, columns), start),), ()


def _store_row(result, cells, values, confidences=None):
    """Store a row's values in its cells (from `_row_cells`); confidences, for a table read
    by OCR: each value's, None for a cell with no text."""
    facts = result.facts
    for at, ((key, head, money, signed), raw) in enumerate(zip(cells, values)):
        if raw == UNREADABLE:
            result.problems.append(("ocr_unreadable", f"{' '.join(key)}: left out, not read with enough confidence"))
            continue
        try:
            fact = head | _read_cell(raw, money, signed)
        except CellError as error:
            result.problems.append(("cell_value", f"{' '.join(key)}: {error}"))
            continue
        if confidences is not None:
            fact = _ocr_fact(fact, confidences[at])
        kept = facts.setdefault(key, fact)
        if kept is not fact and kept["value"] != fact["value"]:
            result.problems.append(
                ("duplicate_cells", f"{' '.join(key)} printed twice: {kept['raw']!r} kept, {fact['raw']!r} ignored")
            )


def _ocr_fact(fact, confidence):
    """A fact read from a picture: flagged `ocr`, with the recogniser's confidence (1.0 for
    a cell seen empty)."""
    return fact | {"flags": [*fact.get("flags", ()), "ocr"], "confidence": 1.0 if confidence is None else confidence}


def _row_cells(table, row, columns):
    """For each column of a row: its key, the first fields of its fact, whether it holds
    money, whether it is signed."""
    return tuple(
        (
            (table, row, col),
            {"table": table, "row": row, "col": col},
            (row, col) in keys.MONEY_COLUMNS,
            col in keys.SIGNED_COLUMNS,
        )
        for col in columns
    )


@functools.lru_cache(maxsize=65536)  # the same cell texts recur in every report
def _read_cell(raw, money, signed):
    """A fact's value, raw text and flags, if any, of one cell.
    (Cached: each fact gets a copy of the dict; the flags list in it is shared, read only.)"""
    parsed = parse_cell(raw, money=money, signed=signed)
    cell = {"value": parsed.value, "raw": raw}
    if parsed.flags:
        cell["flags"] = list(parsed.flags)
    return cell


def forget_cell_texts():
    """Empty the caches keyed by cell text, keeping those of labels and row shapes: the
    state of a long crawl meeting a report whose numbers it has never seen."""
    for cached in (clean, cell_kind, _read_cell):
        cached.cache_clear()
