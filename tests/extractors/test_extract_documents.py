"""Extraction goldens, one per fixture document and format (HTML, GBK HTML, PDF from
LibreOffice, Chromium and WPS, DOCX, flattened text). Goldens were generated once, checked
cell by cell against the corpus ground truth, and frozen."""

import functools

import pytest
from helpers import DOCUMENTS, golden_summary, load_json

from extractors.report import extract_document

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

DOCS = sorted(p for p in DOCUMENTS.iterdir() if not p.name.endswith(".json"))
TRUTHS = sorted(DOCUMENTS.glob("*.truth.json"))


def cases(paths, name=lambda path: path.name):
    """One parameter per document; a Word 97 .doc is read through LibreOffice (seconds each):
    marked `soffice`, so make test-fast leaves it to the full suite."""
    return [
        pytest.param(path, id=name(path), marks=[pytest.mark.soffice] if name(path).endswith(".doc") else [])
        for path in paths
    ]


@functools.cache
def extracted(path):
    """The extraction of one fixture document, read once for the golden and the truth test."""
    return extract_document(path.read_bytes(), name=path.name)


@pytest.mark.parametrize("path", cases(DOCS))
def test_extraction_matches_golden(path):
    golden = path.with_name(path.name + ".expected.json")
    assert golden.exists(), f"no golden for {path.name}: run tests/make_goldens.py, review, commit"
    assert golden_summary(extracted(path)) == load_json(golden)


@pytest.mark.parametrize("truth_path", cases(TRUTHS, lambda p: p.name[: -len(".truth.json")]))
def test_every_cell_matches_the_truth(truth_path):
    """Truth files come from the numbers a document was built from, or from the corpus's
    ground-truth cell grids, or from a hand check: never from this extractor."""
    truth = load_json(truth_path)
    path = truth_path.with_name(truth_path.name[: -len(".truth.json")])
    result = extracted(path)
    expected = {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}
    got = {k: f["value"] for k, f in facts_of(result).items()}
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(v, abs=1e-9) for k, v in expected.items())
    assert result["layout"] == truth["layout"]


def facts_of(result):
    return {(f["table"], f["row"], f["col"]): f for f in result["facts"]}


def test_real_wps_pdf_matches_hand_checked_truth():
    truth = load_json(DOCUMENTS / "wps_hongze_2023.pdf.truth.json")
    result = extract_document((DOCUMENTS / "wps_hongze_2023.pdf").read_bytes(), name="x.pdf")
    expected = {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}
    assert {k: f["value"] for k, f in facts_of(result).items()} == expected
    assert result["layout"] == truth["layout"] and result["year"] == truth["year"]
    failing = {c["rule"]: c["detail"] for c in result["checks"] if c["status"] == "fail"}
    # The printed 表四 totals are 0 while their parts add to 11 and 5: stored as printed, flagged.
    assert set(failing) == {"t4_row_totals"}
    assert "review: 10 + 1 + 0 + 0 = 11, total printed 0" in failing["t4_row_totals"]
    assert "litigation_after_review: 5 + 0 + 0 + 0 = 5, total printed 0" in failing["t4_row_totals"]
    assert facts_of(result)[("t4", "review", "total")]["value"] == 0


def seed(name):
    path = next(DOCUMENTS.glob(f"seed_{name}_*.txt"))
    return extract_document(path.read_bytes(), name=path.name)


def test_seed_001_values_and_missing_table_4():
    result = seed("001")
    facts = facts_of(result)
    assert facts[("t2", "other_services", "prev_items")]["value"] == 71
    assert facts[("t2", "other_services", "change")]["value"] == -13
    assert facts[("t2", "other_services", "change")]["raw"] == "-13"
    assert facts[("t2", "licensing", "prev_items")]["value"] == 1
    assert facts[("t2", "penalty", "prev_items")]["value"] == 45
    assert all(f["value"] == 0 for k, f in facts.items() if k[0] == "t3")
    assert result["missing_tables"] == ["t4"]
    assert {"rule": "tables_found", "status": "fail", "detail": "no cells read for t4"} in result["checks"]
    assert result["agency"] == "泉州市洛江区财政局"
    assert result["published"] == "2021-01-06"


def test_seed_002_money_with_unit():
    fact = facts_of(seed("002"))[("t2", "procurement", "amount")]
    assert (fact["value"], fact["raw"]) == (24, "24万")
    assert facts_of(seed("002"))[("t2", "procurement", "projects")]["value"] == 1


@pytest.mark.parametrize(
    "name,layout", [("000", "2019"), ("001", "2019"), ("002", "2019"), ("003", None), ("004", "2021")]
)
def test_seed_layouts(name, layout):
    assert seed(name)["layout"] == layout


def test_seed_003_has_no_tables_and_says_so():
    result = seed("003")
    assert result["facts"] == [] and result["missing_tables"] == ["t2", "t3", "t4"]


CHROME_MARKERS = [
    "无障碍浏览",
    "长者模式",
    "网站标识码",
    "ICP备",
    "公网安备",
    "当前位置",
    "打印本页",
    "关闭窗口",
    "相关文章",
    "分享到",
    "主办单位",
    "索引号",
    "扫一扫在手机打开当前页",
]


@pytest.mark.parametrize(
    "name", ["trs_gbk_doc000.html", "hanweb_doc001.html", "ucap_gbk_doc003.html", "gkml_doc004.html"]
)
def test_html_page_chrome_does_not_leak_into_text(name):
    result = extract_document((DOCUMENTS / name).read_bytes(), name=name)
    leaked = [m for m in CHROME_MARKERS if m in result["text"]]
    assert leaked == []
    assert result["sections"]["overview"] and result["sections"]["problems"]


def test_unreadable_file_raises_document_error():
    from extractors.report import DocumentError

    with pytest.raises(DocumentError):
        extract_document(b"%PDF-1.7\n this is not a pdf at all", name="broken.pdf")


def test_html_container_read_in_one_pass():
    """The container is read by one XSLT pass: paragraphs split at blocks and <br>, scripts,
    styles and comments dropped, layout tables read as text, data tables cell by cell with
    whitespace folded; the pass's separator characters are stripped from the page first."""
    from extractors.html import LINE, read_html
    from extractors.tables import Table

    rows = "".join(f"<tr><td> 行政&nbsp;许可{i}\n</td><td>{i}</td><th>x</th></tr>" for i in range(3))
    page = (
        f"<html><body><div class='TRS_Editor'><p>一、总体情况<br/>收到申请{LINE}3件</p>"
        "<script>var x = 1;</script><style>p {}</style><!-- 注释 -->"
        f"<table><tr><td>布局<table>{rows}</table></td><td>右栏</td></tr></table>"
        "<p>二、主动公开</p></div></body></html>"
    )
    blocks, _ = read_html(page.encode())
    assert blocks == [
        "一、总体情况",
        "收到申请3件",
        "布局",
        Table(rows=[["行政 许可0", "0", "x"], ["行政 许可1", "1", "x"], ["行政 许可2", "2", "x"]]),
        "右栏",
        "二、主动公开",
    ]


def test_html_huge_table_is_cut_and_flagged():
    from extractors.html import MAX_TABLE_ROWS, read_html

    rows = "<tr><td>a</td><td>1</td></tr>" * (MAX_TABLE_ROWS + 5)
    blocks, meta = read_html(
        f"<html><body><div id='zoom'><p>正文</p><table>{rows}</table></div></body></html>".encode()
    )
    table = blocks[1]
    assert len(table.rows) == MAX_TABLE_ROWS and table.truncated_from == MAX_TABLE_ROWS + 5
    assert [kind for kind, _ in meta["warnings"]] == ["table_truncated"]


def test_real_html_report_unseen_before_matches_hand_checked_truth():
    """A real 2019-layout report (上海市人民政府办公厅), its article body as the CMS stored it,
    run only after the extractor was written: every cell right (test_every_cell_matches_the_truth),
    and what the source prints wrong is flagged, not fixed."""
    result = extract_document((DOCUMENTS / "real_shanghai_2019.html").read_bytes(), name="x.html")
    assert (result["agency"], result["year"], result["layout"], result["published"]) == (
        "上海市人民政府办公厅",
        2019,
        "2019",
        "2020-01-31",
    )
    # An article body on its own: read in document order, each table in its own section.
    assert all(result["sections"].values())
    assert "规章\t13\t13\t524" in result["sections"]["proactive"]
    assert "结果维持" in result["sections"]["appeals"] and "结果维持" not in result["sections"]["requests"]
    # Rows printed all blank are 0s flagged blank; 251000元 is 25.1 万元.
    facts = facts_of(result)
    assert facts[("t3", "denied_third_party", "natural_person")]["flags"] == ["blank"]
    assert facts[("t2", "procurement", "amount")]["value"] == pytest.approx(25.1)
    # The source leaves the 总计 column blank in every outcome row: flagged as printed.
    failing = {c["rule"]: c["detail"] for c in result["checks"] if c["status"] == "fail"}
    assert set(failing) == {"t3_outcomes_sum", "t3_row_totals"}
    assert failing["t3_outcomes_sum"] == "total: outcomes add up to 0, total_processed printed 805"
    assert "granted: 258 + 12 + 0 + 0 + 1 + 1 = 272, total printed 0" in failing["t3_row_totals"]


def test_blank_rows_are_zeros_only_when_surely_data_rows():
    """A labelled row of exactly as many blank cells as columns is read as 0s; a header
    whose spanned cells are empty, an unlabelled blank row, or a blank row of the wrong
    width stores nothing and reports nothing."""
    from extractors import keys
    from extractors.tables import Table, map_tables

    blank = [""] * 7
    rows = [
        ["自然人", "法人或其他组织", "总计", *blank],  # a header's empty spans, flattened
        ["（七）总计", *blank],  # a data row with nothing to count
        ["2.重复申请", "", ""],  # blank, but not as wide as its columns
        blank,
    ]
    mapping = map_tables([Table(rows=rows)], "2019")
    assert {key for key in mapping.facts} == {("t3", "total_processed", col) for col in keys.T3_COLUMNS}
    assert all(fact["value"] == 0 and fact["flags"] == ["blank"] for fact in mapping.facts.values())
    assert mapping.problems == []


def test_unknown_template_keeps_each_table_in_its_section():
    """A whole page with no known container: trafilatura gives the prose, and each table goes
    after the line that precedes it in the page, not to the end of the text."""
    para = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作，回应社会关切。" * 3
    rows = "".join(f"<tr><td>{label}</td><td>1</td><td>2</td><td>3</td></tr>" for label in ("规章", "规范性文件"))
    page = (
        "<html><head><title>示例局2022年政府信息公开工作年度报告</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/xxgk/'>信息公开</a></div><div class='main-text'>"
        f"<p>一、总体情况</p><p>{para}</p><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
        f"<td>现行有效件数</td></tr>{rows}</table><p>三、收到和处理政府信息公开申请情况</p><p>{para}</p></div>"
        "<div class='footer'>版权所有 示例局</div></body></html>"
    )
    result = extract_document(page.encode(), name="x.html")
    assert "规章\t1\t2\t3" in result["sections"]["proactive"]
    assert "规章" not in result["sections"]["requests"]
    assert len(result["facts"]) == 6
