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


def query_terms(query):
    """The terms of what a user typed: words split at whitespace, '"…"' kept whole."""
    return [quoted or bare for quoted, bare in re.findall(r'"([^"]+)"|(\S+)', query or "")]


def fts_query(query):
    """User query -> FTS5 MATCH expression; terms are ANDed; '"…"' keeps a phrase whole.
    A query with nothing searchable matches nothing (never a syntax error)."""
    phrases = [p for term in query_terms(query) if (p := _term_phrase(term))]
    if not phrases:
        return NO_MATCH
    return " AND ".join(phrases)
