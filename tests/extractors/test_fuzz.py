"""Property-based tests: arbitrary input gives facts, flags or a declared error, never a crash."""

import string

import pytest
from generated_documents import LABELS, ODD_TEXT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.report import DocumentError, extract_document
from extractors.tables import Table, map_tables, table_from_spans
from extractors.values import CellError, parse_cell

CELL_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(LABELS + ODD_TEXT),
    st.integers(-(10**6), 10**9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"[+\-]?\d{1,9}(\.\d{1,3})?(万元|万|元|件|个)?", fullmatch=True),
)


@given(CELL_TEXT, st.booleans(), st.booleans())
def test_cell_parser_returns_a_value_or_refuses(raw, money, signed):
    try:
        parsed = parse_cell(raw, money=money, signed=signed)
    except CellError:
        return
    assert isinstance(parsed.value, (int, float))
    assert signed or parsed.value >= 0


ROWS = st.lists(st.lists(CELL_TEXT, max_size=16), max_size=40)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROWS, max_size=4), st.sampled_from(["2019", "2021", None, "legacy"]))
def test_table_mapper_never_crashes(tables, layout):
    mapping = map_tables([Table(rows=rows) for rows in tables], layout)
    for (table, _row, col), fact in mapping.facts.items():
        assert table in ("t2", "t3", "t4")
        assert col == "change" or fact["value"] >= 0
    for rule, detail in mapping.problems:
        assert rule and detail


SPANS = st.lists(st.lists(st.tuples(CELL_TEXT, st.integers(0, 4), st.integers(0, 4)), max_size=8), max_size=12)


@given(SPANS)
def test_span_grids_never_crash(span_rows):
    table = table_from_spans(span_rows)
    assert len(table.rows) == len(span_rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.text(alphabet=string.printable + "表二行政许可总计<>|\t\n", max_size=2000).map(str.encode),
        st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=500).map(lambda t: f"<html><body><div class='TRS_Editor'>{t}</div></body></html>".encode()),
    )
)
def test_any_bytes_give_a_report_or_a_document_error(data):
    assert_report_or_document_error(data)


def assert_report_or_document_error(data):
    try:
        result = extract_document(data, name="fuzz")
    except DocumentError:
        return
    assert result["source_format"] in ("html", "pdf", "docx", "doc", "text")
    assert isinstance(result["facts"], list)


# Generated HTML structures, not only bytes: unclosed, nested and stray table parts, tables
# inside and outside known containers, XHTML and Office namespaces (tests/generated_documents.py).
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_html_structures_give_a_report_or_a_document_error(rng):
    from generated_documents import html_document

    assert_report_or_document_error(html_document(rng))


@pytest.mark.parametrize(
    "markup",
    [
        b'<html><body><table class="meta">\n',  # whitespace right inside a table of an unknown template
        b"<html><body><div class='x'><table>\n<tr>\n<td>1</td>\n</tr>\n</table></div>",
        b"<html><body><table><tr><td><table>\n<tr><td>2</td></tr></table></td></tr></table>",
    ],
)
def test_tables_of_unknown_templates_leave_the_page_unchanged(markup):
    """The fallback reads each table on its own; reading must not modify the parsed page
    (libxslt stripping whitespace from an lxml subtree freed nodes the page still held)."""
    import lxml.etree

    from extractors.html import HTML_PARSER, read_blocks

    root = lxml.etree.fromstring(markup.decode(), HTML_PARSER)
    before = lxml.etree.tostring(root)
    for table in root.iter("table"):
        read_blocks(table)
    assert lxml.etree.tostring(root) == before


@pytest.mark.parametrize("fmt,count", [("html", 3000), ("text", 3000), ("docx", 2000), ("pdf", 2000)])
def test_readers_survive_thousands_of_generated_documents(fmt, count):
    """In a subprocess, so a native crash (a signal) fails this test instead of killing pytest."""
    import signal
    import subprocess
    import sys

    from generated_documents import ROOT

    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "generated_documents.py"), fmt, str(count)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode < 0:
        last = done.stderr.split("Fatal Python error")[0].split()[-1:]
        pytest.fail(
            f"{fmt} reader killed by {signal.Signals(-done.returncode).name} at document {last} "
            f"of seed 0:\n{done.stderr[-3000:]}"
        )
    assert done.returncode == 0, done.stderr[-3000:]
