"""One vocabulary (extractors/vocabulary.py): the six parts of a report, the facets and the
Han characters mean the same to the extractors, the search index and the pages; one snippet
function serves the search page and the canned search."""

from pathlib import Path

import pytest
import yaml

from extractors import normalize, vocabulary
from extractors.judge import content_verdict
from extractors.sections import split_sections
from govreports import datasette_plugin, search_page
from storage import search
from storage.schema import FACET_SUMMARIES

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

METADATA = Path(__file__).resolve().parents[2] / "govreports" / "datasette" / "metadata.yml"
REPORT = "\n".join(f"{section.title}\n本部分内容。" for section in vocabulary.SECTIONS)


def test_the_sections_read_are_the_sections_shown():
    found = split_sections(REPORT)
    assert tuple(found) == vocabulary.SECTION_KEYS
    assert all(found[section.key].startswith(section.title) for section in vocabulary.SECTIONS)
    assert content_verdict("年度报告", REPORT, 0)[0] is True


def test_the_facets_are_counted_where_they_are_offered():
    reports_page = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["archive"]["tables"]["reports"]
    assert sorted(facet["counted"] for facet in reports_page["facets"]) == sorted(vocabulary.FACET_COLUMNS)
    assert FACET_SUMMARIES["reports"][1] == vocabulary.FACET_COLUMNS


def test_han_is_one_range_for_normalizing_and_searching():
    rare = "\u3400"  # 㐀, CJK Extension A: Han
    hexagram = "\u4dc0"  # ䷀, between Extension A and the unified block: a symbol, not Han
    assert normalize.tidy_spaces(f"自 {rare}") == f"自{rare}"
    assert search.index_text(f"自 {rare}") == f"自{rare} {rare}"
    assert normalize.tidy_spaces(f"自 {hexagram}") == f"自 {hexagram}"
    assert search.index_text(f"自{hexagram}") == "自"


def test_the_canned_search_snippet_is_the_search_pages_first_passage():
    text = "前文" * 40 + "符合条件的自 然 人申请" + "后文" * 40
    page = search_page.snippets(text, search_page.highlight_pattern(["自然人"]), limit=1)
    canned = datasette_plugin.snippet(text, "自然人")
    assert canned == str(page[0].passage).replace("<mark>", "【").replace("</mark>", "】")
    assert "【自 然 人】" in canned and canned.startswith("…") and canned.endswith("…")
    assert datasette_plugin.snippet("没有命中的正文", "自然人") == "没有命中的正文"
