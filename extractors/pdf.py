"""PDF -> paragraphs and tables.

Everything is read through PDFium (pypdfium2): the text layer (fast, no spaces between CJK
characters) and, for pages that draw ruling lines, the characters and line segments that
pdfplumber's table finder works on (extractors/pdf_objects.py). Rows of a table cut by a
page break simply continue on the next page: the mapper reads rows in order.
"""

import pypdfium2
from pdfplumber.table import TableFinder

from . import DocumentError
from .normalize import join_visual_lines, normalize_lines, split_lines
from .pdf_objects import PdfiumPage, table_cells
from .tables import Table, fold

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def read_pdf(data):
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError("encrypted PDF: a password is required to open it") from error
        raise DocumentError(f"not a readable PDF: {error}") from error
    blocks = []
    try:
        for page in document:
            textpage = page.get_textpage()
            blocks.extend(join_visual_lines(normalize_lines(split_lines(textpage.get_text_range()))))
            blocks.extend(page_tables(PdfiumPage(page, textpage)))
    except pypdfium2.PdfiumError as error:
        raise DocumentError(f"PDF page unreadable: {error}") from error
    finally:
        document.close()
    return blocks, {}


def page_tables(page):
    """Ruled tables of one page. Some producers (Chromium) draw no border where a page
    break cuts a table, so the top and bottom of the vertical rules are closed explicitly;
    otherwise the first row after the break silently disappears."""
    if not page.edges:
        return []
    tables = []
    for found in TableFinder(page, _settings_closing_cut_tables(page)).tables:
        rows = []
        for row in table_cells(found, page.chars):
            cells = [fold(cell) for cell in row if cell is not None]
            if any(cells):
                rows.append(cells)
        if any(sum(1 for cell in row if cell) >= 2 for row in rows):  # not a framed paragraph
            tables.append(Table(rows=rows, in_text_layer=True))
    return tables


def _settings_closing_cut_tables(page):
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return TABLE_SETTINGS
    x0 = min(e["x0"] for e in verticals)
    x1 = max(e["x1"] for e in verticals)
    closing = [
        {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
         "width": x1 - x0, "height": 0, "pts": [(x0, y), (x1, y)]}
        for y in (min(e["top"] for e in verticals), max(e["bottom"] for e in verticals))
    ]
    return {**TABLE_SETTINGS, "explicit_horizontal_lines": closing}

