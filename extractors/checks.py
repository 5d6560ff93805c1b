"""The identities (勾稽关系) of tables.md, as check rows: pass / fail / not_assessable.

A report that breaks an identity is stored as printed and flagged here; nothing is fixed.
"""

import functools
import operator
import re

from . import keys
from .vocabulary import HAN


def check(rule, failures, missing):
    if failures:
        return {"rule": rule, "status": "fail", "detail": "; ".join(failures)}
    if missing:
        return {"rule": rule, "status": "not_assessable", "detail": "missing cells: " + ", ".join(missing[:8])}
    return {"rule": rule, "status": "pass", "detail": ""}


def run_checks(value, layout, text="", agency=None):
    """value: {(table, row, col): number}; text: the report's text; agency: the reporting
    body's name, when known. Returns check dicts."""
    t3_other = _t3_other_rows(value, layout)
    t3 = _grid(value, "t3", _t3_rows(t3_other), keys.T3_COLUMNS)
    t4 = _grid(value, "t4", keys.T4_ROWS, keys.T4_COLUMNS)
    return [
        _t3_balance(t3),
        _t3_outcomes(t3, t3_other),
        _row_totals("t3_row_totals", t3, keys.T3_COLUMNS),
        _row_totals("t4_row_totals", t4, keys.T4_COLUMNS),
        _t2_plausible(value, layout),
        _text_versus_table(value, text, agency),
        _tables_found(value),
    ]


MONEY_CEILING = 10_000_000  # 万元 (1,000 亿元): an amount above it is a unit error, not a fee


def _t2_plausible(value, layout):
    """表二 rules that hold for every agency: items after the change are not negative, new
    publications do not exceed all publications, amounts are in 万元."""
    failures, missing = [], []
    rows = keys.T2_COLUMNS.get(layout, {})
    for row, cols in rows.items():
        if "prev_items" in cols and "change" in cols:
            cells = [("t2", row, "prev_items"), ("t2", row, "change")]
            if all(c in value for c in cells):
                if value[cells[0]] + value[cells[1]] < 0:
                    failures.append(f"{row}: prev_items {value[cells[0]]:g} + change {value[cells[1]]:g} < 0")
            else:
                missing.append(f"{row}.prev_items/change")
        if "new_published" in cols:
            new, total = ("t2", row, "new_published"), ("t2", row, "total_published")
            if new in value and total in value and value[new] > value[total]:
                failures.append(f"{row}: new_published {value[new]:g} > total_published {value[total]:g}")
    for row, col in keys.MONEY_COLUMNS:
        amount = value.get(("t2", row, col))
        if amount is not None and amount > MONEY_CEILING:
            failures.append(f"{row}.{col} = {amount:g} 万元: more than 1,000 亿元, probably 元 printed as 万元")
    return check("t2_plausible", failures, missing)


# What the text quotes, each against the cells that may print the same number.
COUNT = r"(?:共计|共|合计)?\s*(\d+)\s*(?:件|条|个|份|宗|起)"
# "收到政府信息公开申请12件", "共收到依申请公开申请 3 条", "受理政府信息公开申请12件"
QUOTED_REQUESTS_RE = re.compile(r"(?:收到|受理|接收)[^，。；,;0-9]{0,12}?申请" + COUNT)
# "答复政府信息公开申请805件", "办结申请35件"
QUOTED_ANSWERED_RE = re.compile(r"(?:答复|办结)[^，。；,;0-9]{0,12}?申请" + COUNT)
# Reviews and lawsuits about this agency's disclosure only (a 司法局 also reports the reviews
# it decides as a review body): "被申请行政复议3件", "信息公开类行政复议7件，诉讼9件",
# "被申请行政复议1件、被提起行政诉讼2件"
ABOUT_DISCLOSURE = r"(?:被申请|被提起|信息公开类?的?)"
QUOTED_REVIEWS_RE = re.compile(
    ABOUT_DISCLOSURE
    + r"行政复议(?:案件)?"
    + COUNT
    + r"(?:[，、和及]\s*(?:被?提起)?(?:行政)?诉讼(?:案件)?"
    + COUNT
    + ")?"
)
# "被提起行政诉讼2件", "信息公开类行政诉讼1件"
QUOTED_LAWSUITS_RE = re.compile(r"(?:被提起|被起诉|信息公开类?的?)行政诉讼(?:案件)?" + COUNT)


# What ends a clause: the subject of a quote ("我局共收到申请5件") follows the last one before it.
CLAUSE_ENDS = "，。；,;：:\n\t"
# Time and quantity words around a clause's subject: "2023年全区共", "全年", "本年度我局累计"
LEADING_FILLER_RE = re.compile(r"^(?:\d{4}年度?|全年|本年度?|今年|年内|共计|共|累计)+")
TRAILING_FILLER_RE = re.compile(r"(?:共计|共|累计|依法)+$")
# A part of the body, or the body itself: "其中区本级…", "各街道…"; "我局", "本机关", "全区"
PART_RE = re.compile(r"^(?:其中|各)")
SELF_RE = re.compile(r"^(?:我|本|全)")
# A subject that is an organisation's name and nothing else: "区政府办", "市政府办公厅", "某某街道"
ORG_RE = re.compile(rf"[{HAN}]{{0,12}}(?:政府|委员会|办公室|办公厅|局|委|厅|中心|街道|镇|乡|办)")


def _short_name(name):
    """'上海市人民政府办公厅' -> '上海市政府办': the forms a report uses for itself."""
    return name.replace("人民政府", "政府").replace("办公室", "办").replace("办公厅", "办")


def about_the_whole_body(text, start, agency):
    """Whether the quote starting at start counts for the reporting body as a whole: its
    clause names no subject, or the body itself ("我局", "全区", its own name, short or
    long); not a part of it ("其中…", "区政府办代表区政府受理…" in a 区人民政府's report)."""
    subject = text[max(text.rfind(end, 0, start) for end in CLAUSE_ENDS) + 1 : start].strip()
    subject = TRAILING_FILLER_RE.sub("", LEADING_FILLER_RE.sub("", subject)).split("代表")[0]  # who acts
    if PART_RE.match(subject):
        return False
    if not subject or SELF_RE.match(subject) or not ORG_RE.fullmatch(subject):
        return True
    return bool(agency) and _short_name(agency).endswith(_short_name(subject))


def _quotes(text, agency):
    """(what, number) for every number the text quotes about the whole body; and how many
    quotes were about a part of it."""
    quoted, parts = [], 0

    def keep(what, match, *groups):
        nonlocal parts
        if not about_the_whole_body(text, match.start(), agency):
            parts += 1
            return
        quoted.extend((what, int(match.group(g))) for g in groups if match.group(g))

    for match in QUOTED_REQUESTS_RE.finditer(text):
        keep("requests", match, 1)
    for match in QUOTED_ANSWERED_RE.finditer(text):
        keep("answered requests", match, 1)
    reviews = []
    for match in QUOTED_REVIEWS_RE.finditer(text):
        keep("reviews", match, 1)
        reviews.append(match)
    for match in reviews:
        if match.group(2) and about_the_whole_body(text, match.start(), agency):
            quoted.append(("lawsuits", int(match.group(2))))
    for match in QUOTED_LAWSUITS_RE.finditer(text):
        keep("lawsuits", match, 1)
    return quoted, parts


def _text_versus_table(value, text, agency=None):
    """Numbers the text quotes about the reporting body as a whole against the tables:
    requests received (表三 new, or new plus carried over), requests answered (表三 total
    processed, or new plus carried over), reviews (表四 review total) and lawsuits (表四 both
    litigation totals, or either). What one of its offices handled is not comparable."""
    quoted, parts = _quotes(text or "", agency)
    if not quoted:
        detail = (
            f"the text quotes numbers of a part of the body only ({parts})"
            if parts
            else "the text quotes no number of requests, reviews or lawsuits"
        )
        return {"rule": "text_versus_table", "status": "not_assessable", "detail": detail}
    failures, unread = [], set()
    for what, number in dict.fromkeys(quoted):
        cells = _agreeing(value, what)
        if cells is None:
            unread.add(what)
        elif number not in cells.values():
            failures.append(
                f"the text says {number} {what}; " + "; ".join(f"{name} {n:g}" for name, n in cells.items())
            )
    if failures:
        return {"rule": "text_versus_table", "status": "fail", "detail": " · ".join(failures)}
    if len(unread) == len(dict.fromkeys(what for what, _ in quoted)):
        return {
            "rule": "text_versus_table",
            "status": "not_assessable",
            "detail": "the cells for " + ", ".join(sorted(unread)) + " were not read",
        }
    return {"rule": "text_versus_table", "status": "pass", "detail": ""}


def _agreeing(value, what):
    """{how the table counts it: number} for one kind of quote; None when the cells are not read."""
    get = value.get
    if what in ("requests", "answered requests"):
        new, carried = get(("t3", "new_received", "total")), get(("t3", "carried_over", "total"), 0)
        if new is None:
            return None
        first = (
            ("表三 new_received", new)
            if what == "requests"
            else ("表三 total_processed", get(("t3", "total_processed", "total")))
        )
        return {name: n for name, n in (first, ("new_received + carried_over", new + carried)) if n is not None}
    if what == "reviews":
        total = get(("t4", "review", "total"))
        return None if total is None else {"表四 review total": total}
    direct, after = get(("t4", "litigation_direct", "total")), get(("t4", "litigation_after_review", "total"))
    if direct is None or after is None:
        return None
    return {"表四 litigation totals": direct + after, "litigation_direct": direct, "litigation_after_review": after}


def _t3_other_rows(value, layout):
    """Which 三（六） rows the report prints: one row (2019, and some 2021 reports) or three."""
    if any(("t3", row, "total") in value for row in keys.T3_OTHER_ROWS["2021"]):
        return keys.T3_OTHER_ROWS["2021"]
    if ("t3", "other", "total") in value or layout != "2021":
        return keys.T3_OTHER_ROWS["2019"]
    return keys.T3_OTHER_ROWS["2021"]


def _t3_rows(t3_other):
    return ("new_received", "carried_over") + keys.T3_OUTCOME_ROWS + t3_other + ("total_processed", "carried_forward")


@functools.lru_cache(maxsize=64)
def _keys(table, rows, cols):
    """For each row, the keys of its cells in cols; built once per shape."""
    return tuple(tuple((table, row, col) for col in cols) for row in rows)


def _grid(value, table, rows, cols):
    """{row: its values in the order of cols, None where a cell is missing}. The total
    column comes last in every table, so a row is its parts, then their total."""
    return {row: list(map(value.get, cells)) for row, cells in zip(rows, _keys(table, rows, cols))}


T3_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


def _t3_balance(t3):
    """Per column: new + carried over = processed + carried forward."""
    failures, missing = [], []
    for col, numbers in zip(keys.T3_COLUMNS, zip(*(t3[row] for row in T3_BALANCE_ROWS))):
        if None in numbers:
            missing += [f"{row}.{col}" for row, n in zip(T3_BALANCE_ROWS, numbers) if n is None]
            continue
        new, carried_over, processed, carried_forward = numbers
        left, right = new + carried_over, processed + carried_forward
        if left != right:
            failures.append(
                f"{col}: new_received {new:g} + carried_over {carried_over:g} = {left:g}"
                f" ≠ total_processed {processed:g} + carried_forward {carried_forward:g} = {right:g}"
            )
    return check("t3_balance", failures, missing)


def _t3_outcomes(t3, t3_other):
    """Per column: the outcome rows add up to total_processed."""
    failures, missing = [], []
    rows = keys.T3_OUTCOME_ROWS + t3_other + ("total_processed",)
    for col, numbers in zip(keys.T3_COLUMNS, zip(*(t3[row] for row in rows))):
        if None in numbers:
            missing += [f"{row}.{col}" for row, n in zip(rows, numbers) if n is None]
            continue
        outcomes = sum(numbers[:-1])
        if outcomes != numbers[-1]:
            failures.append(f"{col}: outcomes add up to {outcomes:g}, total_processed printed {numbers[-1]:g}")
    return check("t3_outcomes_sum", failures, missing)


def _row_totals(rule, grid, cols):
    """Per row: the part columns add up to the total column (the last of cols)."""
    failures, missing = [], []
    for row, numbers in grid.items():
        if None in numbers:
            missing += [f"{row}.{col}" for col, n in zip(cols, numbers) if n is None]
            continue
        parts_sum = sum(numbers[:-1])
        if parts_sum != numbers[-1]:
            printed = " + ".join(f"{n:g}" for n in numbers[:-1])
            failures.append(f"{row}: {printed} = {parts_sum:g}, total printed {numbers[-1]:g}")
    return check(rule, failures, missing)


def tables_with_facts(facts):
    """The tables ('t2', 't3', 't4') that hold at least one of these (table, row, col) keys."""
    return set(map(operator.itemgetter(0), facts))


def _tables_found(value):
    present = tables_with_facts(value)
    missing = [t for t in ("t2", "t3", "t4") if t not in present]
    if missing:
        return {"rule": "tables_found", "status": "fail", "detail": "no cells read for " + ", ".join(missing)}
    return {"rule": "tables_found", "status": "pass", "detail": ""}


# Across two reports of one agency (checked by the store, which holds both): 表三
# carried_forward (total) of year Y = carried_over (total) of year Y+1.
CROSS_YEAR_RULE = "cross_year_carry"


def cross_year_verdict(earlier_id, earlier_year, year, forward, over):
    """(status, detail) of the carry-over check of a report against the year before."""
    if forward is None or over is None:
        return "not_assessable", f"表三 of {earlier_year} or {year} not read"
    if forward == over:
        return "pass", ""
    return "fail", (
        f"{earlier_year} report ({earlier_id}) carried forward {forward:g} requests; "
        f"this {year} report says {over:g} were carried over"
    )
