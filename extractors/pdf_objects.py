"""Characters and ruling lines of a PDF page read with PDFium, in pdfplumber's shapes.

pdfplumber's table finder is accurate but builds `page.chars` in pure Python through
pdfminer, most of its time per page. PDFium reads the same characters and path segments
in a fraction of it (figures: docs/extraction.md); `PdfiumPage` hands them to pdfplumber's TableFinder, which
needs only `.chars`, `.edges` and `.bbox`.
"""

import bisect
import ctypes
import functools

import pypdfium2.raw as pdfium

SEGMENT_MOVETO = pdfium.FPDF_SEGMENT_MOVETO
PATH = pdfium.FPDF_PAGEOBJ_PATH
AXIS_TOLERANCE = 1.0  # a segment within 1 pt of horizontal or vertical is a ruling line


class PdfiumPage:
    """The page-like object pdfplumber's TableFinder reads from (`.edges`, `.bbox`), and the
    page's characters (`.chars`), read only when a table was found; text: the text layer as
    read for the paragraphs, which spares a call per character when it holds one code per
    character."""

    def __init__(self, page, textpage, text=""):
        self.width, self.height = page.get_size()
        self.bbox = (0, 0, self.width, self.height)
        self.edges = page_edges(page, self.height)
        self.textpage, self.text = textpage, text

    @functools.cached_property
    def chars(self):
        return page_chars(self.textpage, self.height, self.text)


# A character as `page_chars` gives it: its box (top measured from the top of the page), its
# text, and the middle of its box, by which it is put into a cell.
X0, X1, TOP, BOTTOM, TEXT, H_MID, V_MID = range(7)


def page_chars(textpage, height, text=""):
    """Characters (tuples indexed by X0 … V_MID) with their loose (font-height) boxes, as
    pdfplumber measures them: tight glyph boxes would put '、' or '.' on a line of their own.
    text: the page's text layer; used for the characters' codes when it has one per
    character (PDFium leaves a NUL character out of it)."""
    chars = []
    box = pdfium.FS_RECTF()
    raw = textpage.raw
    count = pdfium.FPDFText_CountChars(raw)
    codes = text if len(text) == count else [chr(pdfium.FPDFText_GetUnicode(raw, index)) for index in range(count)]
    # (PDFium's generated characters are spaces and line breaks, dropped with code <= 32;
    # the table finder reads only ruling lines, so no character angle is asked for.)
    get_box = pdfium.FPDFText_GetLooseCharBox
    for index, code in enumerate(codes):
        if code <= " ":
            continue
        get_box(raw, index, box)
        left, right, top, bottom = box.left, box.right, height - box.top, height - box.bottom
        chars.append((left, right, top, bottom, code, (left + right) / 2, (top + bottom) / 2))
    return chars


def page_edges(page, height):
    """Horizontal and vertical segments of every path on the page (lines, rectangles,
    filled thin rectangles), in page coordinates with top measured from the top. A path of
    one line or one rectangle (most table borders) is read from its bounds, the rest
    segment by segment: each PDFium call costs a microsecond or more from Python."""
    edges = []
    x, y = ctypes.c_float(), ctypes.c_float()
    matrix = pdfium.FS_MATRIX()
    buffers = Buffers()
    raw, get_object, get_type, count_segments = (
        page.raw,
        pdfium.FPDFPage_GetObject,
        pdfium.FPDFPageObj_GetType,
        pdfium.FPDFPath_CountSegments,
    )
    for index in range(pdfium.FPDFPage_CountObjects(raw)):
        handle = get_object(raw, index)
        if get_type(handle) != PATH:
            continue
        segments = count_segments(handle)
        if segments in SIMPLE_PATH_SEGMENTS and _edges_from_bounds(edges, handle, segments, height, buffers):
            continue
        if not pdfium.FPDFPageObj_GetMatrix(handle, matrix):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        start = previous = None
        for number in range(segments):
            segment = pdfium.FPDFPath_GetPathSegment(handle, number)
            pdfium.FPDFPathSegment_GetPoint(segment, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = pdfium.FPDFPathSegment_GetType(segment)
            if kind == SEGMENT_MOVETO:
                start = point
            elif previous is not None:
                _add_edge(edges, previous, point, height)
            if pdfium.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(edges, point, start, height)
            previous = point
    return edges


SIMPLE_PATH_SEGMENTS = (2, 4, 5)  # a line: move + line; a rectangle: move + 3 lines (+ close) or "re"


class Buffers:
    """The ctypes values PDFium writes a path's bounds, draw mode and stroke width into,
    made once per page rather than once per path."""

    def __init__(self):
        self.left, self.bottom, self.right, self.top, self.width = (ctypes.c_float() for _ in range(5))
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()


def _edges_from_bounds(edges, handle, segments, height, buffers):
    """The edges of a one-line or one-rectangle path from its bounding box (less half the
    stroke, which PDFium counts in); False when the path is neither (read it by segments)."""
    left, bottom, right, top = buffers.left, buffers.bottom, buffers.right, buffers.top
    if not pdfium.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return False
    pdfium.FPDFPath_GetDrawMode(handle, buffers.fill, buffers.stroke)
    half = 0.0
    if buffers.stroke.value and pdfium.FPDFPageObj_GetStrokeWidth(handle, buffers.width):
        half = buffers.width.value / 2
    x0, x1 = left.value + half, right.value - half
    y0, y1 = bottom.value + half, top.value - half
    if x1 - x0 <= AXIS_TOLERANCE or y1 - y0 <= AXIS_TOLERANCE:  # a line or a thin bar
        _horizontal(edges, x0, x1, (y0 + y1) / 2, height)
        _vertical(edges, (x0 + x1) / 2, y0, y1, height)
        return True
    if segments == 2:
        return False  # a diagonal line: no ruling
    if not _is_rectangle(handle, segments):
        return False
    _horizontal(edges, x0, x1, y0, height)
    _horizontal(edges, x0, x1, y1, height)
    _vertical(edges, x0, y0, y1, height)
    _vertical(edges, x1, y0, y1, height)
    return True


def _is_rectangle(handle, segments):
    """A 4- or 5-segment path is a rectangle when its points take only two x and two y values."""
    x, y = ctypes.c_float(), ctypes.c_float()
    xs, ys = set(), set()
    for number in range(segments):
        pdfium.FPDFPathSegment_GetPoint(pdfium.FPDFPath_GetPathSegment(handle, number), x, y)
        xs.add(round(x.value, 1))
        ys.add(round(y.value, 1))
    return len(xs) <= 2 and len(ys) <= 2


def _add_edge(edges, p, q, height):
    """The segment from p to q (PDF coordinates) as a ruling line, if it is one."""
    (xa, ya), (xb, yb) = p, q
    if abs(yb - ya) <= AXIS_TOLERANCE:
        _horizontal(edges, xa, xb, max(ya, yb), height)
    elif abs(xb - xa) <= AXIS_TOLERANCE:
        _vertical(edges, min(xa, xb), ya, yb, height)


def _horizontal(edges, xa, xb, y, height):
    """A horizontal ruling line at height y from xa to xb, when longer than the tolerance."""
    if abs(xb - xa) > AXIS_TOLERANCE:
        x0, x1, top = min(xa, xb), max(xa, xb), height - y
        edges.append(
            {
                "object_type": "line",
                "orientation": "h",
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": top,
                "width": x1 - x0,
                "height": 0,
            }
        )


def _vertical(edges, x, ya, yb, height):
    """A vertical ruling line at x from ya to yb, when longer than the tolerance."""
    if abs(yb - ya) > AXIS_TOLERANCE:
        top, bottom = height - max(ya, yb), height - min(ya, yb)
        edges.append(
            {
                "object_type": "line",
                "orientation": "v",
                "x0": x,
                "x1": x,
                "top": top,
                "bottom": bottom,
                "width": 0,
                "height": bottom - top,
            }
        )


def table_cells(table, chars):
    """Text of every cell of a pdfplumber Table (None where a merged cell covers the grid),
    assigning each character of the table's box to its cell by binary search instead of
    pdfplumber's scan of every character for every cell."""
    rows = table.rows
    tops = [row.bbox[1] for row in rows]
    # per row: its cells' left edges, ascending, with the cell boxes and indexes
    columns = []
    for row in rows:
        boxes = sorted((cell[0], index, cell) for index, cell in enumerate(row.cells) if cell is not None)
        columns.append(([box[0] for box in boxes], boxes))
    out = [[None if cell is None else [] for cell in row.cells] for row in rows]
    left, top, right, bottom = table.bbox
    inside = [char for char in chars if top <= char[V_MID] < bottom and left <= char[H_MID] < right]
    for char in inside:
        v_mid, h_mid = char[V_MID], char[H_MID]
        # Rows can overlap (a row holding only the cut part of a rowspan cell), so look back
        # from the last row starting above the character until a cell contains it.
        for r in range(bisect.bisect_right(tops, v_mid) - 1, -1, -1):
            lefts, boxes = columns[r]
            at = bisect.bisect_right(lefts, h_mid) - 1
            if at >= 0:
                _, index, (x0, y0, x1, y1) = boxes[at]
                if x0 <= h_mid < x1 and y0 <= v_mid < y1:
                    out[r][index].append(char)
                    break
    return [[None if cell is None else cell_text(cell) for cell in row] for row in out]


def cell_text(chars, line_tolerance=3, space_gap=3):
    """Characters -> text: lines by vertical position, left to right, a space for a gap."""
    lines = []
    for char in sorted(chars, key=lambda ch: (round(ch[TOP]), ch[X0])):
        if lines and abs(char[TOP] - lines[-1][0]) <= line_tolerance:
            lines[-1][1].append(char)
        else:
            lines.append([char[TOP], [char]])
    texts = []
    for _, line in lines:
        line.sort(key=lambda ch: ch[X0])
        parts = [line[0][TEXT]]
        for before, char in zip(line, line[1:]):
            parts.append((" " if char[X0] - before[X1] > space_gap else "") + char[TEXT])
        texts.append("".join(parts))
    return "\n".join(texts)
