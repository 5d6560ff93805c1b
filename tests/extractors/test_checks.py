"""The numbers a report's text quotes, checked against its tables (rule text_versus_table)."""

import pytest

from extractors.checks import run_checks

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it


def t3_t4(new=859, carried_over=18, processed=805, review=7, direct=9, after=0):
    """The totals the text may quote, as the mapper stores them (the real Shanghai 2019 report's)."""
    return {
        ("t3", "new_received", "total"): new,
        ("t3", "carried_over", "total"): carried_over,
        ("t3", "total_processed", "total"): processed,
        ("t4", "review", "total"): review,
        ("t4", "litigation_direct", "total"): direct,
        ("t4", "litigation_after_review", "total"): after,
    }


def text_check(values, text):
    return next(c for c in run_checks(values, "2019", text) if c["rule"] == "text_versus_table")


# The sentence of the real Shanghai 2019 report (tests/fixtures/documents/real_shanghai_2019.html)
SHANGHAI = (
    "答复政府信息公开申请805件（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复）。"
    "信息公开类行政复议7件，诉讼9件，均获维持。"
)


def test_quoted_answers_reviews_and_lawsuits_agree_with_the_tables():
    assert text_check(t3_t4(), SHANGHAI) == {"rule": "text_versus_table", "status": "pass", "detail": ""}


@pytest.mark.parametrize(
    "values,named",
    [
        (t3_t4(processed=800), "the text says 805 answered requests; 表三 total_processed 800"),
        (t3_t4(review=6), "the text says 7 reviews; 表四 review total 6"),
        (t3_t4(direct=8), "the text says 9 lawsuits; 表四 litigation totals 8"),
    ],
)
def test_a_quote_the_table_contradicts_fails_and_names_the_cells(values, named):
    check = text_check(values, SHANGHAI)
    assert check["status"] == "fail" and check["detail"].startswith(named)


def test_lawsuits_may_be_quoted_apart_from_reviews():
    text = "因政府信息公开工作被申请行政复议1件、被提起行政诉讼2件。"
    assert text_check(t3_t4(review=1, direct=2, after=0), text)["status"] == "pass"
    assert text_check(t3_t4(review=1, direct=1, after=0), text)["status"] == "fail"


@pytest.mark.parametrize(
    "text",
    [
        "全年办理行政复议案件45件，审结42件。",  # a 司法局 deciding reviews as the review body
        "协助法院审理民事诉讼3件。",  # civil lawsuits: not about disclosure
        "行政复议\t5\t0\t0\t2\t7",  # a table row flattened into the text, no unit
    ],
)
def test_numbers_not_about_this_agencys_disclosure_are_not_quotes(text):
    check = text_check(t3_t4(), text)
    assert check["status"] == "not_assessable" and "quotes no number" in check["detail"]


def test_a_quote_whose_table_was_not_read_is_not_assessable():
    check = text_check({}, "被申请行政复议3件。")
    assert check == {
        "rule": "text_versus_table",
        "status": "not_assessable",
        "detail": "the cells for reviews were not read",
    }
