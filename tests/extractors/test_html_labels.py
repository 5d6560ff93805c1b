"""Warnings and errors of the HTML reader say what happened: a declared charset the bytes
do not match, markup nested past the parser's limit."""

import pytest

from extractors.report import DocumentError, extract_document

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

PAGE = (
    "<html><head>{meta}<title>示例局2021年政府信息公开工作年度报告</title></head><body>"
    "<div class='TRS_Editor'><p>一、总体情况</p><p>示例局认真贯彻落实政务公开工作要求。</p></div></body></html>"
)


def warnings_of(data, http_charset=None):
    return {
        w["kind"]: w["message"] for w in extract_document(data, name="p.html", http_charset=http_charset)["warnings"]
    }


def test_a_gbk_page_that_declares_utf8_is_a_charset_mismatch():
    warnings = warnings_of(PAGE.format(meta="<meta charset='utf-8'>").encode("gbk"))
    assert "charset_guessed" not in warnings
    assert warnings["charset_mismatch"] == "the page declares utf-8, but its bytes are not utf-8; read as GB18030"


def test_a_gbk_page_served_as_utf8_is_a_charset_mismatch():
    warnings = warnings_of(PAGE.format(meta="").encode("gbk"), http_charset="UTF-8")
    assert "declares UTF-8" in warnings["charset_mismatch"]


@pytest.mark.parametrize(
    "meta,data_encoding,http_charset",
    [
        ("<meta charset='gb2312'>", "gbk", None),
        ("<meta charset='utf-8'>", "utf-8", None),
        ("", "utf-8", None),
        ("", "gbk", "GBK"),
    ],
)
def test_pages_read_as_declared_carry_no_charset_warning(meta, data_encoding, http_charset):
    warnings = warnings_of(PAGE.format(meta=meta).encode(data_encoding), http_charset)
    assert not {"charset_guessed", "charset_mismatch"} & set(warnings)


def test_an_undeclared_gbk_page_is_still_a_guess():
    warnings = warnings_of(PAGE.format(meta="").encode("gbk"))
    assert warnings["charset_guessed"].startswith("no charset declared")


def test_text_nested_past_the_parser_limit_is_reported_as_such():
    deep = (
        "<html><body>"
        + "<div>" * 5000
        + "<p>示例局2021年政府信息公开工作年度报告</p>"
        + "</div>" * 5000
        + "</body></html>"
    )
    with pytest.raises(DocumentError, match="nested more than 256 elements deep"):
        extract_document(deep.encode(), name="deep.html")


def test_a_page_partly_nested_too_deeply_keeps_its_text_and_says_what_was_lost():
    page = (
        "<html><body><div class='TRS_Editor'><p>一、总体情况</p><p>示例局认真贯彻落实政务公开工作要求。</p>"
        + "<div>" * 300
        + "<p>行政许可 12</p>"
        + "</div>" * 300
        + "</div></body></html>"
    )
    result = extract_document(page.encode(), name="partly.html")
    assert "总体情况" in result["text"]
    assert "nested more than 256" in {w["kind"]: w["message"] for w in result["warnings"]}["parser_limit"]
