"""The identities (勾稽关系) of tables.md, as check rows: pass / fail / not_assessable.

A report that breaks an identity is stored as printed and flagged here; nothing is fixed.
"""

from . import keys


def check(rule, failures, missing):
    if failures:
        return {"rule": rule, "status": "fail", "detail": "; ".join(failures)}
    if missing:
        return {"rule": rule, "status": "not_assessable", "detail": "missing cells: " + ", ".join(missing[:8])}
    return {"rule": rule, "status": "pass", "detail": ""}


def run_checks(facts, layout):
    """facts: {(table, row, col): Fact}. Returns a list of check dicts."""
    value = {key: fact.value for key, fact in facts.items()}
    t3_other = _t3_other_rows(value, layout)
    results = [
        _t3_balance(value),
        _t3_outcomes(value, t3_other),
        _row_totals("t3_row_totals", value, "t3", _t3_rows(t3_other), keys.T3_COLUMNS[:-1], "total"),
        _row_totals("t4_row_totals", value, "t4", keys.T4_ROWS, keys.T4_COLUMNS[:-1], "total"),
    ]
    results.append(_tables_found(value))
    return results


def _t3_other_rows(value, layout):
    """Which 三（六） rows the report prints: one row (2019, and some 2021 reports) or three."""
    if any(("t3", row, "total") in value for row in keys.T3_OTHER_ROWS["2021"]):
        return keys.T3_OTHER_ROWS["2021"]
    if ("t3", "other", "total") in value or layout != "2021":
        return keys.T3_OTHER_ROWS["2019"]
    return keys.T3_OTHER_ROWS["2021"]


def _t3_rows(t3_other):
    return ("new_received", "carried_over") + keys.T3_OUTCOME_ROWS + t3_other + ("total_processed", "carried_forward")


def _t3_balance(value):
    failures, missing = [], []
    for col in keys.T3_COLUMNS:
        cells = [("t3", row, col) for row in ("new_received", "carried_over", "total_processed", "carried_forward")]
        absent = [c for c in cells if c not in value]
        if absent:
            missing += [f"{c[1]}.{c[2]}" for c in absent]
            continue
        left = value[cells[0]] + value[cells[1]]
        right = value[cells[2]] + value[cells[3]]
        if left != right:
            failures.append(f"{col}: new_received {value[cells[0]]:g} + carried_over {value[cells[1]]:g} = {left:g}"
                            f" ≠ total_processed {value[cells[2]]:g} + carried_forward {value[cells[3]]:g} = {right:g}")
    return check("t3_balance", failures, missing)


def _t3_outcomes(value, t3_other):
    failures, missing = [], []
    outcome_rows = keys.T3_OUTCOME_ROWS + t3_other
    for col in keys.T3_COLUMNS:
        cells = [("t3", row, col) for row in outcome_rows]
        total_key = ("t3", "total_processed", col)
        absent = [c for c in cells + [total_key] if c not in value]
        if absent:
            missing += [f"{c[1]}.{c[2]}" for c in absent]
            continue
        outcomes = sum(value[c] for c in cells)
        if outcomes != value[total_key]:
            failures.append(f"{col}: outcomes add up to {outcomes:g}, total_processed printed {value[total_key]:g}")
    return check("t3_outcomes_sum", failures, missing)


def _row_totals(rule, value, table, rows, parts, total_col):
    failures, missing = [], []
    for row in rows:
        cells = [(table, row, col) for col in parts]
        total_key = (table, row, total_col)
        absent = [c for c in cells + [total_key] if c not in value]
        if absent:
            missing += [f"{c[1]}.{c[2]}" for c in absent]
            continue
        parts_sum = sum(value[c] for c in cells)
        if parts_sum != value[total_key]:
            printed = " + ".join(f"{value[c]:g}" for c in cells)
            failures.append(f"{row}: {printed} = {parts_sum:g}, total printed {value[total_key]:g}")
    return check(rule, failures, missing)


def _tables_found(value):
    missing = [t for t in ("t2", "t3", "t4") if not any(k[0] == t for k in value)]
    if missing:
        return {"rule": "tables_found", "status": "fail",
                "detail": "no cells read for " + ", ".join(missing)}
    return {"rule": "tables_found", "status": "pass", "detail": ""}
