"""Rows of flattened text that lost their empty cells, placed by the identities or not at all.

Text that keeps one cell per line with nothing for an empty cell gives a row of 7 columns
that had 2 empty cells as 5 values: which 2 columns were empty is unknown. Every way of
putting the values back in order (the others empty, so 0) is a reading; the 勾稽 identities
of docs/tables.md rule readings out, checked against the facts already read and against
rows placed before. A row is stored when its readings that survive all give the same
numbers; otherwise it is reported as `misaligned_row`, never guessed.
"""

import itertools
from math import comb

from . import keys
from .values import CellError, parse_cell

# Rows with more readings than this are reported without trying them (C(15, 7) = 6435).
MAX_READINGS = 6435


def place_short_rows(short_rows, known, layout):
    """short_rows: [(cells as `tables._row_cells` gives them, value texts)], fewer texts than
    cells; known: {key: value} of the facts read so far. Returns ([(cells, one text per cell,
    "" where an empty cell was)], problems)."""
    known = dict(known)
    equations = identities(layout, set(known) | {cell[0] for cells, _ in short_rows for cell in cells})
    open_rows = [(cells, readings(cells, texts)) for cells, texts in short_rows]
    placed = {}
    progress = True
    while progress:
        progress = False
        for at, (cells, options) in enumerate(open_rows):
            if at in placed:
                continue
            row_keys = [cell[0] for cell in cells]
            options = {
                numbers: texts
                for numbers, texts in options.items()
                if consistent(dict(zip(row_keys, numbers)), known, equations)
            }
            open_rows[at] = (cells, options)
            if len(options) == 1:
                ((numbers, texts),) = options.items()
                known.update(zip(row_keys, numbers))
                placed[at] = texts
                progress = True
    problems = [
        (
            "misaligned_row",
            f"{cells[0][0][0]} {cells[0][0][1]}: {len(texts)} cells for {len(cells)} columns, empty cells lost "
            f"in the flattened text and the identities leave {len(options)} readings: row not read",
        )
        for at, ((cells, options), (_, texts)) in enumerate(zip(open_rows, short_rows))
        if at not in placed
    ]
    return [(open_rows[at][0], texts) for at, texts in sorted(placed.items())], problems


def readings(cells, texts):
    """{numbers: cell texts} of every way to put the texts in order into the cells, the
    others empty; one entry per distinct reading of the numbers (a cell whose text differs
    between ways that read the same numbers gets the number's own text)."""
    if len(cells) < len(texts) or comb(len(cells), len(texts)) > MAX_READINGS:
        return {}
    found = {}
    for columns in itertools.combinations(range(len(cells)), len(texts)):
        row = [""] * len(cells)
        for column, text in zip(columns, texts):
            row[column] = text
        try:
            numbers = tuple(
                parse_cell(text, money=money, signed=signed).value for (_, _, money, signed), text in zip(cells, row)
            )
        except CellError:
            continue
        kept = found.setdefault(numbers, row)
        if kept is not row:
            found[numbers] = [a if a == b else f"{n:g}" for a, b, n in zip(kept, row, numbers)]
    return found


def identities(layout, present):
    """The identities of docs/tables.md as (left keys, right keys): sum(left) == sum(right).
    present: the keys that may have a value, to know which 三（六） rows the report prints."""
    cols = keys.T3_COLUMNS
    outcome_rows = keys.T3_OUTCOME_ROWS + other_rows_printed(layout, present)
    equations = []
    for col in cols:
        t3 = lambda row: ("t3", row, col)  # noqa: E731
        equations.append(((t3("new_received"), t3("carried_over")), (t3("total_processed"), t3("carried_forward"))))
        equations.append(((t3("total_processed"),), tuple(map(t3, outcome_rows))))
    rows = ("new_received", "carried_over", *outcome_rows, "total_processed", "carried_forward")
    equations += [((("t3", row, "total"),), tuple(("t3", row, col) for col in cols[:-1])) for row in rows]
    equations += [
        ((("t4", row, "total"),), tuple(("t4", row, col) for col in keys.T4_COLUMNS[:-1])) for row in keys.T4_ROWS
    ]
    return equations


def other_rows_printed(layout, present):
    """三（六） as one row (2019, and some 2021 reports) or as three."""
    if any(("t3", row, "total") in present for row in keys.T3_OTHER_ROWS["2021"]):
        return keys.T3_OTHER_ROWS["2021"]
    if ("t3", "other", "total") in present or layout != "2021":
        return keys.T3_OTHER_ROWS["2019"]
    return keys.T3_OTHER_ROWS["2021"]


def consistent(reading, known, equations):
    """False when the reading, with the known values, breaks an identity that all its cells
    have values for; identities missing a value say nothing."""
    for left, right in equations:
        if not any(key in reading for key in left + right):
            continue
        values = [reading.get(key, known.get(key)) for key in left + right]
        if None in values:
            continue
        if abs(sum(values[: len(left)]) - sum(values[len(left) :])) > 1e-6:
            return False
    return True
