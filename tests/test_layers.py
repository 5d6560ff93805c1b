"""The layers show in the tree, and data flows one way: extractors (a library that reads
documents) < storage (schema, bookkeeping, report writing, the WARC archive) < crawler <
govreports (the commands, extraction runs, serving). No module imports a layer above its own,
and no product module imports the development tools (devtools/, tests/)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"extractors": 0, "storage": 1, "crawler": 2, "govreports": 3}
NOT_PRODUCT = {"devtools", "tests", "conftest", "scripts", "benchmarks"}


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
