"""The search syntax (storage/search.py parse_query, fts_query; docs/search.md) and the
snippets (govreports/search_page.py): each operator finds exactly what a substring scan
finds, on texts indexed as the archive indexes them; snippets show prose before a table's
printed headings and say which part of the report they come from."""

import re
import sqlite3
import unicodedata

import pytest

from extractors.vocabulary import SECTIONS
from govreports import search_page
from storage.schema import FTS_SCHEMA
from storage.search import fts_query, index_text, parse_query, query_terms

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

PROSE_AND_TABLE = (
    "本报告根据《政府信息公开条例》编制。\n一、总体情况\n2020年，本机关收到政府信息公开申请25件，均依法答复。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
    "0\t0\t0\t0\t0\n五、存在的主要问题及改进情况\n全年未发生因政府信息公开引起的行政复议，今后将加强培训。"
)

# (title, agency, text): each operator below has texts it must find and texts it must not
TEXTS = [
    ("2020年度报告", "示例县财政局", "依申请公开12件，行政复议1件。"),
    ("2020年度报告", "示例县教育局", "依申请公开3件，无行政诉讼。"),
    ("2021年度报告", "示例县财政局", "行政复议2件，行政诉讼1件，撤回申请1件。"),
    ("2021年度报告", "示例县交通局", "主动公开政策解读5篇。"),
    ("2019年度报告", "示例市人民政府", "依申请公开、复议和诉讼均为零。"),
    ("年报", "示例县 卫生 健康局", "行政 复议 0件，政府信息 公开 申请 7件。"),
]

QUERIES = [
    "依申请公开，复议",  # ， is AND
    "依申请公开、复议",  # 、 is AND
    "依申请公开,复议",  # , is AND
    "依申请公开 复议",  # a space is AND
    "复议 OR 诉讼",
    "政策解读 OR 撤回 OR 零",
    "依申请公开 复议 OR 诉讼",  # OR before AND: 依申请公开 and (复议 or 诉讼)
    "复议 NOT 诉讼",
    "复议 -诉讼",
    "公开 -复议 -诉讼",
    '"行政 复议"',  # a quoted phrase: spaces between Han characters do not count, as in the index
    "“政府信息 公开”",
    '"2020年度"',
    "2020年",
    "财政局 2021",
    "卫生健康局",
]


def fold(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").casefold())


def substring_scan(query):
    """Which TEXTS a reader expects: every group has a term in some field, no excluded term is."""
    parsed = parse_query(query)

    def holds(fields, term):
        return any(fold(term) in fold(field) for field in fields)

    return {
        i
        for i, fields in enumerate(TEXTS)
        if all(any(holds(fields, t) for t in group) for group in parsed.groups)
        and not any(holds(fields, t) for t in parsed.excluded)
    }


@pytest.fixture(scope="module")
def index():
    conn = sqlite3.connect(":memory:")
    conn.execute(FTS_SCHEMA.format(name="fts"))
    for i, fields in enumerate(TEXTS):
        conn.execute("insert into fts(rowid, title, agency, text) values (?, ?, ?, ?)", [i, *map(index_text, fields)])
    return conn


@pytest.mark.parametrize("query", QUERIES)
def test_each_operator_finds_what_a_substring_scan_finds(index, query):
    found = {row[0] for row in index.execute("select rowid from fts where fts match ?", [fts_query(query)])}
    expected = substring_scan(query)
    assert expected and expected != set(range(len(TEXTS))), f"{query} should split the texts"
    assert found == expected


@pytest.mark.parametrize(
    "query,groups,excluded",
    [
        ("依申请公开，复议", [["依申请公开"], ["复议"]], []),
        ("依申请公开、复议,诉讼 年报", [["依申请公开"], ["复议"], ["诉讼"], ["年报"]], []),
        ("复议 OR 诉讼 公开", [["复议", "诉讼"], ["公开"]], []),
        ("复议 NOT 诉讼 -撤回", [["复议"]], ["诉讼", "撤回"]),
        ('"行政 复议" “政府信息，公开”', [["行政 复议"], ["政府信息，公开"]], []),
        ('"OR" or', [["OR"], ["or"]], []),  # operators only in capitals and unquoted
        ("OR 复议 OR", [["复议"]], []),  # a dangling OR joins nothing
        ("COVID-19", [["COVID-19"]], []),  # a - inside a word is part of it
    ],
)
def test_parse_query(query, groups, excluded):
    assert parse_query(query) == (groups, excluded)


@pytest.mark.parametrize("query", ["", "  ", "、，,", "-诉讼", "NOT 诉讼", '""'])
def test_a_query_with_nothing_to_find_matches_nothing_without_an_error(index, query):
    assert index.execute("select count(*) from fts where fts match ?", [fts_query(query)]).fetchone()[0] == 0


def test_the_excluded_words_are_not_highlighted():
    assert query_terms("复议 OR 诉讼 -撤回 NOT 驳回 公开") == ["复议", "诉讼", "公开"]


def test_snippets_show_prose_before_the_tables_printed_headings():
    found = search_page.snippets(PROSE_AND_TABLE, search_page.highlight_pattern(["复议"]), limit=1)
    assert len(found) == 1
    assert "未发生因政府信息公开引起的行政<mark>复议</mark>" in found[0].passage
    assert found[0].section == SECTIONS[4].title  # 五、存在的主要问题及改进情况


def test_a_tables_heading_is_shown_only_when_nothing_else_matches():
    text = PROSE_AND_TABLE.replace("引起的行政复议", "引起的争议")
    found = search_page.snippets(text, search_page.highlight_pattern(["复议"]))
    assert [snippet.section for snippet in found] == [SECTIONS[3].title]  # 四、…行政复议、行政诉讼情况
    assert "结果维持" in found[0].passage


def test_each_snippet_is_labelled_by_its_part_and_stays_inside_it():
    found = search_page.snippets(PROSE_AND_TABLE, search_page.highlight_pattern(["公开"]), width=60)
    assert [snippet.section for snippet in found] == [None, SECTIONS[0].title, SECTIONS[4].title]
    overview = str(found[1].passage)
    assert overview.startswith("2020年") and "四、" not in overview  # after its heading, cut at the next part
