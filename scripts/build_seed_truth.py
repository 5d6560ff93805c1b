"""Write the truth file of every rendered-seed fixture (tests/fixtures/documents/*_docNNN.*)
from the corpus ground truth: the exact cell grid of tests/fixtures/corpus/rendered-seeds/gt,
read into canonical keys. Independent of every reader (HTML, DOCX, DOC, PDF) under test.

    python scripts/build_seed_truth.py tests/fixtures/corpus
"""

import json
import re
import sys
from pathlib import Path

from build_sample_portal import gt_facts

DOCUMENTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "documents"


def main(corpus):
    for path in sorted(DOCUMENTS.iterdir()):
        match = re.search(r"_(doc\d{3})\.(html|docx|doc|pdf)$", path.name)
        if not match:
            continue
        gt = json.loads((Path(corpus) / "rendered-seeds" / "gt" / f"{match.group(1)}.gt.json").read_text())
        layout = "2019" if gt["format"] == "2020" else "2021"
        facts = gt_facts(gt)
        truth = {
            "layout": layout,
            "note": f"from the ground-truth cell grid of {match.group(1)} ({gt['agency']})",
            "facts": [{"table": t, "row": r, "col": c, "value": v} for (t, r, c), v in sorted(facts.items())],
        }
        path.with_name(path.name + ".truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print("wrote", path.name + ".truth.json", len(facts))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
