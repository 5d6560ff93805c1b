"""Never a guessed number (issue 18): a row that cannot be placed without assuming which
column is empty gets no facts and a misaligned_row finding; cut 表四 labels and blank rows
under a header with an extra empty column are read; text_versus_table compares only what
the text quotes about the reporting body as a whole. Fixtures: scripts/build_quirk_corpus.py."""

import pytest
from helpers import DOCUMENTS

from extractors.checks import run_checks
from extractors.report import extract_document
from extractors.tables import Table, map_tables

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it


def extract(name):
    return extract_document((DOCUMENTS / name).read_bytes(), name=name)


def facts_of(result):
    return {(f["table"], f["row"], f["col"]): f for f in result["facts"]}


def test_a_flattened_row_that_lost_a_cell_gets_no_facts_and_a_finding():
    result = extract("quirk_row_lost_a_cell.txt")
    assert not [key for key in facts_of(result) if key[:2] == ("t2", "regulations")]
    findings = [c for c in result["checks"] if c["rule"] == "misaligned_row"]
    assert [c["status"] for c in findings] == ["fail"]
    assert findings[0]["detail"].startswith("t2 regulations: 2 cells for 3 columns")
    assert facts_of(result)[("t2", "normative_docs", "in_force")]["value"] == 10


def test_pipes_closing_a_flattened_row_make_no_cells():
    rows = ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "| 规章 | 22 | 235 |", "行政许可 | 4 | ||"]
    from extractors.text import read_text

    blocks, _ = read_text("\n".join(rows).encode())
    assert blocks[0].rows[1:] == [["规章", "22", "235"], ["行政许可", "4", "", ""]]
    mapping = map_tables(blocks, "2021")
    assert set(mapping.facts) == {("t2", "licensing", "decisions")}
    assert [rule for rule, _ in mapping.problems] == ["misaligned_row"]


def test_cut_table_4_column_labels_under_a_flat_table_3_header_are_read():
    result = extract("quirk_cut_t4_labels.html")
    assert len([key for key in facts_of(result) if key[0] == "t4"]) == 15
    assert result["missing_tables"] == []


def test_a_blank_row_under_a_header_ending_in_an_empty_column_is_read_as_zeros():
    result = extract("quirk_blank_row_ragged_header.html")
    fees = {key[2]: f for key, f in facts_of(result).items() if key[:2] == ("t2", "fees")}
    assert {col: (f["value"], f["flags"]) for col, f in fees.items()} == {
        "prev_items": (0, ["blank"]),
        "change": (0, ["blank"]),
    }


def test_a_blank_row_wider_than_its_header_stays_unread():
    rows = [["信息内容", "上一年项目数量", "本年增/减", ""], ["行政事业性收费", "", "", "", ""]]
    assert map_tables([Table(rows=rows)], "2019").facts == {}


def test_a_quote_about_one_office_is_not_compared_with_the_whole_governments_table():
    result = extract("quirk_text_quotes_one_office.html")
    check = next(c for c in result["checks"] if c["rule"] == "text_versus_table")
    assert check["status"] == "not_assessable" and "part of the body" in check["detail"]


def text_check(text, agency):
    values = {("t3", "new_received", "total"): 95, ("t3", "carried_over", "total"): 0}
    return next(c for c in run_checks(values, "2021", text, agency) if c["rule"] == "text_versus_table")["status"]


def test_who_the_quote_is_about_decides_whether_it_is_compared():
    office = "区政府办代表区政府受理政府信息公开申请 17 件。"
    assert text_check(office, "示例区人民政府") == "not_assessable"
    assert text_check("其中，区政府办受理政府信息公开申请17件。", "示例区人民政府") == "not_assessable"
    # the body itself, however the text names it, is compared
    assert text_check("2022年，我局共收到政府信息公开申请17件。", "示例区人民政府") == "fail"
    assert text_check("全区共受理政府信息公开申请95件。", "示例区人民政府") == "pass"
    assert text_check("区政府办代表区政府受理政府信息公开申请95件。", "示例区人民政府办公室") == "pass"
    assert text_check("区政府办代表区政府受理政府信息公开申请17件。", "示例区人民政府办公室") == "fail"
