"""Synthetic annual reports in the official table format, with numbers that satisfy every
identity of tables.md. Used by the bundled sample portal and the benchmarks."""

import html

from extractors import keys

T3_HEADER = (
    '<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
    '<td colspan="7">申请人情况</td></tr>'
    '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>'
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)
T3_GROUPS = (  # (group label, [(row key, sub label)])
    ("（三）不予公开", [(k, keys.T3_ROW_LABELS[k][3:]) for k in keys.T3_OUTCOME_ROWS[2:10]]),
    ("（四）无法提供", [(k, keys.T3_ROW_LABELS[k][3:]) for k in keys.T3_OUTCOME_ROWS[10:13]]),
    ("（五）不予处理", [(k, keys.T3_ROW_LABELS[k][3:]) for k in keys.T3_OUTCOME_ROWS[13:18]]),
)
T3_OTHER_2021 = (
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
)
T2_BLOCKS = {
    "2019": (
        (
            "第二十条第（一）项",
            ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
            ("regulations", "normative_docs"),
        ),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("licensing", "other_services")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("penalty", "coercion")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("fees",)),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("procurement",)),
    ),
    "2021": (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("regulations", "normative_docs")),
        ("第二十条第（五）项", ("本年处理决定数量",), ("licensing",)),
        ("第二十条第（六）项", ("本年处理决定数量",), ("penalty", "coercion")),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("fees",)),
    ),
}
T2_ROW_NAMES = {"2019": {"normative_docs": "规范性文件"}, "2021": {"normative_docs": "行政规范性文件"}}


def make_facts(layout, rng):
    """{(table, row, col): value} for one report, every identity holding."""
    facts = {}
    for row, cols in keys.T2_COLUMNS[layout].items():
        for col in cols:
            if col == "amount":
                facts[("t2", row, col)] = round(rng.uniform(0, 500), 2)
            else:
                facts[("t2", row, col)] = rng.randint(0, 60)
        if "change" in cols:  # items after the change are never negative
            prev = facts[("t2", row, "prev_items")]
            facts[("t2", row, "change")] = rng.randint(-min(5, prev), 5)
        if "new_published" in cols:  # this year's publications are part of all publications
            facts[("t2", row, "total_published")] += facts[("t2", row, "new_published")]
    outcome_rows = keys.T3_OUTCOME_ROWS + keys.T3_OTHER_ROWS[layout]
    for col in keys.T3_COLUMNS[:-1]:
        scale = 40 if col == "natural_person" else 4
        new, old = rng.randint(0, scale), rng.randint(0, 2)
        outcomes = {row: 0 for row in outcome_rows}
        remaining = new + old
        forward = rng.randint(0, min(2, remaining))
        for _ in range(remaining - forward):
            row = rng.choice(("granted",) * 6 + outcome_rows)
            outcomes[row] += 1
        facts[("t3", "new_received", col)] = new
        facts[("t3", "carried_over", col)] = old
        for row, count in outcomes.items():
            facts[("t3", row, col)] = count
        facts[("t3", "total_processed", col)] = remaining - forward
        facts[("t3", "carried_forward", col)] = forward
    for row in ("new_received", "carried_over") + outcome_rows + ("total_processed", "carried_forward"):
        facts[("t3", row, "total")] = sum(facts[("t3", row, c)] for c in keys.T3_COLUMNS[:-1])
    for row in keys.T4_ROWS:
        parts = [rng.randint(0, 3) for _ in range(4)]
        for col, value in zip(keys.T4_COLUMNS, parts + [sum(parts)]):
            facts[("t4", row, col)] = value
    return facts


def _td(text, rowspan=1, colspan=1):
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{html.escape(str(text))}</td>"


def fmt(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def t2_html(layout, facts):
    rows = []
    for block, headers, row_keys in T2_BLOCKS[layout]:
        rows.append("<tr>" + _td(block, colspan=4) + "</tr>")
        pad = [_td("")] * (3 - len(headers))
        rows.append("<tr>" + _td("信息内容") + "".join(_td(h) for h in headers) + "".join(pad) + "</tr>")
        for row in row_keys:
            name = T2_ROW_NAMES[layout].get(row, keys.T2_ROW_LABELS[row])
            values = [_td(fmt(facts[("t2", row, col)])) for col in keys.T2_COLUMNS[layout][row]]
            rows.append("<tr>" + _td(name) + "".join(values) + "".join(pad) + "</tr>")
    return '<table border="1" cellspacing="0">' + "".join(rows) + "</table>"


def t3_html(layout, facts):
    def values(row):
        return "".join(_td(facts[("t3", row, col)]) for col in keys.T3_COLUMNS)

    other = T3_OTHER_2021 if layout == "2021" else (("other", None),)
    result_rows = 2 + sum(len(group) for _, group in T3_GROUPS) + len(other) + 1
    rows = [T3_HEADER]
    rows.append("<tr>" + _td(keys.T3_ROW_LABELS["new_received"], colspan=3) + values("new_received") + "</tr>")
    rows.append("<tr>" + _td(keys.T3_ROW_LABELS["carried_over"], colspan=3) + values("carried_over") + "</tr>")
    rows.append(
        "<tr>"
        + _td("三、本年度办理结果", rowspan=result_rows)
        + _td("（一）予以公开", colspan=2)
        + values("granted")
        + "</tr>"
    )
    rows.append(
        "<tr>"
        + _td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2)
        + values("partially_granted")
        + "</tr>"
    )
    for group, members in T3_GROUPS:
        for i, (row, label) in enumerate(members):
            head = _td(group, rowspan=len(members)) if i == 0 else ""
            rows.append("<tr>" + head + _td(label) + values(row) + "</tr>")
    if layout == "2021":
        for i, (row, label) in enumerate(other):
            head = _td("（六）其他处理", rowspan=len(other)) if i == 0 else ""
            rows.append("<tr>" + head + _td(label) + values(row) + "</tr>")
    else:
        rows.append("<tr>" + _td("（六）其他处理", colspan=2) + values("other") + "</tr>")
    rows.append("<tr>" + _td("（七）总计", colspan=2) + values("total_processed") + "</tr>")
    rows.append("<tr>" + _td(keys.T3_ROW_LABELS["carried_forward"], colspan=3) + values("carried_forward") + "</tr>")
    return '<table border="1" cellspacing="0">' + "".join(rows) + "</table>"


def t4_html(facts):
    heads = "".join(_td(keys.T4_COL_LABELS[c]) for c in keys.T4_COLUMNS)
    rows = [
        "<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>",
        "<tr>"
        + "".join(_td(keys.T4_COL_LABELS[c], rowspan=2) for c in keys.T4_COLUMNS)
        + _td("未经复议直接起诉", colspan=5)
        + _td("复议后起诉", colspan=5)
        + "</tr>",
        "<tr>" + heads + heads + "</tr>",
        "<tr>" + "".join(_td(facts[("t4", r, c)]) for r in keys.T4_ROWS for c in keys.T4_COLUMNS) + "</tr>",
    ]
    return '<table border="1" cellspacing="0">' + "".join(rows) + "</table>"


def report_body(agency, year, layout, facts, signed):
    """The article HTML of one report: six parts, the three tables, signature and date
    (signed: 'YYYY-MM-DD')."""
    sign_year, sign_month, sign_day = (int(part) for part in signed.split("-"))
    received = facts[("t3", "new_received", "total")]
    parts = [
        f"<p>本报告根据《中华人民共和国政府信息公开条例》编制，由{agency}负责。本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。</p>",
        "<p><strong>一、总体情况</strong></p>",
        f"<p>{year}年，{agency}认真贯彻落实政务公开工作要求，全年收到政府信息公开申请{received}件，均在法定期限内答复。</p>",
        "<p><strong>二、主动公开政府信息情况</strong></p>",
        t2_html(layout, facts),
        "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>",
        t3_html(layout, facts),
        "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>",
        t4_html(facts),
        "<p><strong>五、存在的主要问题及改进情况</strong></p>",
        "<p>政务公开的深度和广度仍需拓展，下一步将加强培训，规范公开程序。</p>",
        "<p><strong>六、其他需要报告的事项</strong></p>",
        f"<p>{year}年度未收取信息处理费。</p>",
        f'<p style="text-align:right">{agency}</p>',
        f'<p style="text-align:right">{sign_year}年{sign_month}月{sign_day}日</p>',
    ]
    return "\n".join(parts)


def rng_day(agency, year):
    """A stable day in January for a synthetic report's publication."""
    return 5 + sum(map(ord, agency + str(year))) % 20
