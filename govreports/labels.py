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
    },
    "layout": {
        "2019": "2019年版表格",
        "2021": "2021年版表格",
        "legacy": "旧版（2019年以前）",
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
