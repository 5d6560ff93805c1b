"""Text that other crawlers keep of a report page (issue 27): one cell per line, blank lines
between cells, lines ending in LF, CRLF, a bare CR or any mix; an empty cell leaves nothing,
or a line of NBSP where it held &nbsp;. The inputs are the fixture report pages (real and
rendered seeds, both layouts) re-flowed into that shape here, and every cell is compared with
the document's truth file (never with this extractor's output)."""

import itertools
import re

import lxml.html
import pytest
from helpers import DOCUMENTS, load_json

from extractors.report import extract_document

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

# The elements whose text a crawler takes as one line each; a td holding <p>s gives their lines.
LINE_ELEMENTS = {"title", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"}
LINE_ENDS = {"lf": ("\n",), "crlf": ("\r\n",), "cr": ("\r",), "mixed": ("\r\n", "\r", "\n", "\r\r\n")}


def page_lines(data, keep_nbsp=False):
    """The page's text, one line per innermost block element (each table cell among them)."""
    try:
        markup = data.decode("utf-8")
    except UnicodeDecodeError:
        markup = data.decode("gb18030")
    markup = re.sub(r"<meta[^>]*charset[^>]*>", "", markup, flags=re.I)
    root = lxml.html.fromstring(markup)
    for element in root.xpath("//script|//style"):
        element.drop_tree()
    lines = []
    for element in root.iter(*LINE_ELEMENTS):
        if any(inner.tag in LINE_ELEMENTS for inner in element.iterdescendants() if isinstance(inner.tag, str)):
            continue
        text = element.text_content()
        folded = " ".join(text.split())
        if folded or (keep_nbsp and "\u00a0" in text):
            lines.append(folded or "\u00a0")
    return lines


def flattened(lines, ends):
    """One line per cell or paragraph, a blank line after each, line ends taken in turn from ends."""
    end = itertools.cycle(ends)
    return "".join(f"{line}{next(end)}{next(end)}" for line in lines).encode()


def truth_of(name):
    truth = load_json(DOCUMENTS / f"{name}.truth.json")
    return truth["layout"], {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}


def facts_of(result):
    return {(f["table"], f["row"], f["col"]): f for f in result["facts"]}


PAGES = [
    "trs_gbk_doc000.html",  # 2019
    "hanweb_doc001.html",  # 2019, -13 in a signed column
    "trs_gbk_doc002.html",  # 2019, money with a unit
    "quirk_extra_row_and_money_units.html",  # 2019
    "ucap_gbk_doc003.html",  # 2021, every identity holds with non-zero numbers
    "gkml_doc004.html",  # 2021
    "quirk_cut_and_misspelled_labels.html",  # 2021
]


@pytest.mark.parametrize("ends", LINE_ENDS, ids=list(LINE_ENDS))
@pytest.mark.parametrize("name", PAGES)
def test_one_cell_per_line_with_blank_lines_reads_every_cell(name, ends):
    layout, expected = truth_of(name)
    text = flattened(page_lines((DOCUMENTS / name).read_bytes()), LINE_ENDS[ends])
    result = extract_document(text, name="report.txt")
    assert result["layout"] == layout
    assert {key: fact["value"] for key, fact in facts_of(result).items()} == pytest.approx(expected)
    assert not [c for c in result["checks"] if c["rule"] in ("misaligned_row", "cells_readable")]


def test_a_real_report_whose_empty_cells_left_nbsp_lines_is_read_where_cells_are_placed():
    """The Shanghai report leaves most cells of 表三 and 表四 empty (&nbsp;): kept as NBSP
    lines every row of 表二 and 表三 is whole; five of 表四's empty cells hold no &nbsp;, and
    its 10 values for 15 cells allow three readings: reported, not placed."""
    layout, expected = truth_of("real_shanghai_2019.html")
    lines = page_lines((DOCUMENTS / "real_shanghai_2019.html").read_bytes(), keep_nbsp=True)
    result = extract_document(flattened(lines, LINE_ENDS["mixed"]), name="report.txt")
    got = {key: fact["value"] for key, fact in facts_of(result).items()}
    assert result["layout"] == layout
    assert {key for key in expected if key[0] != "t4"} <= got.keys()
    assert all(got[key] == pytest.approx(expected[key]) for key in got)  # nothing wrong
    (finding,) = [c for c in result["checks"] if c["rule"] == "misaligned_row"]
    assert finding["detail"].startswith("t4 review/litigation_direct/litigation_after_review: 10 cells for 15")


def test_short_rows_are_placed_by_the_identities():
    """Three zeros of 予以公开 and one of 结转下年度继续办理 left no line: the outcome sums
    and the balance of each column say where each row's values go."""
    layout, expected = truth_of("ucap_gbk_doc003.html")
    lines = page_lines((DOCUMENTS / "ucap_gbk_doc003.html").read_bytes())
    lines = drop_cells(lines, "（一）予以公开", [1, 3, 4])
    lines = drop_cells(lines, next(line for line in lines if "结转下年度" in line), [3])
    result = extract_document(flattened(lines, LINE_ENDS["cr"]), name="report.txt")
    facts = facts_of(result)
    assert {key: fact["value"] for key, fact in facts.items()} == pytest.approx(expected)
    placed = {key for key, fact in facts.items() if "placed" in fact.get("flags", ())}
    assert placed == {("t3", row, col) for row in ("granted", "carried_forward") for col in COLUMNS}
    assert facts[("t3", "granted", "commercial")]["raw"] == ""
    assert facts[("t3", "granted", "commercial")]["flags"] == ["blank", "placed"]


COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def test_two_short_rows_in_one_identity_are_placed_together():
    """予以公开 and 属于四类过程性信息 both lose three zeros: each column's outcome sum has two
    unknowns, and only one pair of readings meets all seven sums and both row totals."""
    layout, expected = truth_of("ucap_gbk_doc003.html")
    lines = page_lines((DOCUMENTS / "ucap_gbk_doc003.html").read_bytes())
    lines = drop_cells(lines, "（一）予以公开", [1, 3, 4])
    lines = drop_cells(lines, "6.属于四类过程性信息", [0, 2, 5])
    result = extract_document(flattened(lines, LINE_ENDS["crlf"]), name="report.txt")
    assert {key: fact["value"] for key, fact in facts_of(result).items()} == pytest.approx(expected)


@pytest.mark.parametrize(
    "name",
    [
        "quirk_only_total_column.html",  # only 总计 printed: no reading meets a row's total
        "quirk_total_column_blank.html",  # 总计 left empty: the same
        "quirk_blank_and_dash_cells.html",  # empty cells and dashes mixed: some rows stay open
        "real_shanghai_2019.html",  # a real report whose empty cells left no line at all
    ],
)
def test_short_rows_the_identities_cannot_place_are_reported_not_guessed(name):
    """Every number stored is the truth's; every cell of the truth not stored is in a row
    that a misaligned_row finding names."""
    layout, expected = truth_of(name)
    result = extract_document(flattened(page_lines((DOCUMENTS / name).read_bytes()), LINE_ENDS["mixed"]), name="x.txt")
    got = {key: fact["value"] for key, fact in facts_of(result).items()}
    assert all(got[key] == pytest.approx(expected[key]) for key in got)
    named = [c["detail"].split(":")[0].split(" ") for c in result["checks"] if c["rule"] == "misaligned_row"]
    reported = {(table, row) for table, rows in named for row in rows.split("/")}
    assert reported
    assert {key[:2] for key in expected.keys() - got.keys()} <= reported


def drop_cells(lines, label, columns):
    """The lines with the given value cells (0-based, after the row label) of one row left out."""
    at = lines.index(label) + 1
    row = lines[at : at + 7]
    assert all(row[column] == "0" for column in columns)
    return lines[:at] + [cell for column, cell in enumerate(row) if column not in columns] + lines[at + 7 :]


def test_a_row_whose_cells_all_left_no_line_is_read_blank_and_keeps_off_the_next_row():
    """行政事业性收费's cells are all empty: before, its label ran into 政府集中采购's row,
    which then read 60 as fees.prev_items. It is a data row under 表二's header with no value
    at all: its cells are blank, 0."""
    layout, expected = truth_of("quirk_blank_row_ragged_header.html")
    lines = page_lines((DOCUMENTS / "quirk_blank_row_ragged_header.html").read_bytes())
    result = extract_document(flattened(lines, LINE_ENDS["lf"]), name="report.txt")
    facts = facts_of(result)
    assert {key: fact["value"] for key, fact in facts.items()} == pytest.approx(expected)
    assert facts[("t2", "procurement", "projects")]["value"] == 60
    assert facts[("t2", "fees", "prev_items")]["flags"] == ["blank", "placed"]


@pytest.mark.parametrize("ends", ["cr", "mixed"])
def test_the_seeds_one_cell_per_line_shape_with_blank_lines_and_cr(ends):
    """Seed 000's own shape ("规章 |" / "0 |" / "|||") with blank lines between the lines and
    other line ends reads as the seed does."""
    path = next(DOCUMENTS.glob("seed_000_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    as_seed = facts_of(extract_document(path.read_bytes(), name=path.name))
    result = extract_document(flattened(lines, LINE_ENDS[ends]), name=path.name)
    assert {k: f["value"] for k, f in facts_of(result).items()} == {k: f["value"] for k, f in as_seed.items()}
    assert len(as_seed) == 198


def test_a_row_whose_cells_ran_into_its_label_is_not_read_as_empty():
    """A text layer can print a row on one line, "1.属于国家秘密6 6 0 6 6 4 28": that label
    with no value lines after it is no empty row, and no 0 is stored for it."""
    layout, expected = truth_of("ucap_gbk_doc003.html")
    lines = page_lines((DOCUMENTS / "ucap_gbk_doc003.html").read_bytes())
    at = lines.index("1.属于国家秘密")
    lines = lines[:at] + [lines[at] + " ".join(lines[at + 1 : at + 8])] + lines[at + 8 :]
    result = extract_document(flattened(lines, LINE_ENDS["cr"]), name="report.txt")
    got = {key: fact["value"] for key, fact in facts_of(result).items()}
    lost = {("t3", "denied_state_secret", col) for col in COLUMNS}
    assert got == pytest.approx({key: value for key, value in expected.items() if key not in lost})


def test_a_real_2021_report_reflowed_from_its_pdf_reads_every_cell():
    """The real 洪泽区 2023 report (WPS PDF, hand-checked truth): its paragraphs and its
    tables' cells (as the PDF reader finds them, itself checked against the same truth), one
    per line with bare CR ends and blank lines. Every one of its 186 cells is read; only the
    break the printed report makes itself (表四 totals printed 0) is flagged."""
    from extractors.pdf import read_pdf
    from extractors.tables import Table

    blocks, _ = read_pdf((DOCUMENTS / "wps_hongze_2023.pdf").read_bytes())
    lines = []
    for block in blocks:
        if isinstance(block, Table):
            lines += [cell for row in block.rows for cell in row if cell]
        elif len(block) > 60:  # prose; the text layer's copies of table rows left out
            lines.append(block)
    result = extract_document(flattened(lines, LINE_ENDS["cr"]), name="report.txt")
    truth = load_json(DOCUMENTS / "wps_hongze_2023.pdf.truth.json")
    expected = {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}
    assert {key: fact["value"] for key, fact in facts_of(result).items()} == pytest.approx(expected)
    assert result["layout"] == "2021"
    assert [c["rule"] for c in result["checks"] if c["status"] == "fail"] == ["t4_row_totals"]
