"""PDF -> paragraphs and tables.

Everything is read through PDFium (pypdfium2): the text layer (fast, no spaces between CJK
characters) and, for pages that draw ruling lines, the characters and line segments that
pdfplumber's table finder works on (extractors/pdf_objects.py), found by lookups
(extractors/pdf_grid.py). Rows of a table cut by a
page break simply continue on the next page: the mapper reads rows in order.
"""

import re

import numpy
import pypdfium2
import pypdfium2.raw

from . import DocumentError
from .normalize import compact, join_visual_lines, normalize_lines, split_lines
from .pdf_grid import GridFinder
from .pdf_objects import PdfiumPage, table_cells
from .tables import Table, fold
from .vocabulary import HAN

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
OCR_DPI = 200  # a page drawn for OCR: its 五号 text about 30 px high
MIN_TEXT = 20  # a page with fewer characters than this and a picture on it is read as a picture
# What a text layer without usable ToUnicode maps decodes to: UTF-8 bytes read one by one as
# Latin-1 ("æ¿å”ä¿¡æ…"), private-use code points, control characters, replacement marks
UNDECODED_RE = re.compile(r"[\u0080-\u024f\ue000-\uf8ff\x00-\x08\x0e-\x1f\ufffd]")
HAN_RE = re.compile(f"[{HAN}]")


def undecodable(text):
    """True for a text layer that does not decode: mostly Latin-1 letters, private-use or
    control characters where a Chinese report has Han ("æ¿å”ä¿¡æ…" for "政府信息")."""
    if not UNDECODED_RE.search(text):  # most pages: not one such character
        return False
    letters = compact(text)
    if len(letters) < MIN_TEXT:
        return False
    return len(UNDECODED_RE.findall(letters)) > 0.3 * len(letters) and len(HAN_RE.findall(letters)) < 0.05 * len(
        letters
    )


def read_pdf(data):
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError("encrypted PDF: a password is required to open it") from error
        raise DocumentError(f"not a readable PDF: {error}") from error
    blocks, warnings = [], []
    try:
        for number, page in enumerate(document, 1):
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if undecodable(text):
                warnings.append(
                    (
                        "text_layer_undecodable",
                        f"page {number}: the text layer does not decode "
                        f"(fonts without a usable ToUnicode map: {compact(text)[:12]}…): read by OCR",
                    )
                )
                blocks.extend(picture_tables(page, warnings))
                continue
            blocks.extend(join_visual_lines(normalize_lines(split_lines(text))))
            if len(text) < 10 * MIN_TEXT and len(compact(text)) < MIN_TEXT and has_picture(page):
                blocks.extend(picture_tables(page, warnings))
            else:
                blocks.extend(page_tables(PdfiumPage(page, textpage, text)))
    except pypdfium2.PdfiumError as error:
        raise DocumentError(f"PDF page unreadable: {error}") from error
    finally:
        document.close()
    return blocks, {"warnings": warnings}


def has_picture(page):
    return any(True for _ in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def picture_tables(page, warnings):
    """The ruled table a page shows only as a picture (a scan, an image-only page, a text
    layer that does not decode), read by OCR; none when the page holds no ruled table."""
    from .ocr import ImageError, table_from_grey

    bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
    grey = numpy.array(bitmap.to_numpy()[:, :, 0] if bitmap.to_numpy().ndim == 3 else bitmap.to_numpy())
    try:
        return [table_from_grey(grey)]
    except ImageError:
        return []
    except Exception as error:  # a page no library reads as a picture: the document goes on without it
        warnings.append(("ocr_failed", f"a page could not be read as a picture: {type(error).__name__}: {error}"))
        return []


def page_tables(page):
    """Ruled tables of one page. Some producers (Chromium) draw no border where a page
    break cuts a table, so the top and bottom of the vertical rules are closed explicitly;
    otherwise the first row after the break silently disappears."""
    if not page.edges:
        return []
    tables = []
    for found in find_tables(page):
        rows = []
        for row in table_cells(found, page.chars):
            cells = [fold(cell) for cell in row if cell is not None]
            if any(cells):
                rows.append(cells)
        if any(sum(1 for cell in row if cell) >= 2 for row in rows):  # not a framed paragraph
            tables.append(Table(rows=rows, in_text_layer=True))
    return tables


def find_tables(page):
    """The ruled tables pdfplumber's table finder sees in the page's lines."""
    return GridFinder(page, _settings_closing_cut_tables(page)).tables


def _settings_closing_cut_tables(page):
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return TABLE_SETTINGS
    x0 = min(e["x0"] for e in verticals)
    x1 = max(e["x1"] for e in verticals)
    closing = [
        {
            "object_type": "line",
            "x0": x0,
            "x1": x1,
            "top": y,
            "bottom": y,
            "width": x1 - x0,
            "height": 0,
            "pts": [(x0, y), (x1, y)],
        }
        for y in (min(e["top"] for e in verticals), max(e["bottom"] for e in verticals))
    ]
    return {**TABLE_SETTINGS, "explicit_horizontal_lines": closing}
