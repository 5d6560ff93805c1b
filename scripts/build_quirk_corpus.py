"""Build the quirk documents of the extraction corpus (tests/fixtures/documents/quirk_*),
each with a truth file written from the numbers it was built from, not from an extractor.

Every document applies the quirks tables.md lists as seen in the wild to a synthetic report
of known numbers: spaced, cut, misspelled and annotated labels, blank and dash cells, only the
total column filled or the total column blank, an extra row, a table split in two, money with
units, a negative count, cells run together; PDFs printed by Chromium (landscape, header rows
repeated after a page break, spaces between CJK characters in the text layer).

    python scripts/build_quirk_corpus.py        # needs playwright + Debian's chromium for the PDFs
"""

import html
import json
import random
import re
from pathlib import Path

from extractors import keys
from fixturekit import synthetic

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "documents"
CHROMIUM = "/usr/bin/chromium"


def page(title, body, charset="utf-8", container='class="TRS_Editor"'):
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
        f'<meta name="ArticleTitle" content="{title}" /><title>{title}</title></head>'
        f"<body><div {container}><p>{title}</p>{body}</div></body></html>"
    )


def report(agency, year, seed, overrides=None):
    layout = "2021" if year >= 2021 else "2019"
    facts = synthetic.make_facts(layout, random.Random(seed))
    facts.update(overrides or {})
    title = f"{agency}{year}年政府信息公开工作年度报告"
    return title, layout, facts, synthetic.report_body(agency, year, layout, facts, f"{year + 1}-01-22")


def write(name, data, layout, facts, note):
    path = OUT / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    truth = {
        "layout": layout,
        "note": note,
        "facts": [{"table": t, "row": r, "col": c, "value": v} for (t, r, c), v in sorted(facts.items())],
    }
    path.with_name(name + ".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    print("wrote", name, len(facts), "facts")


def spaced(label):
    return " ".join(label)


def build_html():
    # spaced labels and instructions inside labels, GBK bytes
    title, layout, facts, body = report("示例县水利局", 2020, 1)
    for label in ("自然人", "商业企业", "科研机构", "本年新收政府信息公开申请数量", "三、本年度办理结果", "总计"):
        body = body.replace(f">{label}<", f">{spaced(label)}<")
    body = body.replace(">上一年项目数量<", ">上一年项目数量(指2019年事项数)<", 1)
    write(
        "quirk_spaced_labels_gbk.html",
        page(title, body, "gb2312").encode("gb18030"),
        layout,
        facts,
        "labels spaced out, instructions in a header, GBK declared as gb2312",
    )

    # blank, &nbsp;, -, —, / for zero cells
    title, layout, facts, body = report("示例县农业农村局", 2022, 2)
    marks = iter(["", "&nbsp;", "-", "—", "/"] * 200)
    body = re.sub(r"<td>0</td>", lambda m: f"<td>{next(marks)}</td>", body)
    write(
        "quirk_blank_and_dash_cells.html",
        page(title, body),
        layout,
        facts,
        "every 0 printed as blank, &nbsp;, -, — or /",
    )

    # only the total column of 表三 filled
    title, layout, facts, body = report("示例县司法局", 2020, 3)
    for row in {r for (t, r, c) in facts if t == "t3"}:
        for col in keys.T3_COLUMNS[:-1]:
            facts[("t3", row, col)] = 0
    body = synthetic.report_body("示例县司法局", 2020, layout, facts, "2021-01-22")
    body = re.sub(
        r"(<tr>(?:<td[^>]*>[^<]*</td>)+?)((?:<td>0</td>){6})(<td>\d+</td></tr>)",
        lambda m: m.group(1) + "<td></td>" * 6 + m.group(3),
        body,
    )
    write(
        "quirk_only_total_column.html",
        page(title, body),
        layout,
        facts,
        "表三: only the 总计 column filled, the applicant columns left blank",
    )

    # 表三 total column left blank (printed blank = 0, the row-total identity then fails)
    title, layout, facts, body = report("示例县统计局", 2022, 4)
    rows = re.findall(r"<tr>.*?</tr>", synthetic.t3_html(layout, facts))
    blanked = synthetic.t3_html(layout, facts)
    for tr in rows[3:]:
        blanked = blanked.replace(tr, re.sub(r"<td>\d+</td></tr>$", "<td></td></tr>", tr), 1)
    body = body.replace(synthetic.t3_html(layout, facts), blanked)
    for row in {r for (t, r, c) in facts if t == "t3"}:
        facts[("t3", row, "total")] = 0
    write(
        "quirk_total_column_blank.html",
        page(title, body),
        layout,
        facts,
        "表三: the 总计 column left blank (stored as 0 and flagged by the row-total check)",
    )

    # cut and misspelled headers (商业, 结果, 尚未结果, 行政起诉), Hanweb-style container
    title, layout, facts, body = report("示例县审计局", 2021, 5)
    body = (
        body.replace(">商业企业<", ">商业<")
        .replace(">科研机构<", ">科研<")
        .replace(">结果维持<", ">结果<")
        .replace(">尚未审结<", ">尚未结果<")
        .replace(">行政诉讼<", ">行政起诉<")
    )
    write(
        "quirk_cut_and_misspelled_labels.html",
        page(title, body, container='id="zoom"'),
        layout,
        facts,
        "headers cut (商业, 科研, 结果) and misspelled (尚未结果, 行政起诉)",
    )

    # an extra row in 表二 and money with units
    title, layout, facts, body = report(
        "示例县发展和改革局", 2020, 6, {("t2", "procurement", "amount"): 279.22208, ("t2", "licensing", "change"): 3}
    )
    body = body.replace(f"<td>{synthetic.fmt(279.22208)}</td>", "<td>2792220.8元</td>")
    body = re.sub(r"(<tr><td>行政许可</td><td>\d+</td>)<td>3</td>", r"\1<td>+3</td>", body)
    body = body.replace(
        '<tr><td colspan="4">第二十条第（五）项</td>',
        '<tr><td>其他主动公开文件</td><td>5</td><td>5</td><td>5</td></tr><tr><td colspan="4">第二十条第（五）项</td>',
        1,
    )
    write(
        "quirk_extra_row_and_money_units.html",
        page(title, body),
        layout,
        facts,
        "an extra 表二 row (其他主动公开文件), 采购总金额 as 2792220.8元 (= 279.22208 万元), 本年增/减 as +3",
    )

    # 表三 split into two <table>s, UTF-8, UCAP container
    title, layout, facts, body = report("示例县林业局", 2019, 7)
    t3 = synthetic.t3_html(layout, facts)
    cut = t3.index('<tr><td rowspan="3">（四）无法提供</td>')
    split = (
        t3[:cut]
        + '</table><p>（续表）</p><table border="1">'
        + t3[cut:].replace('rowspan="3">（四）', 'rowspan="3">（四）')
    )
    body = body.replace(t3, split)
    write(
        "quirk_split_table.html",
        page(title, body, container='id="UCAP-CONTENT"'),
        layout,
        facts,
        "表三 continued in a second <table> after （续表）",
    )

    # a negative count: refused into a flag, every other cell kept
    title, layout, facts, body = report("示例县档案局", 2022, 8)
    value = facts[("t3", "carried_over", "natural_person")]
    rows = re.findall(r"<tr>.*?</tr>", body)
    carried = next(r for r in rows if "上年结转" in r)
    body = body.replace(
        carried,
        carried.replace(
            f'colspan="3">{keys.T3_ROW_LABELS["carried_over"]}</td><td>{value}</td>',
            f'colspan="3">{keys.T3_ROW_LABELS["carried_over"]}</td><td>-2</td>',
        ),
    )
    del facts[("t3", "carried_over", "natural_person")]
    write(
        "quirk_negative_count.html",
        page(title, body),
        layout,
        facts,
        "表三 上年结转 自然人 printed as -2: no fact, a cell_value finding",
    )

    # header and body spans that do not line up: the header's label block is 2 wide, rows use 3
    title, layout, facts, body = report("示例县科学技术局", 2021, 9)
    body = body.replace(
        '<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>',
        '<tr><td rowspan="3" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>',
    )
    write(
        "quirk_misaligned_spans.html",
        page(title, body),
        layout,
        facts,
        "表三 header label block spans 2 columns, body labels span 3",
    )

    # the text quotes another number of requests than 表三
    title, layout, facts, body = report("示例县退役军人事务局", 2022, 14)
    received = facts[("t3", "new_received", "total")]
    body = body.replace(f"全年收到政府信息公开申请{received}件", f"全年收到政府信息公开申请{received + 7}件")
    write(
        "quirk_text_disagrees_with_table.html",
        page(title, body),
        layout,
        facts,
        f"总体情况 says {received + 7} requests, 表三 says {received}: text_versus_table fails",
    )

    # a free-form report of the years before the unified tables: text, no facts
    legacy = (
        "<p><strong>一、概述</strong></p><p>2017年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。</p>"
        "<p><strong>二、主动公开政府信息情况</strong></p><p>全年主动公开政府信息156条。</p>"
        "<p><strong>三、依申请公开政府信息情况</strong></p><p>全年受理依申请公开政府信息情况5件，均已按期答复。</p>"
        "<p><strong>四、政府信息公开的收费及减免情况</strong></p><p>未收取任何费用。</p>"
        "<p><strong>五、因政府信息公开申请行政复议、提起行政诉讼的情况</strong></p><p>无。</p>"
        "<p><strong>六、存在的主要问题及改进措施</strong></p><p>公开的及时性有待提高。</p>"
    )
    write(
        "quirk_legacy_2017.html",
        page("示例县民政局2017年政府信息公开工作年度报告", legacy),
        "legacy",
        {},
        "a free-form report of 2017: layout legacy, stored as text, no facts",
    )


def markdown(body):
    """The report as a CMS's text export prints it: paragraphs as lines, each table row as
    "| cell | cell |" (anchor cells only, as the HTML has them)."""
    lines = []
    for part in re.split(r"(<table.*?</table>)", body, flags=re.S):
        if part.startswith("<table"):
            for tr in re.findall(r"<tr>(.*?)</tr>", part):
                cells = [html.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
                lines.append("| " + " | ".join(cells) + " |")
        else:
            lines += [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in part.split("\n") if line.strip()]
    return "\n".join(lines) + "\n"


def build_never_guess():
    """Rows and quotes that can only be read by assuming something: never guessed."""
    # a flattened row that lost one of its three cells: which one is unknowable
    title, layout, facts, body = report("示例县教育局", 2022, 15)
    regulations = [facts.pop(("t2", "regulations", col)) for col in keys.T2_COLUMNS[layout]["regulations"]]
    text = markdown(body).replace(
        "| 规章 | " + " | ".join(map(str, regulations)) + " |", f"| 规章 | {regulations[0]} | {regulations[2]} |"
    )
    write(
        "quirk_row_lost_a_cell.txt",
        title + "\n" + text,
        layout,
        facts,
        "表二 规章 flattened with two of its three cells: no facts for it, a misaligned_row finding",
    )

    # 表四 column labels cut to 结果 / 其他 / 尚未 (no group row), after a 表三 with a one-row header
    title, layout, facts, body = report("示例县人力资源和社会保障局", 2021, 16)
    flat_header = (
        '<tr><td colspan="3">申请人情况</td>'
        + "".join(f"<td>{keys.T3_COL_LABELS[col]}</td>" for col in keys.T3_COLUMNS)
        + "</tr>"
    )
    body = body.replace(synthetic.T3_HEADER, flat_header)
    cut = "".join(f"<td>{label}</td>" for label in ("结果", "结果", "其他", "尚未", "总计")) * 3
    t4 = synthetic.t4_html(facts)
    rows = re.findall(r"<tr>.*?</tr>", t4)
    body = body.replace(t4, '<table border="1" cellspacing="0"><tr>' + cut + "</tr>" + rows[-1] + "</table>")
    write(
        "quirk_cut_t4_labels.html",
        page(title, body),
        layout,
        facts,
        "表三 header in one row; 表四 header only its column labels, cut to 结果/其他/尚未",
    )

    # a 2019 表二 行政事业性收费 row printed blank under a header that ends in an extra empty column
    title, layout, facts, body = report("示例县市场监督管理局", 2020, 17)
    fees = [facts[("t2", "fees", col)] for col in ("prev_items", "change")]
    body = body.replace(
        f"<tr><td>行政事业性收费</td><td>{fees[0]}</td><td>{fees[1]}</td><td></td></tr>",
        "<tr><td>行政事业性收费</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr>",
    )
    facts.update({("t2", "fees", "prev_items"): 0, ("t2", "fees", "change"): 0})
    write(
        "quirk_blank_row_ragged_header.html",
        page(title, body),
        layout,
        facts,
        "表二 行政事业性收费 printed as three &nbsp; cells under 上一年项目数量 / 本年增/减 / (empty): two 0s",
    )

    # the text quotes what one office handled, not the whole government the tables count
    title, layout, facts, body = report("示例区人民政府", 2022, 18)
    received = facts[("t3", "new_received", "total")]
    body = body.replace(
        f"全年收到政府信息公开申请{received}件", f"区政府办代表区政府受理政府信息公开申请 {received // 3} 件"
    )
    write(
        "quirk_text_quotes_one_office.html",
        page(title, body),
        layout,
        facts,
        f"the text quotes {received // 3} requests the 区政府办 handled; 表三 counts {received} for the whole government",
    )


def build_text():
    title, layout, facts, _ = report("示例县商务局", 2020, 10)
    lines = [
        title,
        "二、主动公开政府信息情况",
        "第二十条第（五）项",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
    ]
    lic = [facts[("t2", "licensing", c)] for c in ("prev_items", "change", "decisions")]
    lines.append("行政许可" + "".join(str(v) for v in lic))  # cells run together: unreadable, never guessed
    for row in ("other_services", "penalty", "coercion"):
        lines.append(
            keys.T2_ROW_LABELS[row] + "\t" + "\t".join(str(facts[("t2", row, c)]) for c in keys.T2_COLUMNS[layout][row])
        )
    for col in ("prev_items", "change", "decisions"):
        del facts[("t2", "licensing", col)]
    facts = {k: v for k, v in facts.items() if k[0] == "t2" and k[1] in ("other_services", "penalty", "coercion")}
    write(
        "quirk_cells_run_together.txt",
        "\n".join(lines) + "\n",
        layout,
        facts,
        "行政许可 row flattened without separators (行政许可…): not read, reported; other rows read",
    )


# Chromium stamps the time of the build: "/CreationDate (D:20261123104652+00'00')". A fixed
# date of the same length keeps every offset of the file and makes a rebuild byte-identical.
PDF_DATE_RE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}")


def fixed_dates(pdf):
    return PDF_DATE_RE.sub(lambda m: b"/" + m.group(1) + b" (D:20240101000000", pdf)


def build_pdfs():
    from playwright.sync_api import sync_playwright

    specs = []
    title, layout, facts, body = report("示例县交通运输局", 2021, 11)
    specs.append(("quirk_landscape.pdf", page(title, body), {"landscape": True}, layout, facts, "landscape A4"))
    title, layout, facts, body = report("示例县生态环境局", 2020, 12)
    body = body.replace(
        '<table border="1" cellspacing="0"><tr><td rowspan="3" colspan="3">',
        '<table border="1" cellspacing="0"><thead><tr><td rowspan="3" colspan="3">',
        1,
    )
    body = body.replace("<td>其他</td></tr>", "<td>其他</td></tr></thead><tbody>", 1)
    style = "<style>td{border:1px solid #000;padding:6px;font-size:15px} table{border-collapse:collapse}</style>"
    specs.append(
        (
            "quirk_repeated_header.pdf",
            style + page(title, body),
            {},
            layout,
            facts,
            "表三 header rows (<thead>) repeated on the page after the break",
        )
    )
    title, layout, facts, body = report("示例县住房保障局", 2022, 13)
    spaced_body = re.sub(
        r">([^<>]*[\u4e00-\u9fff][^<>]*)<",
        lambda m: ">" + (spaced(m.group(1)) if not re.search(r"\d", m.group(1)) else m.group(1)) + "<",
        body,
    )
    specs.append(
        (
            "quirk_spaced_text_layer.pdf",
            style + page(title, spaced_body),
            {},
            layout,
            facts,
            "spaces between CJK characters in the text layer",
        )
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        for name, html, options, layout, facts, note in specs:
            tab.set_content(html)
            write(name, fixed_dates(tab.pdf(format="A4", **options)), layout, facts, note)
        browser.close()


if __name__ == "__main__":
    build_html()
    build_never_guess()
    build_text()
    build_pdfs()
