import pytest

from extractors.values import CellError, parse_cell

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it


@pytest.mark.parametrize(
    "raw,money,signed,value,flags",
    [
        ("0", False, False, 0, []),
        ("1,234", False, False, 1234, []),
        ("-13", False, True, -13, []),
        ("+2", False, True, 2, []),
        ("", False, False, 0, ["blank"]),
        ("\u00a0", False, False, 0, ["blank"]),
        ("&nbsp;", False, False, 0, ["blank"]),
        ("—", False, False, 0, ["blank"]),
        ("\u2015", False, False, 0, ["blank"]),  # horizontal bar, typed for a dash
        ("－", False, False, 0, ["blank"]),  # full-width hyphen
        ("− 3", False, True, -3, []),  # minus sign
        ("-", False, False, 0, ["blank"]),
        ("/", False, False, 0, ["blank"]),
        ("无", False, False, 0, ["blank"]),
        ("24万", True, False, 24, []),
        ("2792220.8元", True, False, 279.22208, ["unit:元"]),
        ("251000元", True, False, 25.1, ["unit:元"]),
        ("7730.28", True, False, 7730.28, []),
        ("３", False, False, 3, []),  # full-width digit
        (" 12 ", False, False, 12, []),
        ("١٢", False, False, 12, []),  # other digits parse too, past the ASCII fast path
    ],
)
def test_cell_values(raw, money, signed, value, flags):
    parsed = parse_cell(raw, money=money, signed=signed)
    assert parsed.value == pytest.approx(value) and list(parsed.flags) == flags


@pytest.mark.parametrize("raw,signed", [("-3", False), ("2.5", False), ("行政许可", False), ("24万", False)])
def test_impossible_values_are_refused(raw, signed):
    with pytest.raises(CellError):
        parse_cell(raw, signed=signed)
