"""Chinese full-text search with overlapping Han bigrams (docs/search.md). Hand-written:
FTS5's trigram tokenizer finds nothing under three characters and jieba's words miss 诉讼
inside 行政诉讼 (docs/search.md measures both).

Index side: `index_text` turns text into space-separated tokens that FTS5's ascii
tokenizer keeps whole (the tokens arrive folded and split). Query side: `fts_query` turns what a user typed into an FTS5 query
over the same tokens. Both run in pure Python; the Datasette plugin registers fts_query
as escape_fts so the standard search box and ?_search= work.
"""

import re
import unicodedata
from collections import namedtuple

from extractors.vocabulary import HAN

SPACE_BETWEEN_HAN_RE = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")
# runs of Han characters, or runs of letters/digits
TOKEN_RUN_RE = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")


def _fold(text):
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return SPACE_BETWEEN_HAN_RE.sub("", text)


HAN_RUN_RE = re.compile(rf"[{HAN}]{{2,}}")


def _bigrams(match):
    run = match.group(0)
    return " ".join(map("".join, zip(run, run[1:]))) + " " + run[-1]


def index_text(text):
    """'行政复议 2020年' -> '行政 政复 复议 议 2020 年'. Each Han run: its bigrams plus its last
    character, so one-character queries and prefixes work."""
    runs = " ".join(TOKEN_RUN_RE.findall(_fold(text)))
    return HAN_RUN_RE.sub(_bigrams, runs)


def _term_phrase(term):
    """One query term -> FTS5 phrase of the tokens index_text gives the same characters:
    '依申请' -> '"依申 申请"'; a Han run that another run follows within the term ends there in
    the text too, so its lone last character comes next, as in the index: '受理12件' ->
    '"受理 理 12 件"*'; a single trailing Han character becomes a prefix: '2020年' -> '"2020 年"*'."""
    runs = TOKEN_RUN_RE.findall(_fold(term))
    parts = []
    for i, run in enumerate(runs):
        if re.match(rf"[{HAN}]", run) and len(run) > 1:
            parts.extend(run[j : j + 2] for j in range(len(run) - 1))
            if i < len(runs) - 1:
                parts.append(run[-1])
        else:
            parts.append(run)
    if not parts:
        return None
    prefix = "*" if re.match(rf"[{HAN}]$", runs[-1]) else ""
    return '"' + " ".join(parts) + '"' + prefix


NO_MATCH = '"zzgovreportsnomatchzz"'

# What a user types, one term at a time: a "phrase" or “phrase” kept whole, or a word up to
# whitespace, 、 ， or , (which all mean AND); a leading - excludes the term:
# '依申请公开，复议 -诉讼 "行政 复议"' -> 依申请公开 · 复议 · -诉讼 · 行政 复议
QUERY_TERM_RE = re.compile(r'(-?)(?:"([^"]*)"|“([^”]*)”|([^\s、，,"“”]+))')

# groups: the terms that must all be found, each a list of alternatives (OR);
# excluded: terms no hit may hold (NOT, -)
ParsedQuery = namedtuple("ParsedQuery", "groups excluded")


def parse_query(query):
    """'依申请公开、复议 OR 诉讼 NOT 撤回 -驳回' -> groups [[依申请公开], [复议, 诉讼]],
    excluded [撤回, 驳回]. OR joins the terms either side of it (before AND, as in web search
    engines); NOT and a leading - exclude the next term; OR and NOT are operators only in
    capitals and unquoted."""
    groups, excluded = [], []
    joining = negating = False
    for minus, quoted, curly, bare in QUERY_TERM_RE.findall(query or ""):
        if bare in ("OR", "NOT") and not minus:
            joining, negating = (bare == "OR" and bool(groups)), bare == "NOT"
            continue
        term = quoted or curly or bare
        if minus or negating:
            excluded.append(term)
        elif joining:
            groups[-1].append(term)
        else:
            groups.append([term])
        joining = negating = False
    return ParsedQuery(groups, excluded)


def query_terms(query):
    """The terms a hit holds (to highlight): every term of the query but the excluded ones."""
    return [term for group in parse_query(query).groups for term in group]


def _any_of(phrases):
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def fts_query_parts(query):
    """(what the hits hold, what none holds or None) as FTS5 expressions: '复议 OR 诉讼 -撤回' ->
    ('("复议" OR "诉讼")', '"撤回"'). A query with nothing searchable to find (empty,
    punctuation only, only excluded terms) gives NO_MATCH, never a syntax error."""
    parsed = parse_query(query)
    groups = [phrases for group in parsed.groups if (phrases := [p for t in group if (p := _term_phrase(t))])]
    if not groups:
        return NO_MATCH, None
    excluded = [p for term in parsed.excluded if (p := _term_phrase(term))]
    return " AND ".join(_any_of(phrases) for phrases in groups), _any_of(excluded) if excluded else None


def fts_query(query):
    """User query -> one FTS5 MATCH expression (parse_query): '复议 OR 诉讼 -撤回' ->
    '("复议" OR "诉讼") NOT "撤回"' (Datasette's ?_search= and the canned search)."""
    held, excluded = fts_query_parts(query)
    return f"({held}) NOT {excluded}" if excluded else held


def fts_term_queries(query):
    """Each term the query's hits hold, alone, as an FTS5 expression: '复议 OR 诉讼 -撤回' ->
    ['"复议"', '"诉讼"'] (the relevance of a hit of a query with OR: how many it holds)."""
    return [p for term in query_terms(query) if (p := _term_phrase(term))]
