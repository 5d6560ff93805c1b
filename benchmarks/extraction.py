"""Extraction benchmark: cell accuracy over the golden corpus, and milliseconds per page by
format next to the floor measured in the same run (PDFium plain text for PDF, lxml parse
for HTML). Floor and extractor run interleaved, best of N, so machine noise hits both.
"ours" runs the same document again and again, so every cell text is cached after the
first run; "cold" empties the cell-text caches before each run (labels and row shapes stay
cached, as in a long crawl): a report whose numbers were never seen.

    python benchmarks/extraction.py [--repeat 15] [--per-document] [--stages]
    python benchmarks/extraction.py --ocr [--engine rapidocr|tesseract] [--only NAME-PART]

--stages: where a PDF's time goes beyond the floor: each stage of extraction (timed by
wrapping the functions the PDF path calls), in ms per page and as a multiple of the PDFium
text floor measured in the same run, over every PDF of the corpus. Stages and floor are
timed in CPU time of this process (time.process_time), which other processes on a busy
machine disturb far less than the wall clock.

--ocr: the OCR corpus (tests/fixtures/ocr, scripts/build_ocr_corpus.py): per condition (the
"screen held out" one is read by no tuning: run it last, report it apart), the
number cells read right, read wrong, left out (not read, or read without enough confidence),
and milliseconds per image; the engine is loaded before the clock starts.

Accuracy: every fixture document in tests/fixtures/documents; a fact is right when
(table, row, col, value) matches the document's truth file (numbers it was built from, the
corpus ground-truth grid, or a hand check) or, for the five seed texts, the reviewed golden.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import lxml.html
import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # the checkout's packages before tests/ (tests/storage … would shadow them)

from helpers import DOCUMENTS, golden_summary  # noqa: E402

from extractors.report import DocumentError, extract_document, sniff_format  # noqa: E402
from extractors.tables import forget_cell_texts  # noqa: E402


def pdfium_floor(data):
    document = pypdfium2.PdfDocument(data)
    for page in document:
        page.get_textpage().get_text_range()
    pages = len(document)
    document.close()
    return pages


def lxml_floor(data):
    lxml.html.fromstring(data)
    return 1


FLOORS = {"pdf": pdfium_floor, "html": lxml_floor}


def best_time(fn, repeat, before=None, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def expected_facts(path):
    truth = path.with_name(path.name + ".truth.json")
    if truth.exists():
        return {
            (f["table"], f["row"], f["col"], round(f["value"], 6))
            for f in json.loads(truth.read_text(encoding="utf-8"))["facts"]
        }
    golden = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    return set(golden["facts"])


def found_facts(path, result):
    if path.with_name(path.name + ".truth.json").exists():
        return {(f["table"], f["row"], f["col"], round(f["value"], 6)) for f in result["facts"]}
    return set(golden_summary(result)["facts"])


def accuracy(documents):
    """Precision and recall of facts, per document and overall."""
    right = got_total = expected_total = 0
    misses = []
    for path in documents:
        expected = expected_facts(path)
        try:
            got = found_facts(path, extract_document(path.read_bytes(), name=path.name))
        except DocumentError:
            got = set()
        right += len(expected & got)
        got_total += len(got)
        expected_total += len(expected)
        if expected != got:
            misses.append((path.name, len(expected - got), len(got - expected)))
    precision = right / got_total if got_total else 1.0
    recall = right / expected_total if expected_total else 1.0
    return precision, recall, right, expected_total, misses


def speed(documents, repeat):
    rows = {}
    for path in documents:
        data = path.read_bytes()
        fmt = sniff_format(data, path.name)
        if fmt not in FLOORS:
            continue
        pages = FLOORS[fmt](data)
        floor = ours = cold = 0.0
        for _ in range(3):  # interleave: floor, ours, cold, floor, ours, cold ...
            floor += best_time(lambda: FLOORS[fmt](data), repeat)
            ours += best_time(lambda: extract_document(data, name=path.name), repeat)
            cold += best_time(lambda: extract_document(data, name=path.name), repeat, forget_cell_texts)
        entry = rows.setdefault(
            fmt, {"pages": 0, "floor": 0.0, "ours": 0.0, "cold": 0.0, "ratios": [], "documents": []}
        )
        entry["pages"] += pages
        entry["floor"] += floor / 3
        entry["ours"] += ours / 3
        entry["cold"] += cold / 3
        entry["ratios"].append(ours / floor)
        entry["documents"].append((path.name, len(data), floor / 3, ours / 3, cold / 3))
    return rows


# The stages of a PDF's extraction, as (name, module, function): each is timed by wrapping
# the function its caller looks up in that module. "PDFium pages and text" is what read_pdf
# spends besides the stages inside it (opening, pages, text layers: the floor's own work);
# "after reading" is what extract_document spends besides read_pdf.
PDF_STAGES = (
    ("lines: split, normalize, join", "extractors.pdf", ("split_lines", "normalize_lines", "join_visual_lines")),
    ("ruling lines (page_edges)", "extractors.pdf_objects", ("page_edges",)),
    ("characters (page_chars)", "extractors.pdf_objects", ("page_chars",)),
    ("table grid (find_tables)", "extractors.pdf", ("find_tables",)),
    ("cell texts (table_cells)", "extractors.pdf", ("table_cells",)),
)


def timed(spent, stage, function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - start

    return wrapper


def stage_times(documents, repeat):
    """({stage: seconds}, total seconds, floor seconds, pages, documents) over every PDF: per
    document the stages of its fastest of repeat runs, and the floor's best of repeat runs
    measured between them."""
    import importlib

    import extractors.report

    stages = [name for name, _, _ in PDF_STAGES] + ["PDFium pages and text", "after reading"]
    spent = dict.fromkeys(stages + ["read_pdf"], 0.0)
    originals = []
    for name, module_name, functions in PDF_STAGES:
        module = importlib.import_module(module_name)
        for function in functions:
            originals.append((module, function, getattr(module, function)))
            setattr(module, function, timed(spent, name, getattr(module, function)))
    readers = extractors.report.READERS
    read_pdf = readers["pdf"]
    readers["pdf"] = timed(spent, "read_pdf", read_pdf)
    best = dict.fromkeys(stages, 0.0)
    total = floor = pages = 0
    try:
        pdfs = [path.read_bytes() for path in documents if sniff_format(path.read_bytes(), path.name) == "pdf"]
        for data in pdfs:
            pages += pdfium_floor(data)
            floor += best_time(lambda: pdfium_floor(data), repeat, clock=time.process_time)
            runs = []
            for _ in range(repeat):
                for stage in spent:
                    spent[stage] = 0.0
                start = time.process_time()
                extract_document(data, name="x.pdf")
                runs.append((time.process_time() - start, dict(spent)))
            seconds, fastest = min(runs, key=lambda run: run[0])
            total += seconds
            inner = sum(fastest[name] for name, _, _ in PDF_STAGES)
            fastest["PDFium pages and text"] = fastest["read_pdf"] - inner
            fastest["after reading"] = seconds - fastest["read_pdf"]
            for stage in stages:
                best[stage] += fastest[stage]
    finally:
        readers["pdf"] = read_pdf
        for module, function, original in originals:
            setattr(module, function, original)
    return best, total, floor, pages, len(pdfs)


def print_stages(documents, repeat):
    stages, total, floor, pages, count = stage_times(documents, repeat)
    print(f"PDF stages: {count} documents, {pages} pages; floor (PDFium text) {1000 * floor / pages:.2f} ms/page")
    print(f"{'stage':<34}{'ms/page':>9}{'x floor':>9}")
    for stage, seconds in stages.items():
        print(f"{stage:<34}{1000 * seconds / pages:>9.2f}{seconds / floor:>8.2f}x")
    print(f"{'all (fastest run of each)':<34}{1000 * total / pages:>9.2f}{total / floor:>8.2f}x")


OCR_CORPUS = ROOT / "tests" / "fixtures" / "ocr"


THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def ocr_cells(engine, only=""):
    """One OCR pass over the corpus with no confidence threshold: per image, its condition,
    the seconds it took, the number of cells its truth has, and for every number cell given
    (key, confidence, right?). Cells left out at no threshold are left out at every one."""
    from extractors.ocr import ImageError, read_table_image, recognizer
    from extractors.tables import map_tables

    recognizer(engine)
    truth = json.loads((OCR_CORPUS / "truth.json").read_text(encoding="utf-8"))
    images = []
    for name, entry in sorted(truth.items()):
        if only not in name:
            continue
        expected = {tuple(fact[:3]): fact[3] for fact in entry["facts"]}
        start = time.perf_counter()
        try:
            table = read_table_image((OCR_CORPUS / name).read_bytes(), engine, min_confidence=0.0)
            facts = map_tables([table], entry["layout"]).facts
        except ImageError:
            facts = {}
        seconds = time.perf_counter() - start
        given = [(name, key, fact["value"], expected.get(key), fact["confidence"]) for key, fact in facts.items()]
        images.append((entry["condition"], seconds, len(expected), given))
    return images


def ocr_scores(images, threshold):
    """{condition: [right, wrong, left out, seconds, images]} at one confidence threshold; the wrong cells."""
    scores, wrong_cells = {}, []
    for condition, seconds, expected, given in images:
        kept = [cell for cell in given if cell[4] >= threshold]
        wrong = [cell for cell in kept if cell[2] != cell[3]]
        wrong_cells += wrong
        score = scores.setdefault(condition, [0, 0, 0, 0.0, 0])
        right = len(kept) - len(wrong)
        given = sum(1 for cell in kept if cell[3] is not None)  # cells of the truth given a value
        for at, add in enumerate((right, len(wrong), expected - given, seconds, 1)):
            score[at] += add
    return scores, wrong_cells


def print_ocr(engine, only):
    from extractors.ocr import MIN_CONFIDENCE

    images = ocr_cells(engine, only)
    print(f"OCR engine {engine}, corpus {OCR_CORPUS.relative_to(ROOT)}")
    print(f"{'threshold':>10}{'right':>8}{'wrong':>7}{'left out':>10}")
    for threshold in THRESHOLDS:
        ((right, wrong, left, _, _),) = [
            [sum(s[i] for s in ocr_scores(images, threshold)[0].values()) for i in range(5)]
        ]
        print(f"{threshold:>10.2f}{right:>8}{wrong:>7}{left:>10}")
    scores, wrong_cells = ocr_scores(images, MIN_CONFIDENCE)
    print(f"\nat the threshold in use ({MIN_CONFIDENCE}):")
    print(
        f"{'condition':<24}{'images':>7}{'cells':>7}{'right':>8}{'wrong':>7}{'left out':>10}{'wrong of given':>16}{'ms/image':>10}"
    )
    totals = [0, 0, 0, 0.0, 0]
    for condition, (right, wrong, left, seconds, count) in sorted(scores.items()):
        cells = right + left
        print(
            f"{condition:<24}{count:>7}{cells:>7}{right / cells:>8.2%}{wrong:>7}{left:>10}"
            f"{wrong / max(1, right + wrong):>16.3%}{1000 * seconds / count:>10.0f}"
        )
        totals = [a + b for a, b in zip(totals, (right, wrong, left, seconds, count))]
    right, wrong, left, seconds, count = totals
    print(
        f"{'all':<24}{count:>7}{right + left:>7}{right / max(1, right + left):>8.2%}{wrong:>7}"
        f"{left:>10}{wrong / max(1, right + wrong):>16.3%}{1000 * seconds / max(1, count):>10.0f}"
    )
    for name, key, got, expected, confidence in wrong_cells:
        print(f"  wrong: {name} {' '.join(key)} read {got}, truth {expected}, confidence {confidence}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--per-document", action="store_true", help="also print each document's times and ratio")
    parser.add_argument("--stages", action="store_true", help="only the PDF stages: ms/page and ratio to the floor")
    parser.add_argument("--ocr", action="store_true", help="the OCR corpus instead: cells right, wrong, left out")
    parser.add_argument("--engine", default="rapidocr", choices=("rapidocr", "tesseract"))
    parser.add_argument("--only", default="", help="with --ocr: only the images whose name holds this")
    args = parser.parse_args()
    if args.ocr:
        print_ocr(args.engine, args.only)
        return
    documents = sorted(
        p
        for p in DOCUMENTS.iterdir()
        if not p.name.endswith(".json") and p.with_name(p.name + ".expected.json").exists()
    )
    if args.stages:
        print_stages(documents, args.repeat)
        return
    precision, recall, right, expected, misses = accuracy(documents)
    print(f"corpus: {len(documents)} documents, {expected} golden facts")
    print(f"cell accuracy: precision {precision:.2%}, recall {recall:.2%} ({right}/{expected} right)")
    for name, missing, extra in misses:
        print(f"  {name}: {missing} missing, {extra} wrong or extra")
    print()
    print(
        f"{'format':<8}{'pages':>7}{'floor ms/page':>15}{'ours ms/page':>14}{'ratio':>8}{'median doc ratio':>18}"
        f"{'cold ratio':>12}"
    )
    targets = {"pdf": 5.0, "html": 3.0}
    rows = sorted(speed(documents, args.repeat).items())
    for fmt, row in rows:
        ratio = row["ours"] / row["floor"]
        print(
            f"{fmt:<8}{row['pages']:>7}{1000 * row['floor'] / row['pages']:>15.2f}"
            f"{1000 * row['ours'] / row['pages']:>14.2f}{ratio:>7.1f}x{statistics.median(row['ratios']):>17.1f}x"
            f"{row['cold'] / row['floor']:>11.1f}x   target <= {targets[fmt]:.0f}x: {'met' if ratio <= targets[fmt] else 'NOT met'}"
            f" ({sum(r > targets[fmt] for r in row['ratios'])} of {len(row['ratios'])} documents over it alone)"
        )
    if args.per_document:
        print(f"\n{'document':<44}{'KB':>6}{'floor ms':>10}{'ours ms':>9}{'ratio':>8}{'cold':>8}")
        for _fmt, row in rows:
            for name, size, floor, ours, cold in row["documents"]:
                print(
                    f"{name:<44}{size // 1024:>6}{1000 * floor:>10.2f}{1000 * ours:>9.2f}{ours / floor:>7.1f}x"
                    f"{cold / floor:>7.1f}x"
                )


if __name__ == "__main__":
    main()
