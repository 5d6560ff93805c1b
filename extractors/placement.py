"""Rows of flattened text that lost their empty cells, placed by the identities or not at all.

Text that keeps one cell per line with nothing for an empty cell gives a row of 7 columns
that had 2 empty cells as 5 values: which 2 columns were empty is unknown. Every way of
putting the values back in order (the others empty, so 0) is a reading; the 勾稽 identities
of docs/tables.md rule readings out: a reading stays while, with the facts already read and
some reading of each other short row in the identity, the identity can hold. A row is stored
when the readings left all give the same numbers; otherwise it is reported as
`misaligned_row`, never guessed. Where the printed numbers break an identity (no reading of
some row is left), the identities that join those rows decide nothing.
"""

import itertools
from math import comb

from . import keys
from .values import CellError, parse_cell

# Rows with more readings than this are reported without trying them (C(15, 7) = 6435).
MAX_READINGS = 6435
# An identity is not used to narrow a row when the other rows in it could add up to more
# sums than this.
MAX_SUMS = 100_000


def place_short_rows(short_rows, known, layout):
    """short_rows: [(cells as `tables._row_cells` gives them, value texts)], fewer texts than
    cells; known: {key: value} of the facts read so far. Returns ([(cells, one text per cell,
    "" where an empty cell was)], problems)."""
    options = [readings(cells, texts) for cells, texts in short_rows]
    owner = {
        cell[0]: (at, column)
        for at, (cells, _) in enumerate(short_rows)
        if options[at]
        for column, cell in enumerate(cells)
    }
    equations = [
        (left, right)
        for left, right in identities(layout, set(known) | set(owner))
        if all(key in owner or key in known for key in left + right)
    ]
    narrowed = narrow(options, equations, owner, known)
    for group in linked_rows(len(options), equations, owner):
        if any(options[at] and not narrowed[at] for at in group):  # the printed numbers break an identity
            for at in group:
                narrowed[at] = options[at]
    placed, problems = [], []
    for (cells, texts), found in zip(short_rows, narrowed):
        if len(found) == 1:
            placed.append((cells, next(iter(found.values()))))
            continue
        table = cells[0][0][0]
        rows = "/".join(dict.fromkeys(key[1] for key, *_ in cells))
        problems.append(
            (
                "misaligned_row",
                f"{table} {rows}: {len(texts)} cells for {len(cells)} columns, empty cells lost in the flattened "
                f"text and the identities leave {len(found) or 'no'} readings: row not read",
            )
        )
    return placed, problems


def narrow(options, equations, owner, known):
    """Each row's readings that can meet every identity together with some reading of the
    other rows in it: identity by identity, until nothing changes."""
    options = [dict(found) for found in options]
    changed = True
    while changed:
        changed = False
        for left, right in equations:
            terms, constant = {}, 0
            for sign, side in ((1, left), (-1, right)):
                for key in side:
                    if key in owner:
                        at, column = owner[key]
                        terms.setdefault(at, []).append((column, sign))
                    else:
                        constant += sign * known[key]
            share = {
                at: {numbers: sum(sign * numbers[column] for column, sign in row_terms) for numbers in options[at]}
                for at, row_terms in terms.items()
            }
            for at in terms:
                others = sums(set(share[other].values()) for other in terms if other != at)
                if others is None:
                    continue
                kept = {n: t for n, t in options[at].items() if round(-constant - share[at][n], 6) in others}
                if len(kept) < len(options[at]):
                    options[at], changed = kept, True
                    share[at] = {numbers: share[at][numbers] for numbers in kept}
    return options


def sums(sets):
    """Every sum of one element from each set, or None when there would be too many."""
    found = {0}
    for values in sets:
        found = {round(a + b, 6) for a in found for b in values}
        if len(found) > MAX_SUMS:
            return None
    return found


def linked_rows(count, equations, owner):
    """The rows, grouped by the identities that join them."""
    group = list(range(count))

    def root(at):
        while group[at] != at:
            at = group[at]
        return at

    for left, right in equations:
        rows = {owner[key][0] for key in left + right if key in owner}
        first = min(rows, default=None)
        for at in rows:
            group[root(at)] = root(first)
    groups = {}
    for at in range(count):
        groups.setdefault(root(at), []).append(at)
    return list(groups.values())


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
