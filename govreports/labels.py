"""How the pages show a stored value to a reader: the Chinese word for each canonical key.

The database, its JSON and its CSV keep the canonical keys (`county`, `pass`, `t4_row_totals`);
only what a page shows goes through `label`. A kind or value not listed here is shown as
stored, so a new key is never hidden, only untranslated.
"""

import re

from extractors import keys
from storage.views import TABLE_NAMES

LABELS = {
    "level": {
        "national": "国家级",
        "province": "省级",
        "city": "地市级",
        "county": "县级",
        "township": "乡镇级",
    },
    "check_status": {
        "pass": "通过",
        "fail": "未通过",
        "not_assessable": "无法判断",
    },
    "rule": {
        "t2_plausible": "表二数值合理",
        "t3_balance": "表三收支平衡",
        "t3_outcomes_sum": "表三办理结果合计",
        "t3_row_totals": "表三各行合计",
        "t4_row_totals": "表四各行合计",
        "cross_year_carry": "上年结转与本年衔接",
        "text_versus_table": "正文与表格一致",
        "tables_found": "找到统计表",
        "tables_as_images": "统计表为图片",
        "ocr_unreadable": "图片识别不清",
        "misaligned_row": "行内数值无法对齐到列",
        "cells_readable": "单元格无法分开读取",
        "cell_value": "单元格数值无法读取",
        "duplicate_cells": "单元格重复印出",
    },
    "layout": {
        "2019": "2019年版表格",
        "2021": "2021年版表格",
        "legacy": "旧版（2019年以前）",
    },
    # What each check rule checks, in a sentence (the report page; labels.explained_check)
    "rule_explanation": {
        "t2_plausible": "表二：上一年项目数量加本年增/减不小于 0，本年新公开数量不大于对外公开总数量，金额以万元计",
        "t3_balance": "表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
        "t3_outcomes_sum": "表三每一列：（一）至（六）各项办理结果之和等于（七）总计",
        "t3_row_totals": "表三每一行：自然人与五类法人或其他组织之和等于总计",
        "t4_row_totals": "表四每一组：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计",
        "cross_year_carry": "上一年报告的结转下年度继续办理，等于本年报告的上年结转",
        "text_versus_table": "正文所引的申请、复议、诉讼件数与表格一致",
        "tables_found": "表二、表三、表四都读到了数字",
        "tables_as_images": "统计表以图片发布，数字需由图片识别读出",
        "ocr_unreadable": "图片中的数字识别不够确定，未予采用",
        "misaligned_row": "一行的数字少于栏目，无法确定各数字所在的栏",
    },
    "compliance_status": {
        "on_time": "按时",
        "late": "逾期",
        "missing": "缺报",
        "unknown": "未知",
    },
    "agency_kind": {
        "government": "人民政府",
        "department": "政府部门",
        "township": "乡镇（街道）",
    },
    "compliance_reason": {
        "none_for_year": "门户已抓取，未见该年度报告",
        "not_crawled": "门户尚未抓取",
        "crawl_failed": "门户抓取失败",
        "crawled_before_deadline": "最近一次抓取在期限之前",
        "no_date": "报告无发布日期",
    },
    "date_source": {
        "published": "发布日期",
        "first_capture": "首次抓取日期（报告未注明发布日期）",
    },
    "name_match": {
        "same": "原名",
        "short": "简称",
        "alias": "人工核对的别名",
    },
    # what changed in a report after publication (report_changes.kinds)
    "change_kind": {
        "text": "正文",
        "numbers": "数字",
        "attachment": "附件",
        "metadata": "信息",
    },
    # how a report left its portal (report_removals.status)
    "removal_status": {
        "http_404": "原文地址已失效（404）",
        "http_410": "原文地址已撤下（410）",
        "gone_from_column": "已从栏目中撤下",
    },
}


def label(kind, value):
    """The Chinese word for `value` of `kind` ("level", "county" -> "县级"), else the value."""
    return LABELS.get(kind, {}).get(value, value)


# -- values in cells: which kind of key a column holds, and checks' details in Chinese ------

# column -> kind, on the tables, views and canned queries that show these keys ("规则" is the
# failing_checks query's column); status is a check's only on the checks table (elsewhere an
# HTTP status)
COLUMN_KINDS = {
    "level": "level",
    "层级": "level",
    "check_status": "check_status",
    "rule": "rule",
    "规则": "rule",
    "layout": "layout",
}
TABLE_COLUMN_KINDS = {("checks", "status"): "check_status"}
DETAIL_COLUMNS = {("checks", "detail"), (None, "涉及单元格")}


def column_kind(table, column):
    """The kind of key `column` of `table` (None for a canned query) holds, or None."""
    return TABLE_COLUMN_KINDS.get((table, column)) or COLUMN_KINDS.get(column)


def _key_word(key):
    """A cell's row or column key in the words of the printed tables: review -> 行政复议."""
    for labels in (keys.T4_ROW_LABELS, keys.T3_ROW_LABELS, keys.T2_ROW_LABELS, keys.T3_COL_LABELS):
        if key in labels:
            return labels[key]
    return {**keys.T4_COL_LABELS, **keys.T2_COL_LABELS}.get(key, key)


QUOTED = {"requests": "收到申请", "answered requests": "办理申请", "reviews": "行政复议", "lawsuits": "行政诉讼"}
NUMBER = r"-?[\d.,e+]+"

# (a sentence of extractors/checks.py's details, its Chinese), in the order they are tried
DETAIL_SENTENCES = (
    # "review: 10 + 1 + 0 + 0 = 11, total printed 0"
    (
        rf"(\w+): ((?:{NUMBER} \+ )*{NUMBER}) = ({NUMBER}), total printed ({NUMBER})",
        lambda m: f"{_key_word(m[1])}：各项相加 {m[2]} = {m[3]}，但印出的总计为 {m[4]}",
    ),
    # "total: outcomes add up to 25, total_processed printed 24"
    (
        rf"(\w+): outcomes add up to ({NUMBER}), total_processed printed ({NUMBER})",
        lambda m: f"{_key_word(m[1])}：各项办理结果相加为 {m[2]}，但印出的办理总计为 {m[3]}",
    ),
    # "total: new_received 20 + carried_over 1 = 21 ≠ total_processed 19 + carried_forward 1 = 20"
    (
        rf"(\w+): new_received ({NUMBER}) \+ carried_over ({NUMBER}) = ({NUMBER})"
        rf" ≠ total_processed ({NUMBER}) \+ carried_forward ({NUMBER}) = ({NUMBER})",
        lambda m: (
            f"{_key_word(m[1])}：本年新收 {m[2]} + 上年结转 {m[3]} = {m[4]}，"
            f"不等于办理总计 {m[5]} + 结转下年度继续办理 {m[6]} = {m[7]}"
        ),
    ),
    # "licensing: prev_items 10 + change -12 < 0"
    (
        rf"(\w+): prev_items ({NUMBER}) \+ change ({NUMBER}) < 0",
        lambda m: f"{_key_word(m[1])}：上一年项目数量 {m[2]} 加本年增/减 {m[3]} 小于 0",
    ),
    # "regulations: new_published 5 > total_published 3"
    (
        rf"(\w+): new_published ({NUMBER}) > total_published ({NUMBER})",
        lambda m: f"{_key_word(m[1])}：本年新公开数量 {m[2]} 大于对外公开总数量 {m[3]}",
    ),
    # "fees.amount = 2e+07 万元: more than 1,000 亿元, probably 元 printed as 万元"
    (
        rf"(\w+)\.(\w+) = ({NUMBER}) 万元: more than 1,000 亿元, probably 元 printed as 万元",
        lambda m: f"{_key_word(m[1])}{_key_word(m[2])} = {m[3]} 万元：超过 1,000 亿元，可能把元印成了万元",
    ),
    # "missing cells: granted.total, review.total"
    (r"missing cells: (.*)", lambda m: "缺少单元格：" + _cells_in_words(m[1])),
    # "the text says 120 requests; 表三 new_received 118; new_received + carried_over 121"
    (
        r"the text says (\d+) ([a-z ]+?); (.*?)(?= · |$)",
        lambda m: f"正文称{QUOTED.get(m[2], m[2])} {m[1]} 件；表格为 " + _cells_in_words(m[3]),
    ),
    (
        r"the text quotes numbers of a part of the body only \((.*)\)",
        lambda m: f"正文只引用了部分下属单位的数字（{m[1]}）",
    ),
    (r"the text quotes no number of requests, reviews or lawsuits", lambda m: "正文未引用申请、复议或诉讼的数字"),
    (
        r"the cells for (.*) were not read",
        lambda m: "未读到" + "、".join(QUOTED.get(w, w) for w in m[1].split(", ")) + "的单元格",
    ),
    (
        r"no cells read for (.*)",
        lambda m: "未读到单元格：" + "、".join(TABLE_NAMES.get(t, t) for t in m[1].split(", ")),
    ),
    (r"表三 of (\d+) or (\d+) not read", lambda m: f"未读到 {m[1]} 年或 {m[2]} 年报告的表三"),
    # "t3 granted: 5 cells for 7 columns, empty cells lost in the flattened text and the
    # identities leave 2 readings: row not read"
    (
        r"(t\d) ([\w/]+): (\d+) cells for (\d+) columns, empty cells lost in the flattened text"
        r" and the identities leave (\d+|no) readings: row not read",
        lambda m: (
            f"{TABLE_NAMES.get(m[1], m[1])} {'、'.join(_key_word(r) for r in m[2].split('/'))}："
            f"{m[3]} 个数值对应 {m[4]} 列，平铺的文本丢了空单元格，勾稽关系下仍有 {m[5].replace('no', '0')} 种读法：此行未读取"
        ),
    ),
    # "t2 regulations: 2 cells for 3 columns, which column each belongs to is unknown: row not read (规章)"
    (
        r"(t\d) (\w+): (\d+) cells for (\d+) columns, which column each belongs to is unknown: row not read \((.*)\)",
        lambda m: (
            f"{TABLE_NAMES.get(m[1], m[1])} {_key_word(m[2])}：{m[3]} 个数值对应 {m[4]} 列，"
            f"无法确定各属哪一列：此行未读取（{m[5]}）"
        ),
    ),
    # "t3 granted total printed twice: '5' kept, '6' ignored"
    (
        r"(t\d) (\w+) (\w+) printed twice: (.*) kept, (.*) ignored",
        lambda m: (
            f"{TABLE_NAMES.get(m[1], m[1])} {_key_word(m[2])}·{_key_word(m[3])} 印出两次：保留 {m[4]}，忽略 {m[5]}"
        ),
    ),
    # "cells run together, row not read: 规章 1 2 3"
    (r"cells run together, row not read: (.*)", lambda m: f"数值连在一起，此行未读取：{m[1]}"),
    # "3 cells left out, not read with enough confidence: t3 granted total, …"
    (
        r"(\d+) cells left out, not read with enough confidence: (.*)",
        lambda m: f"{m[1]} 个单元格识别把握不足，未采用：{_cells_in_words(m[2])}",
    ),
    # "no table cells could be read and the article holds 4 images: the tables are probably published as pictures"
    (
        r"no table cells could be read and the article holds (\d+) images: the tables are probably published as pictures",
        lambda m: f"未读到表格单元格，正文含 {m[1]} 张图片：统计表可能以图片发布",
    ),
    # "2020 report (abc) carried forward 3 requests; this 2021 report says 2 were carried over"
    (
        rf"(\d+) report \((.*?)\) carried forward ({NUMBER}) requests; this (\d+) report says ({NUMBER}) were carried over",
        lambda m: f"{m[1]} 年报告（{m[2]}）结转下年度继续办理 {m[3]} 件；本（{m[4]} 年）报告称上年结转 {m[5]} 件",
    ),
)


def _cells_in_words(text):
    """Cell keys in a detail in the tables' words: "granted.total" -> "（一）予以公开·总计",
    "表四 review total" -> "表四 行政复议 总计", "t3 granted total, t4 review total" ->
    "表三 （一）予以公开 总计、表四 行政复议 总计"."""
    text = re.sub(r"\b([a-z][a-z_]*)\.([a-z][a-z_]*)\b", lambda m: f"{_key_word(m[1])}·{_key_word(m[2])}", text)
    text = re.sub(r"\bt[234]\b", lambda m: TABLE_NAMES[m[0]], text)
    text = re.sub(r"\b[a-z][a-z_]*[a-z]\b", lambda m: _key_word(m[0]), text)
    return text.replace("; ", "；").replace(", ", "、")


def check_detail(detail):
    """A check's detail (extractors/checks.py, English with canonical keys) as a Chinese
    sentence; a sentence of no known form stays as it is."""
    if not detail:
        return detail
    shown = detail
    for pattern, words in DETAIL_SENTENCES:
        shown = re.sub(pattern, words, shown)
    return shown.replace("; ", "；").replace(" · ", "；")


def shown_value(table, column, value):
    """What a page shows for a stored value: a key in Chinese, a check's detail as a Chinese
    sentence, anything else as stored."""
    if not isinstance(value, str):
        return value
    if (table, column) in DETAIL_COLUMNS:
        return check_detail(value)
    kind = column_kind(table, column)
    return label(kind, value) if kind else value


def explained_check(rule, status, detail):
    """A check as the report page shows it: {name, status, explanation (what the rule checks),
    detail (what was found, as a Chinese sentence)}."""
    explanation = label("rule_explanation", rule)
    return {
        "name": label("rule", rule),
        "status": label("check_status", status),
        "explanation": explanation if explanation != rule else "",
        "detail": check_detail(detail or ""),
    }
