"""A check's result said in Chinese for the report page. The checks table keeps the detail the
extractors wrote (extractors/checks.py, report.py: English, with canonical keys); this reads
those sentences back and says them with the tables' own labels:
"review: 10 + 1 + 0 + 0 = 11, total printed 0" -> "行政复议：10 + 1 + 0 + 0 = 11，而报告所列总计为 0".
A detail of a shape not known here is shown as stored, after the rule's explanation.
"""

import re

from extractors import keys

from .labels import label

RULE_TABLES = {"t3_balance": "t3", "t3_outcomes_sum": "t3", "t3_row_totals": "t3", "t4_row_totals": "t4"}
ROW_LABELS = {"t2": keys.T2_ROW_LABELS, "t3": keys.T3_ROW_LABELS, "t4": keys.T4_ROW_LABELS}
COL_LABELS = {"t2": keys.T2_COL_LABELS, "t3": keys.T3_COL_LABELS, "t4": keys.T4_COL_LABELS}
PART_SEPARATORS = {"text_versus_table": " · ", "cross_year_carry": None}  # how a detail joins its parts
QUOTED = {
    "requests": "收到申请",
    "answered requests": "办结申请",
    "reviews": "被申请行政复议",
    "lawsuits": "被提起行政诉讼",
}
TABLE_COUNTS = {
    "表三 new_received": "表三本年新收",
    "表三 total_processed": "表三办理结果总计",
    "new_received + carried_over": "本年新收加上年结转",
    "表四 review total": "表四行政复议总计",
    "表四 litigation totals": "表四行政诉讼合计",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}

# "natural_person: new_received 3 + carried_over 0 = 3 ≠ total_processed 2 + carried_forward 0 = 2"
BALANCE_RE = re.compile(
    r"^(\w+): new_received (\S+) \+ carried_over (\S+) = (\S+) ≠ total_processed (\S+) \+ carried_forward (\S+) = (\S+)$"
)
OUTCOMES_RE = re.compile(
    r"^(\w+): outcomes add up to (\S+), total_processed printed (\S+)$"
)  # "total: outcomes add up to 5, …"
ROW_TOTAL_RE = re.compile(
    r"^(\w+): (.+) = (\S+), total printed (\S+)$"
)  # "review: 10 + 1 + 0 + 0 = 11, total printed 0"
NEGATIVE_ITEMS_RE = re.compile(
    r"^(\w+): prev_items (\S+) \+ change (\S+) < 0$"
)  # "penalty: prev_items 3 + change -5 < 0"
MORE_NEW_RE = re.compile(
    r"^(\w+): new_published (\S+) > total_published (\S+)$"
)  # "regulations: new_published 5 > total_published 2"
MONEY_RE = re.compile(
    r"^(\w+)\.(\w+) = (\S+) 万元: more than"
)  # "fees.amount = 24000000 万元: more than 1,000 亿元, …"
MISSING_RE = re.compile(r"^missing cells: (.+)$")  # "missing cells: review.total, natural_person.total"
QUOTE_RE = re.compile(r"^the text says (\d+) ([a-z ]+?); (.+)$")  # "the text says 12 requests; 表三 new_received 10; …"
PART_ONLY_RE = re.compile(r"^the text quotes numbers of a part of the body only \((\d+)\)$")
NOT_READ_RE = re.compile(r"^the cells for (.+) were not read$")  # "the cells for reviews, lawsuits were not read"
NO_TABLES_RE = re.compile(r"^no cells read for (.+)$")  # "no cells read for t2, t4"
CARRY_UNREAD_RE = re.compile(r"^表三 of (\S+) or (\S+) not read$")  # "表三 of 2021 or 2022 not read"
# "2021 report (ab12) carried forward 3 requests; this 2022 report says 0 were carried over"
CARRY_RE = re.compile(
    r"^(\S+) report \((\w+)\) carried forward (\S+) requests; this (\S+) report says (\S+) were carried over$"
)


def explain(rule, status, detail):
    """{name, status, explanation (what the rule checks), detail (what was found, in Chinese)}."""
    return {
        "name": label("rule", rule),
        "status": label("check_status", status),
        "explanation": label("rule_explanation", rule) if label("rule_explanation", rule) != rule else "",
        "detail": said_in_chinese(rule, detail or ""),
    }


def said_in_chinese(rule, detail):
    """The detail in Chinese, part by part ("; " and " · " separate parts); a part of a shape
    not known here is kept as stored."""
    if not detail:
        return ""
    missing = MISSING_RE.match(detail)
    if missing:
        return "未读到的单元格：" + "、".join(_cell_name(rule, item) for item in missing.group(1).split(", "))
    separator = PART_SEPARATORS.get(rule, "; ")
    return "；".join(_part(rule, part) for part in (detail.split(separator) if separator else [detail]))


def _part(rule, part):
    table = RULE_TABLES.get(rule)
    rows, cols = ROW_LABELS.get(table, {}), COL_LABELS.get(table, {})
    if m := BALANCE_RE.match(part):
        col, new, over, left, done, forward, right = m.groups()
        return (
            f"{cols.get(col, col)}：本年新收 {new} + 上年结转 {over} = {left}，"
            f"而办理结果总计 {done} + 结转下年度 {forward} = {right}，两者不等"
        )
    if m := OUTCOMES_RE.match(part):
        col, outcomes, printed = m.groups()
        return f"{cols.get(col, col)}：各项办理结果之和为 {outcomes}，而报告所列（七）总计为 {printed}"
    if m := ROW_TOTAL_RE.match(part):
        row, addends, total, printed = m.groups()
        return f"{rows.get(row, row)}：{addends} = {total}，而报告所列总计为 {printed}"
    if m := NEGATIVE_ITEMS_RE.match(part):
        row, before, change = m.groups()
        return f"{keys.T2_ROW_LABELS.get(row, row)}：上一年项目数量 {before} 加本年增/减 {change} 小于 0"
    if m := MORE_NEW_RE.match(part):
        row, new, total = m.groups()
        return f"{keys.T2_ROW_LABELS.get(row, row)}：本年新公开数量 {new} 大于对外公开总数量 {total}"
    if m := MONEY_RE.match(part):
        row, col, amount = m.groups()
        name = keys.T2_ROW_LABELS.get(row, row) + keys.T2_COL_LABELS.get(col, col)
        return f"{name}为 {amount} 万元，超过 1,000 亿元，可能把“元”印作了“万元”"
    return _text_part(part) or _other_part(part) or part


def _text_part(part):
    """text_versus_table's sentences."""
    if m := QUOTE_RE.match(part):
        number, what, counts = m.groups()
        said = "；".join(
            f"{TABLE_COUNTS.get(name, name)} {n}" for name, _, n in (c.rpartition(" ") for c in counts.split("; "))
        )
        return f"正文称{QUOTED.get(what, what)} {number} 件，而表中为：{said}"
    if m := PART_ONLY_RE.match(part):
        return f"正文所引的件数只涉及本机关的一部分（{m.group(1)} 处），不能与表格比较"
    if part == "the text quotes no number of requests, reviews or lawsuits":
        return "正文没有引用申请、复议或诉讼的件数"
    if m := NOT_READ_RE.match(part):
        return "表中与正文所引对应的单元格未读到：" + "、".join(QUOTED.get(w, w) for w in m.group(1).split(", "))
    return None


def _other_part(part):
    """tables_found's and cross_year_carry's sentences."""
    if m := NO_TABLES_RE.match(part):
        return (
            "未读到"
            + "、".join({"t2": "表二", "t3": "表三", "t4": "表四"}.get(t, t) for t in m.group(1).split(", "))
            + "的任何单元格"
        )
    if m := CARRY_UNREAD_RE.match(part):
        return f"{m.group(1)} 年或 {m.group(2)} 年报告的表三未读到"
    if m := CARRY_RE.match(part):
        earlier, rid, forward, year, over = m.groups()
        return f"{earlier} 年报告（{rid}）结转下年度 {forward} 件，而本 {year} 年报告称上年结转 {over} 件"
    return None


def _cell_name(rule, item):
    """ "review.total" -> "行政复议·总计"; "licensing.prev_items/change" -> "行政许可·上一年项目数量/本年增/减"."""
    table = RULE_TABLES.get(rule, "t2")
    row, _, cols = item.partition(".")
    row_name = ROW_LABELS[table].get(row, keys.T3_COL_LABELS.get(row, row))
    col_names = "/".join(COL_LABELS[table].get(c, c) for c in cols.split("/"))
    return f"{row_name}·{col_names}"
