"""SQL views and reference tables generated from the canonical keys (extractors/keys.py):
`cell_labels` (every canonical cell with its Chinese label and position), the wide view
`report_cells` (one row per report, one column per cell, English keys) and its twin
`报告统计表` with Chinese column labels, for CSV users.

The wide views align the two layouts: their columns follow the printed tables, a row's
cells of both layouts side by side, so a cell both layouts print (表三 （六）其他处理, 表四,
表二 行政许可 处理决定数量...) is one column whatever the report's layout. A 2021 report
that prints （六） as its three rows has their sum in （六）其他处理 (when all three were
read) and the three rows in the columns after it. Values are integers when whole (a count
reads `21`, not `21.0`); amounts in 万元 keep their decimals."""

from extractors import keys

WIDE_VIEW = "report_cells"
WIDE_VIEW_ZH = "报告统计表"
REPORT_COLUMNS = (
    ("id", "报告编号"),
    ("title", "标题"),
    ("agency", "发布机关"),
    ("year", "报告年度"),
    ("layout", "表格版式"),
    ("published", "发布日期"),
    ("region", "地区"),
    ("level", "层级"),
)


def all_cells():
    """Every canonical cell of either layout, in the order of the official tables."""
    cells = keys.canonical_cells("2019")
    cells += [c for c in keys.canonical_cells("2021") if c not in cells]
    return cells


def wide_cells():
    """Every canonical cell in the order of the printed tables, both layouts merged: per
    table, per row (2021's （六）1-3 right after （六）其他处理), the 2019 columns then 2021's."""
    tables = list(TABLE_NAMES)
    return sorted(all_cells(), key=lambda cell: (tables.index(cell[0]), list(ROW_LABELS[cell[0]]).index(cell[1])))


def column_name(cell):
    return "_".join(cell)  # t3_new_received_total


TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
OTHER_PARTS = keys.T3_OTHER_ROWS["2021"]
# a stored value as printed: 21.0 -> 21, 12.5 (万元) stays; a whole REAL reads as INTEGER
INTEGRAL = "iif({v} = cast({v} as integer), cast({v} as integer), {v})"
ROW_LABELS = {"t2": keys.T2_ROW_LABELS, "t3": keys.T3_ROW_LABELS, "t4": keys.T4_ROW_LABELS}
COL_LABELS = {"t2": keys.T2_COL_LABELS, "t3": keys.T3_COL_LABELS, "t4": keys.T4_COL_LABELS}


def cell_label_rows():
    rows, row_order = [], {}
    for position, (t, r, c) in enumerate(all_cells()):
        row_order.setdefault((t, r), len(row_order))
        rows.append(
            {
                "table_key": t,
                "row_key": r,
                "col_key": c,
                "position": position,
                "column_name": column_name((t, r, c)),
                "label": keys.cell_label(t, r, c),
                "table_label": TABLE_NAMES[t],
                "row_label": ROW_LABELS[t][r],
                "col_label": COL_LABELS[t][c],
                "row_position": row_order[(t, r)],
                "col_index": column_index(t, r, c),
            }
        )
    return rows


def column_index(table, row, col):
    """1-based position of a column within its row in the printed table (per layout for 表二)."""
    if table == "t3":
        return keys.T3_COLUMNS.index(col) + 1
    if table == "t4":
        return keys.T4_COLUMNS.index(col) + 1
    for columns in keys.T2_COLUMNS.values():
        if col in columns.get(row, ()):
            return columns[row].index(col) + 1
    raise KeyError((table, row, col))


def wide_view_sql(name, chinese, cell_ids):
    """One row per report; each cell a lookup by fact_values' primary key (report, cell), so
    a page of the view reads only its own reports and counting it reads only report_rows.
    cell_ids: (table, row, col) -> fact_cells.id."""
    selects = [f'r.{col} as "{zh if chinese else col}"' for col, zh in REPORT_COLUMNS]
    for cell in wide_cells():
        alias = keys.cell_label(*cell) if chinese else column_name(cell)
        selects.append(f'{cell_value_sql(cell, cell_ids)} as "{alias}"')
    return f'create view "{name}" as select {", ".join(selects)} from report_rows r'


def cell_value_sql(cell, cell_ids):
    """The value of one cell of report r; for （六）其他处理 of a report printing its three
    rows (2021), their sum when all three are there."""
    value = INTEGRAL.format(v="value")
    lookup = f"(select {value} from fact_values where report = r.num and cell = {cell_ids[cell]})"
    table, row, col = cell
    if (table, row) != ("t3", "other"):
        return lookup
    parts = ", ".join(str(cell_ids[("t3", part, col)]) for part in OTHER_PARTS)
    total = INTEGRAL.format(v="sum(value)")
    summed = f"(select iif(count(*) = {len(OTHER_PARTS)}, {total}, null) from fact_values where report = r.num and cell in ({parts}))"
    return f"coalesce({lookup}, {summed})"


def wide_views(cell_ids):
    """{name: create statement} of the wide view and its Chinese twin."""
    return {
        name: wide_view_sql(name, chinese, cell_ids) for name, chinese in ((WIDE_VIEW, False), (WIDE_VIEW_ZH, True))
    }


def cell_ids(db):
    """(table, row, col) -> its id in fact_cells (schema.py), the key of fact_values."""
    return {(t, r, c): i for i, t, r, c in db.execute("select id, table_key, row_key, col_key from fact_cells")}
