"""Write the golden file of every extraction fixture that has none (review it, then commit).

    python tests/make_goldens.py            # only missing goldens
Goldens are never rewritten by the tests: a test whose golden is missing fails.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import DOCUMENTS, golden_summary  # noqa: E402

from extractors.report import extract_document  # noqa: E402


def main():
    for path in sorted(DOCUMENTS.iterdir()):
        if path.name.endswith(".json"):
            continue
        golden = path.with_name(path.name + ".expected.json")
        if golden.exists():
            continue
        summary = golden_summary(extract_document(path.read_bytes(), name=path.name))
        golden.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", golden.name)


if __name__ == "__main__":
    main()
