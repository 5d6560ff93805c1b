"""How the pages show a stored value to a reader: the Chinese word for each canonical key.

The database, its JSON and its CSV keep the canonical keys (`county`, `pass`, `t4_row_totals`);
only what a page shows goes through `label`. A kind or value not listed here is shown as
stored, so a new key is never hidden, only untranslated.
"""

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
        "misaligned_row": "行无法对齐",
    },
    "layout": {
        "2019": "2019年版表格",
        "2021": "2021年版表格",
        "legacy": "旧版（2019年以前）",
    },
    # What each check rule checks, in a sentence (the report page; govreports/check_text.py)
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
}


def label(kind, value):
    """The Chinese word for `value` of `kind` ("level", "county" -> "县级"), else the value."""
    return LABELS.get(kind, {}).get(value, value)
