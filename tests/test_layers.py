"""The layers show in the tree, and data flows one way: extractors (a library that reads
documents) < storage (schema, bookkeeping, report writing, the WARC archive) < crawler <
govreports (the commands, extraction runs, serving). No module imports a layer above its own,
no product module imports the development tools (scripts/fixturekit/, tests/), and no module outside
storage/ writes SQL."""

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"extractors": 0, "storage": 1, "crawler": 2, "govreports": 3}
NOT_PRODUCT = {"fixturekit", "tests", "conftest", "helpers", "scripts", "benchmarks"}


def imported_packages(path):
    """The top-level packages a module imports, wherever the import stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_no_module_imports_a_layer_above_its_own_or_the_development_tools():
    wrong = []
    for package, layer in LAYERS.items():
        for path in (ROOT / package).rglob("*.py"):
            for imported in imported_packages(path):
                if LAYERS.get(imported, -1) > layer or imported in NOT_PRODUCT:
                    wrong.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert wrong == []


# The start of an SQL statement, in any case: what a string holding SQL begins with
SQL_STATEMENT_RE = re.compile(
    r"^\s*(?:select\s[\s\S]*\bfrom\s|insert\s+(?:or\s+\w+\s+)?into\s|replace\s+into\s|update\s+\S+\s+set\s"
    r"|delete\s+from\s|(?:create|drop)\s+(?:temp\w*\s+|unique\s+|virtual\s+)?(?:table|view|index|trigger)\s"
    r"|alter\s+table\s|pragma\s+\w|with\s+(?:recursive\s+)?\w+(?:\s*\([^)]*\))?\s+as\s*\(|vacuum\b|attach\s)",
    re.IGNORECASE,
)
# calls that take SQL (sqlite3, sqlite-utils, Datasette) as their first argument
SQL_CALLS = {"execute", "executemany", "executescript", "execute_write", "query", "rows_where", "delete_where"}


def docstrings(tree):
    """The docstring nodes of a module, its classes and functions."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                yield first.value


def literal_text(node):
    """The text of a string literal or f-string (each {…} as 'x'), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)
    return None


def raw_sql(source):
    """(line, first words) of each SQL statement written in a module: a string literal that
    reads as one, or any string literal handed to a call that runs SQL."""
    tree = ast.parse(source)
    skipped = set(map(id, docstrings(tree)))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            if node.args and literal_text(node.args[0]) is not None:
                found.append((node.lineno, literal_text(node.args[0])[:50]))
                skipped |= {id(n) for n in ast.walk(node.args[0])}
    for node in ast.walk(tree):
        text = literal_text(node)
        if text is not None and id(node) not in skipped and SQL_STATEMENT_RE.match(text):
            found.append((node.lineno, text.strip()[:50]))
            skipped |= {id(n) for n in ast.walk(node)}
    return sorted(found)


def test_the_sql_detector_finds_statements_and_leaves_prose():
    source = '''
"""Select a page from the registry: the module's docstring, prose."""
HITS = f"SELECT num FROM {table} where x = 1"
COUNTS = """
    with counts as (select 1) select * from counts"""
db.execute("pragma query_only = 1")
db.query(QUERY_FROM_STORAGE)
table.rows_where("url = ?", [url])
conn.executemany(f"insert or ignore into {name} values (?)", rows)
message = "update the registry, then crawl again"
'''
    assert [line for line, _ in raw_sql(source)] == [3, 4, 6, 8, 9]


def test_no_sql_outside_storage():
    """The storage layer owns every statement; the others call its functions (or, for
    Datasette's connections, run the statements it names)."""
    wrong = []
    for package in LAYERS.keys() - {"storage"}:
        for path in (ROOT / package).rglob("*.py"):
            for line, start in raw_sql(path.read_text(encoding="utf-8")):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {start}")
    assert wrong == []
