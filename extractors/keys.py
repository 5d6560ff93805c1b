"""The canonical keys of the three statistical tables (docs/tables.md).

One table in code: labels, layouts and keys live here and everything else (the mapper,
checks, Datasette labels, wide views) is derived from it.
"""

T2_COLUMNS = {
    "2019": {
        "regulations": ("new_made", "new_published", "total_published"),
        "normative_docs": ("new_made", "new_published", "total_published"),
        "licensing": ("prev_items", "change", "decisions"),
        "other_services": ("prev_items", "change", "decisions"),
        "penalty": ("prev_items", "change", "decisions"),
        "coercion": ("prev_items", "change", "decisions"),
        "fees": ("prev_items", "change"),
        "procurement": ("projects", "amount"),
    },
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_docs": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount",),
    },
}

T2_ROW_LABELS = {
    "regulations": "规章",
    "normative_docs": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}

T2_COL_LABELS = {
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prev_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "金额（万元）",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
}

MONEY_COLUMNS = {("fees", "amount"), ("procurement", "amount")}
SIGNED_COLUMNS = {"change"}

T3_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
T3_COL_LABELS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

T3_ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开",
    "denied_state_secret": "（三）1.属于国家秘密",
    "denied_prohibited_by_law": "（三）2.其他法律行政法规禁止公开",
    "denied_three_safeties": "（三）3.危及“三安全一稳定”",
    "denied_third_party": "（三）4.保护第三方合法权益",
    "denied_internal_affairs": "（三）5.属于三类内部事务信息",
    "denied_process_info": "（三）6.属于四类过程性信息",
    "denied_enforcement_file": "（三）7.属于行政执法案卷",
    "denied_inquiry": "（三）8.属于行政查询事项",
    "unavailable_not_held": "（四）1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "（四）2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）3.补正后申请内容仍不明确",
    "not_processed_petition": "（五）1.信访举报投诉类申请",
    "not_processed_duplicate": "（五）2.重复申请",
    "not_processed_publication": "（五）3.要求提供公开出版物",
    "not_processed_mass_repeat": "（五）4.无正当理由大量反复申请",
    "not_processed_confirmation": "（五）5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other_no_correction": "（六）1.申请人无正当理由逾期不补正",
    "other_no_fee": "（六）2.申请人逾期未按收费通知要求缴纳费用",
    "other_misc": "（六）3.其他",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

T3_OUTCOME_ROWS = (
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_three_safeties",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_inquiry",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_mass_repeat",
    "not_processed_confirmation",
)
T3_OTHER_ROWS = {"2019": ("other",), "2021": ("other_no_correction", "other_no_fee", "other_misc")}

T4_ROWS = ("review", "litigation_direct", "litigation_after_review")
T4_ROW_LABELS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_COL_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


def canonical_cells(layout):
    """Every (table, row, col) of a layout, in the order of the official tables."""
    cells = [("t2", row, col) for row, cols in T2_COLUMNS[layout].items() for col in cols]
    t3_rows = (
        ("new_received", "carried_over")
        + T3_OUTCOME_ROWS
        + T3_OTHER_ROWS[layout]
        + ("total_processed", "carried_forward")
    )
    cells += [("t3", row, col) for row in t3_rows for col in T3_COLUMNS]
    cells += [("t4", row, col) for row in T4_ROWS for col in T4_COLUMNS]
    return cells


def cell_label(table, row, col):
    """A Chinese label for one canonical cell, e.g. '表三 自然人 （一）予以公开'."""
    if table == "t2":
        return f"表二 {T2_ROW_LABELS[row]} {T2_COL_LABELS[col]}"
    if table == "t3":
        return f"表三 {T3_ROW_LABELS[row]} {T3_COL_LABELS[col]}"
    return f"表四 {T4_ROW_LABELS[row]} {T4_COL_LABELS[col]}"
