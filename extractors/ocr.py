"""Tables published as pictures -> Tables, read cell by cell, never a guessed number.

An image (a screenshot pasted into an article, a scanned or image-only PDF page) is
upscaled when its text is small (a screenshot's 12-14 px), straightened, its grid found from
the ruling lines (OpenCV morphology on how much darker than the paper each pixel is: long
horizontal and vertical strokes, light grey 1-px ones too), and every region the lines
enclose is a cell. A cell without ink is blank (a 0 the report left empty); a cell with ink
but no line of text to read is UNREADABLE, never blank. Cells are read line by
line by a text recogniser (RapidOCR's PP-OCRv4 model on ONNX Runtime, shipped inside its
wheel; Tesseract chi_sim is the other engine benchmarks/extraction.py compares). A cell
that holds a number read with less confidence than `MIN_CONFIDENCE`, or that holds
something that is not cleanly a number nor a label, becomes `UNREADABLE`: the mapper keeps
its place in the row, stores no fact for it and reports it. A "0" read with little
confidence (a lone small digit) is confirmed by the shape of its ink, one ring round a
centred hole. Crops are read at the picture's own size; a doubtful number of an upscaled
picture is read again from its larger crop.

The Table hands the mapper the cells as every other reader does (anchor cells of each row,
left to right) plus each cell's confidence, so facts carry the flag `ocr` and a confidence.
"""

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy

from .tables import UNREADABLE, Table, fold
from .values import NUMBER_RE, clean
from .vocabulary import HAN

ZERO_BY_SHAPE = 0.95  # a "0" read whose ink is one ring (a lone 12 px "0" is read at 0.6-0.8 alone)
MIN_CONFIDENCE = (
    0.80  # below it a number is left out (benchmarks/README: no reading of the OCR corpus was wrong at any)
)
SKEW_LIMIT = 2.0  # degrees: photographs and scans tilted more are not straightened
SMALL_TEXT = 16  # pixels: text lower than this (a screenshot's 12-14 px, 96 dpi) is upscaled first
LINE_CONTRAST = 24  # grey levels a ruling line is darker than the paper at least (#d4d4d4 on white: 43)
HAN_RE = re.compile(f"[{HAN}]")  # a label's characters: "予以公开"
# A number and then something else, not a label's numbering: "2二", "15件" (but not "2.重复申请")
BARE_NUMBER_START_RE = re.compile(r"^\d+(?![.、．\d])")


class ImageError(ValueError):
    """Bytes that are no readable picture, or a picture that holds no ruled table."""


@dataclass
class Cell:
    top: int
    left: int
    bottom: int
    right: int
    lines: list  # the crops of its text lines (grey images) at the picture's own size
    large_lines: list  # the same crops upscaled, when the picture was (small text); else none
    dash_first: bool = False  # a flat mark before the first glyph: a minus sign, if read or not
    inked: bool = False  # ink beyond specks: not a blank cell, whether a line of text was found or not
    ring: bool = False  # its ink is one ring round a centred hole, the shape of a "0"


def cv2():
    import cv2 as module  # imported on first OCR only: text documents never pay for it

    return module


def decode(data):
    """Image bytes -> a grey numpy image; ImageError when they are no picture."""
    image = cv2().imdecode(numpy.frombuffer(data, numpy.uint8), cv2().IMREAD_GRAYSCALE)
    if image is None or min(image.shape) < 32:
        raise ImageError("not a readable picture")
    return image


def binary(grey):
    """Ink as 255 on 0, whatever the paper's grey (Otsu after a light blur against noise)."""
    blurred = cv2().GaussianBlur(grey, (3, 3), 0)
    return cv2().threshold(blurred, 0, 255, cv2().THRESH_BINARY_INV | cv2().THRESH_OTSU)[1]


def skew_angle(ink):
    """The rotation (degrees) that makes the rows of ink most sharply horizontal: the angle
    maximising the variance of the row profile, searched coarse then fine on a small copy."""
    small = cv2().resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2().INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle):
        matrix = cv2().getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2().warpAffine(small, matrix, small.shape[::-1], flags=cv2().INTER_NEAREST)
        return float(numpy.var(turned.sum(axis=1, dtype=numpy.float64)))

    best = max(numpy.arange(-SKEW_LIMIT, SKEW_LIMIT + 0.01, 0.25), key=sharpness)
    return max(numpy.arange(best - 0.2, best + 0.21, 0.05), key=sharpness)


def marks(grey):
    """Everything drawn, text and ruling alike: what is darker than the paper by a line's
    contrast at least (Otsu's ink may hold the text alone when the lines are light grey,
    and a few sparse labels tilt as well one way as another)."""
    return numpy.where(darkness(cv2().GaussianBlur(grey, (3, 3), 0)) >= LINE_CONTRAST, 255, 0).astype(numpy.uint8)


def straighten(grey):
    angle = skew_angle(marks(grey))
    if abs(angle) < 0.05:
        return grey
    centre = (grey.shape[1] / 2, grey.shape[0] / 2)
    matrix = cv2().getRotationMatrix2D(centre, angle, 1.0)
    return cv2().warpAffine(grey, matrix, grey.shape[::-1], flags=cv2().INTER_CUBIC, borderMode=cv2().BORDER_REPLICATE)


def glyph_height(ink):
    """The height of the text's characters in pixels: the 80th percentile of the marks that
    are neither specks nor lines (CJK characters break into radicals: lower marks)."""
    _, _, stats, _ = cv2().connectedComponentsWithStats(ink, connectivity=8)
    heights = [h for _, _, w, h, _ in stats[1:] if 6 <= h <= 200 and 2 <= w <= 200]
    return float(numpy.percentile(heights, 80)) if heights else 20.0


def upscaled(grey):
    """Small text (a screenshot's) at twice the size: its 1-px ruling and thin strokes then
    survive the blur and thresholds below, and a cell's glyphs are parts of pixels no more."""
    if glyph_height(binary(grey)) >= SMALL_TEXT:
        return grey
    return cv2().resize(grey, None, fx=2, fy=2, interpolation=cv2().INTER_CUBIC)


def darkness(grey):
    """How much darker than the paper each pixel is (the paper: the picture's commonest grey)."""
    paper = int(numpy.argmax(numpy.bincount(grey.ravel(), minlength=256)))
    return cv2().subtract(numpy.full_like(grey, paper), grey)


def ruling_lines(grey, ink):
    """The horizontal and vertical ruling lines of a table: strokes longer than any
    character (a "1" or a "一" is not a line), closed over small gaps. Found in the grey
    picture, not in the ink: a light grey 1-px line (a screenshot's) is no ink for a
    threshold set between paper and text, yet is darker than the paper all along."""
    glyph = glyph_height(ink)
    dark = darkness(grey)
    horizontal = cv2().morphologyEx(dark, cv2().MORPH_OPEN, numpy.ones((1, max(20, int(2.2 * glyph))), numpy.uint8))
    vertical = cv2().morphologyEx(dark, cv2().MORPH_OPEN, numpy.ones((max(12, int(1.5 * glyph)), 1), numpy.uint8))
    lines = numpy.where(cv2().max(horizontal, vertical) >= LINE_CONTRAST, 255, 0).astype(numpy.uint8)
    return cv2().dilate(lines, numpy.ones((3, 3), numpy.uint8))


def grid_cells(lines):
    """Regions the ruling lines enclose, as (top, left, bottom, right); the outside of the
    table (what touches the picture's border) and slivers are not cells."""
    count, labels, stats, _ = cv2().connectedComponentsWithStats(255 - lines, connectivity=4)
    height, width = lines.shape
    cells = []
    for index in range(1, count):
        left, top, w, h, area = stats[index]
        if left == 0 or top == 0 or left + w >= width or top + h >= height:
            continue
        if w < 8 or h < 8 or area < 0.5 * w * h:
            continue
        cells.append((int(top), int(left), int(top + h), int(left + w)))
    return cells


def rows_of(cells, tolerance):
    """Cells grouped into rows by their top edge, each row left to right: a merged cell is
    in the row where it starts, as the mapper expects."""
    rows = []
    for cell in sorted(cells):
        if rows and cell[0] - rows[-1][0][0] <= tolerance:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return [sorted(row, key=lambda cell: cell[1]) for row in rows]


def starts_with_dash(ink, box, min_height):
    """Whether the cell's ink opens with a flat mark level with the glyphs, as a minus sign
    does: "-3". (A recogniser may drop it and read "3" with confidence.)"""
    top, left, bottom, right = box
    inside = ink[top + 2 : bottom - 2, left + 2 : right - 2]
    if inside.size == 0:
        return False
    _, _, stats, _ = cv2().connectedComponentsWithStats(inside, connectivity=8)
    glyphs = [s for s in stats[1:] if s[4] >= 3 and s[3] >= min_height / 2]
    if not glyphs:
        return False
    first = min(glyphs, key=lambda s: s[0])
    return any(
        w > h and w >= min_height / 4 and x + w <= first[0] + 1 and first[1] <= y + h / 2 <= first[1] + first[3]
        for x, y, w, h, area in stats[1:]
        if area >= 3
    )


def inside_of(ink, box):
    """The ink of one cell, clear of its ruling."""
    top, left, bottom, right = box
    return ink[top + 2 : bottom - 2, left + 2 : right - 2]


def holds_ink(ink, box, min_height):
    """Whether a cell holds a mark beyond specks: a cell that does is no blank cell (a 0 the
    report left empty), whatever its text lines turn out to be."""
    inside = inside_of(ink, box)
    if inside.size == 0:
        return False
    _, _, stats, _ = cv2().connectedComponentsWithStats(inside, connectivity=8)
    return any(area >= max(3, (min_height / 4) ** 2) for area in stats[1:, 4])


def is_ring(ink, box, min_height):
    """Whether the cell's ink is one mark, as tall as a glyph and narrower than tall, that
    closes round one hole centred in it and spanning half its height at least: a "0". (A
    "6" or "9" holds its hole low or high, an "8" two, a "4" a small one up top.)"""
    inside = inside_of(ink, box)
    if inside.size == 0:
        return False
    count, labels, stats, _ = cv2().connectedComponentsWithStats(inside, connectivity=8)
    marks = [index for index in range(1, count) if stats[index, 4] >= 3]
    if len(marks) != 1:
        return False
    x, y, w, h, _ = stats[marks[0]]
    if h < min_height / 2 or not 0.4 <= w / h <= 0.9:
        return False
    paper = (labels[y : y + h, x : x + w] != marks[0]).astype(numpy.uint8)
    count, _, holes, _ = cv2().connectedComponentsWithStats(paper, connectivity=4)
    inner = [s for s in holes[1:] if s[0] > 0 and s[1] > 0 and s[0] + s[2] < w and s[1] + s[3] < h]
    if len(inner) != 1:
        return False
    hx, hy, hw, hh, _ = inner[0]
    return bool(hh >= h / 2 and hw >= w / 4 and abs(hy + hh / 2 - h / 2) <= 0.1 * h)


def text_lines(ink, grey, box, min_height):
    """The crops of the lines of text inside one cell (grey, with a margin), top to bottom;
    none when the cell holds no ink but specks."""
    top, left, bottom, right = box
    pad = 2
    inside = ink[top + pad : bottom - pad, left + pad : right - pad]
    if inside.size == 0:
        return []
    _, _, stats, _ = cv2().connectedComponentsWithStats(inside, connectivity=8)
    marks = [s for s in stats[1:] if s[4] >= 3]  # a pixel or two is no mark
    # Lines of text are where marks as tall as a glyph's part are; a line's crop then spans
    # every mark beside them (a minus sign, a dot, and noise too: the recogniser sees it all).
    glyphs = [s for s in marks if s[3] >= min_height / 2]
    if not glyphs:
        return []
    rows = numpy.zeros(inside.shape[0], bool)
    for _x, y, _w, h, _ in glyphs:
        rows[y : y + h] = True
    crops, start = [], None
    for y, filled in enumerate(numpy.append(rows, False)):
        if filled and start is None:
            start = y
        elif not filled and start is not None:
            if y - start >= min_height / 3:
                xs = [(x, x + w) for x, yy, w, h, _ in marks if yy < y and yy + h > start]
                x0, x1 = min(a for a, _ in xs), max(b for _, b in xs)
                margin = max(3, (y - start) // 4)
                crops.append(
                    grey[
                        max(0, top + pad + start - margin) : top + pad + y + margin,
                        max(0, left + pad + x0 - margin) : left + pad + x1 + margin,
                    ]
                )
            start = None
    return crops


def line_crops(crops, factor):
    """(the crops at the picture's own size, the upscaled crops or none): the recogniser reads
    a picture as it was published (noise upscaled reads worse: a scanned 96 dpi JPEG lost a
    third of its cells), and looks again at the larger crop of a doubtful number."""
    if factor == 1:
        return crops, []
    small = [cv2().resize(crop, None, fx=1 / factor, fy=1 / factor, interpolation=cv2().INTER_AREA) for crop in crops]
    return small, crops


def find_cells(grey):
    """A table picture -> rows of Cells; ImageError when no ruled grid is found."""
    height = grey.shape[0]
    grey = straighten(upscaled(grey))
    factor = grey.shape[0] / height
    ink = binary(grey)
    lines = ruling_lines(grey, ink)
    boxes = grid_cells(lines)
    if len(boxes) < 4:
        raise ImageError("no ruled table in the picture")
    text_ink = cv2().subtract(ink, lines)
    heights = sorted(bottom - top for top, _, bottom, _ in boxes)
    min_height = max(6, heights[len(heights) // 4] // 3)  # a quarter of the cells are one text line
    return [
        [
            Cell(
                *box,
                *line_crops(text_lines(text_ink, grey, box, min_height), factor),
                dash_first=starts_with_dash(text_ink, box, min_height),
                inked=holds_ink(text_ink, box, min_height),
                ring=is_ring(text_ink, box, min_height),
            )
            for box in row
        ]
        for row in rows_of(boxes, tolerance=max(4, min_height // 2))
    ]


class RapidRecognizer:
    """PP-OCRv4 text-line recognition (RapidOCR, ONNX Runtime), models from inside the wheel."""

    name = "rapidocr"

    def __init__(self):
        import rapidocr_onnxruntime
        import yaml
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer

        root = Path(rapidocr_onnxruntime.__file__).parent
        config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))["Rec"]
        config["model_path"] = str(root / config["model_path"])
        # One thread: no spinning threads fighting a busy machine (two took 1.6x the CPU seconds).
        # Crops stay padded to the model's 320 pixels: padded less, a lone "0" is read with less
        # confidence (JPEG 表三: 70 of 161 cells given at 0.9 padded, 29 of 161 at 0.8 not).
        config.update(intra_op_num_threads=1, inter_op_num_threads=1)
        self.recognise_lines = TextRecognizer(config)

    def __call__(self, crops):
        """Grey line crops -> [(text, confidence)]."""
        if not crops:
            return []
        colour = [cv2().cvtColor(crop, cv2().COLOR_GRAY2BGR) for crop in crops]
        results, _ = self.recognise_lines(colour)
        return [(text, float(score)) for text, score in results]


class TesseractRecognizer:
    """Tesseract (chi_sim) on every line crop at once: the crops stacked in one picture, one
    line each, read with --psm 6; a line's confidence is its lowest word confidence."""

    name = "tesseract"
    GAP = 24

    def __init__(self):
        if not shutil.which("tesseract"):
            raise ImageError("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")

    def __call__(self, crops):
        if not crops:
            return []
        scaled = [
            cv2().resize(c, None, fx=40 / c.shape[0], fy=40 / c.shape[0], interpolation=cv2().INTER_CUBIC)
            for c in crops
        ]
        width = max(c.shape[1] for c in scaled) + 2 * self.GAP
        sheet = numpy.full((sum(c.shape[0] + self.GAP for c in scaled) + self.GAP, width), 255, numpy.uint8)
        tops, y = [], self.GAP
        for crop in scaled:
            sheet[y : y + crop.shape[0], self.GAP : self.GAP + crop.shape[1]] = crop
            tops.append((y, y + crop.shape[0]))
            y += crop.shape[0] + self.GAP
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "lines.png"
            cv2().imwrite(str(path), sheet)
            tsv = subprocess.run(
                ["tesseract", str(path), "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        words = [[] for _ in crops]
        for line in tsv.splitlines()[1:]:
            fields = line.split("\t")
            if len(fields) < 12 or not fields[11].strip() or float(fields[10]) < 0:
                continue
            centre = int(fields[7]) + int(fields[9]) / 2
            for index, (top, bottom) in enumerate(tops):
                if top - self.GAP / 2 <= centre < bottom + self.GAP / 2:
                    words[index].append((int(fields[6]), fields[11], float(fields[10]) / 100))
        return [
            ("".join(w for _, w, _ in sorted(found)), min((c for _, _, c in found), default=0.0)) for found in words
        ]


@functools.lru_cache(maxsize=2)
def recognizer(name="rapidocr"):
    return {"rapidocr": RapidRecognizer, "tesseract": TesseractRecognizer}[name]()


def cell_text(texts):
    """A cell's line readings -> (its text, its confidence)."""
    if not texts:
        return "", 1.0
    return fold(" ".join(text for text, _ in texts)), min(score for _, score in texts)


def judged(text, confidence, min_confidence):
    """The text the mapper gets for one OCR cell: a number only when it is read cleanly and
    confidently; a label only when it holds Han (every label of the tables does);
    UNREADABLE for anything else: a doubtful number, a smudge read as "?" or "D 3"."""
    compact = clean(text)
    if NUMBER_RE.match(compact):  # "12", "-3", "27.47", "24万"; not "1 2": two marks, one number?
        return compact if confidence >= min_confidence and " " not in text.strip() else UNREADABLE
    if not compact or HAN_RE.search(compact) and not BARE_NUMBER_START_RE.match(compact):
        return text
    return UNREADABLE


def read_table_image(data, engine="rapidocr", min_confidence=MIN_CONFIDENCE):
    """Picture bytes -> a Table with each cell's confidence; ImageError when the bytes are no
    picture or hold no ruled table."""
    return table_from_grey(decode(data), engine, min_confidence)


def read_cells(line_lists, engine):
    """Each cell's line crops -> (its text, its confidence), all crops read in one batch."""
    readings = iter(recognizer(engine)([crop for lines in line_lists for crop in lines]))
    return [cell_text([next(readings) for _ in lines]) for lines in line_lists]


def second_look(cells, texts, engine):
    """Doubtful numbers of upscaled pictures read again from their larger crops: the same
    text read again is kept at the better confidence; a different one stays doubtful."""
    doubtful = [
        at
        for at, (cell, (text, confidence)) in enumerate(zip(cells, texts))
        if cell.large_lines and confidence < MIN_CONFIDENCE and NUMBER_RE.match(clean(text))
    ]
    again = read_cells([cells[at].large_lines for at in doubtful], engine)
    for at, (text, confidence) in zip(doubtful, again):
        if text == texts[at][0]:
            texts[at] = (text, max(confidence, texts[at][1]))
    return texts


def table_from_grey(grey, engine="rapidocr", min_confidence=MIN_CONFIDENCE):
    rows = find_cells(grey)
    found = [cell for row in rows for cell in row]
    readings = iter(second_look(found, read_cells([cell.lines for cell in found], engine), engine))
    table_rows, confidences = [], {}
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            text, confidence = next(readings)
            if cell.dash_first and text[:1].isdigit():  # a minus sign seen but not read: "3" for "-3"
                confidence = 0.0
            if text == "0" and cell.ring:  # the recogniser and the shape of the ink agree
                confidence = max(confidence, ZERO_BY_SHAPE)
            cells.append(judged(text, confidence, min_confidence) if cell.lines or not cell.inked else UNREADABLE)
            if cell.lines:
                confidences[(r, c)] = round(confidence, 3)
        table_rows.append(cells)
    return Table(rows=table_rows, ocr_confidence=confidences)
