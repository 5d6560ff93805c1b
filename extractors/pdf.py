"""PDF -> paragraphs and tables.

Text comes from PDFium (pypdfium2: fast, no spaces between CJK characters); tables from
pdfplumber's ruled-line finder, run only on pages that draw lines or rectangles. Rows of a
table cut by a page break simply continue on the next page: the mapper reads rows in order.
"""

import io

import pdfplumber
import pypdfium2

from .docx import DocumentError
from .normalize import join_visual_lines, normalize_lines
from .tables import Table

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def read_pdf(data):
    pages_text = pdf_text(data)
    blocks = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages):
                text = pages_text[number] if number < len(pages_text) else ""
                blocks.extend(join_visual_lines(normalize_lines(text.split("\n"))))
                if page.lines or page.rects:
                    blocks.extend(page_tables(page))
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise DocumentError(f"PDF tables unreadable: {error}") from error
    return blocks, {}


def pdf_text(data):
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError("encrypted PDF: a password is required to open it") from error
        raise DocumentError(f"not a readable PDF: {error}") from error
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
        return texts
    finally:
        document.close()


def page_tables(page):
    """Ruled tables of one page. Some producers (Chromium) draw no border where a page
    break cuts a table, so the top and bottom of the vertical rules are closed explicitly;
    otherwise the first row after the break silently disappears."""
    tables = []
    for found in page.find_tables(_settings_closing_cut_tables(page)):
        rows = []
        for row in found.extract():
            cells = [cell for cell in row if cell is not None]
            if any((cell or "").strip() for cell in cells):
                rows.append([" ".join((cell or "").split("\n")) if _is_numberish(cell) else (cell or "")
                             for cell in cells])
        if any(sum(1 for cell in row if cell.strip()) >= 2 for row in rows):  # not a framed paragraph
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


def _is_numberish(cell):
    return bool(cell) and all(ch.isdigit() or ch in ".,-+ \n" for ch in cell)
