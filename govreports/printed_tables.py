"""The three statistical tables laid out as the official forms print them (docs/tables.md), for
the report page: header groups with their spans, 表三's row groups, 表四 as one row of 15.

A table is a dict: key, name, title, read (any cell of it was read), head and body (rows of
cells), unplaced (cells read that the layout has no place for). A cell is a dict: tag (th or
td), text, colspan, rowspan, css (class), title (hover text). What the report did not print
is said in words ("报告未列此行"), never drawn as zeros.
"""

import re

from extractors import keys
from storage.views import COL_LABELS, ROW_LABELS, TABLE_NAMES

TITLES = {
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
}
NOT_PRINTED = "报告未列此行"
NOT_PRINTED_TITLE = "报告中没有这一行（或未能读出），不是零"

# 表二's blocks: the article of the regulation each row reports under
T2_BLOCKS = {
    "regulations": "第二十条第（一）项",
    "normative_docs": "第二十条第（一）项",
    "licensing": "第二十条第（五）项",
    "other_services": "第二十条第（五）项",
    "penalty": "第二十条第（六）项",
    "coercion": "第二十条第（六）项",
    "fees": "第二十条第（八）项",
    "procurement": "第二十条第（九）项",
}

T3_OUTCOMES = "三、本年度办理结果"
# 表三's item groups, by the numbering that starts a row's label: "（三）1.属于国家秘密"
T3_GROUPS = {
    "（三）": "（三）不予公开",
    "（四）": "（四）无法提供",
    "（五）": "（五）不予处理",
    "（六）": "（六）其他处理",
}
GROUP_ITEM_RE = re.compile(r"^(（[三四五六]）)(\d+\..+)$")  # "（三）1.属于国家秘密" -> "（三）", "1.属于国家秘密"
T3_LABEL_DEPTH = 3  # 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密
T3_LEGAL_PERSONS = keys.T3_COLUMNS[1:-1]  # the five columns under 法人或其他组织

T4_GROUPS = (("行政复议", ("review",)), ("行政诉讼", ("litigation_direct", "litigation_after_review")))
T4_SUBGROUPS = {"litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}


def cell(tag, text="", colspan=1, rowspan=1, css="", title=""):
    return {"tag": tag, "text": text, "colspan": colspan, "rowspan": rowspan, "css": css, "title": title}


def number(value):
    """A value as printed: 12, 3.5, -13 (never 1.2e+06)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def value_cell(fact):
    """A cell read (its raw text and flags on hover), or one of the row not read (—)."""
    if fact is None:
        return cell("td", "—", css="missing", title="未读到")
    title = "原文：" + (fact["raw"] if fact["raw"] is not None else "")
    if fact["flags"]:
        title += "；标记：" + fact["flags"]
    return cell("td", number(fact["value"]), css="value flagged" if fact["flags"] else "value", title=title)


def printed_tables(layout, facts):
    """facts: (table, row, col, value, raw, flags) rows of one report. The three tables."""
    found = {(t, r, c): {"value": v, "raw": raw, "flags": flags} for t, r, c, v, raw, flags in facts}
    layout = layout if layout in keys.T2_COLUMNS else _layout_of(found)
    placed = set(keys.canonical_cells(layout)) | {
        ("t3", row, col) for row in t3_rows(found, layout) for col in keys.T3_COLUMNS
    }
    tables = []
    for table, draw in (("t2", _t2), ("t3", _t3), ("t4", _t4)):
        read = any(c[0] == table for c in found)
        head, body = draw(found, layout) if read else ([], [])
        unplaced = [
            {"label": keys.cell_label(*c) if _known(c) else " ".join(c), "text": number(found[c]["value"])}
            for c in found
            if c[0] == table and c not in placed
        ]
        tables.append(
            {
                "key": table,
                "name": TABLE_NAMES[table],
                "title": TITLES[table],
                "read": read,
                "head": head,
                "body": body,
                "unplaced": unplaced,
            }
        )
    return tables


def _layout_of(found):
    """A report whose layout is not known: the one its cells belong to (2021 has keys 2019 lacks)."""
    only_2021 = set(keys.canonical_cells("2021")) - set(keys.canonical_cells("2019"))
    return "2021" if any(c in only_2021 for c in found) else "2019"


def _known(c):
    table, row, col = c
    return row in ROW_LABELS.get(table, ()) and col in COL_LABELS.get(table, ())


def t3_other_rows(found, layout):
    """Which 三（六） rows the report prints: its own choice when it printed any (one row
    `other`, or the three of 2021), else the layout's."""
    printed = {row for table, row, _ in found if table == "t3"}
    for option in (keys.T3_OTHER_ROWS["2021"], keys.T3_OTHER_ROWS["2019"]):
        if printed & set(option):
            return option
    return keys.T3_OTHER_ROWS[layout]


def t3_rows(found, layout):
    return (
        ("new_received", "carried_over")
        + keys.T3_OUTCOME_ROWS
        + t3_other_rows(found, layout)
        + ("total_processed", "carried_forward")
    )


def _data_cells(found, table, row, cols):
    """A row's cells; one cell saying so when the report did not print the row at all."""
    facts = [found.get((table, row, col)) for col in cols]
    if not any(facts):
        return [cell("td", NOT_PRINTED, colspan=len(cols), css="not-printed", title=NOT_PRINTED_TITLE)]
    return [value_cell(fact) for fact in facts]


def _t2(found, layout):
    """Block by block: the article, then 信息内容 and the block's columns, then its rows;
    every block as wide as the widest (its last cell spans the rest)."""
    columns = keys.T2_COLUMNS[layout]
    width = max(map(len, columns.values()))
    body, block = [], None
    for row, cols in columns.items():
        if (T2_BLOCKS[row], cols) != block:
            block = (T2_BLOCKS[row], cols)
            body.append([cell("th", T2_BLOCKS[row], colspan=width + 1, css="block")])
            heads = [cell("th", keys.T2_COL_LABELS[col]) for col in cols]
            heads[-1]["colspan"] = width - len(cols) + 1
            body.append([cell("th", "信息内容"), *heads])
        data = _data_cells(found, "t2", row, cols)
        data[-1]["colspan"] += width - len(cols)
        body.append([cell("th", keys.T2_ROW_LABELS[row], css="row"), *data])
    return [], body


def t3_label_path(row):
    """A 表三 row's labels from the outermost group in: ('三、本年度办理结果', '（三）不予公开',
    '1.属于国家秘密'); one label for the rows outside the outcomes."""
    label = keys.T3_ROW_LABELS[row]
    if row in ("new_received", "carried_over", "carried_forward"):
        return (label,)
    item = GROUP_ITEM_RE.match(label)
    if item:
        return (T3_OUTCOMES, T3_GROUPS[item.group(1)], item.group(2))
    return (T3_OUTCOMES, label)


def _t3(found, layout):
    head = [
        [cell("th", "", colspan=T3_LABEL_DEPTH, rowspan=3), cell("th", "申请人情况", colspan=len(keys.T3_COLUMNS))],
        [
            cell("th", keys.T3_COL_LABELS["natural_person"], rowspan=2),
            cell("th", "法人或其他组织", colspan=len(T3_LEGAL_PERSONS)),
            cell("th", keys.T3_COL_LABELS["total"], rowspan=2),
        ],
        [cell("th", keys.T3_COL_LABELS[col]) for col in T3_LEGAL_PERSONS],
    ]
    rows = t3_rows(found, layout)
    paths = [t3_label_path(row) for row in rows]
    body = []
    for i, (row, path) in enumerate(zip(rows, paths)):
        labels = []
        for level, text in enumerate(path):
            leaf = level == len(path) - 1
            if not leaf and i and paths[i - 1][: level + 1] == path[: level + 1]:
                continue  # drawn above, spanning this row
            span = 1 if leaf else _run(paths, i, path[: level + 1])
            labels.append(cell("th", text, rowspan=span, colspan=T3_LABEL_DEPTH - level if leaf else 1, css="row"))
        body.append(labels + _data_cells(found, "t3", row, keys.T3_COLUMNS))
    return head, body


def _run(paths, start, prefix):
    """How many rows from start on carry a group label (prefix) and more below it."""
    count = 0
    for path in paths[start:]:
        if path[: len(prefix)] != prefix or len(path) == len(prefix):
            break
        count += 1
    return count


def _t4(found, layout):
    """One row of 15: 行政复议's five, then 行政诉讼's two groups of five."""
    width = len(keys.T4_COLUMNS)
    head = [
        [cell("th", name, colspan=width * len(rows)) for name, rows in T4_GROUPS],
        [cell("th", keys.T4_COL_LABELS[col], rowspan=2) for col in keys.T4_COLUMNS]
        + [cell("th", T4_SUBGROUPS[row], colspan=width) for row in T4_GROUPS[1][1]],
        [cell("th", keys.T4_COL_LABELS[col]) for _ in T4_GROUPS[1][1] for col in keys.T4_COLUMNS],
    ]
    body = [[c for row in keys.T4_ROWS for c in _data_cells(found, "t4", row, keys.T4_COLUMNS)]]
    return head, body
