"""DOCX (and DOC via LibreOffice) -> paragraphs and tables, in document order.

Reads word/document.xml with lxml: w:gridSpan and w:vMerge become colspan/rowspan.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from . import DocumentError, parse_failure
from .normalize import normalize_lines
from .tables import table_from_spans
from .zip_members import open_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_XML = "word/document.xml"


def read_docx(data):
    """Paragraphs and tables of the body, parsed as word/document.xml streams in: each
    paragraph or table of the body is read when it ends and then freed."""
    blocks = []
    with open_member(data, DOCUMENT_XML) as stream:
        try:
            for _, element in etree.iterparse(
                stream, tag=(f"{W}p", f"{W}tbl"), resolve_entities=False, no_network=True
            ):
                if element.getparent() is None or element.getparent().tag != f"{W}body":
                    continue  # a paragraph or table inside a table: read with it
                blocks.extend(_body_block(element))
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
        except etree.XMLSyntaxError as error:
            raise parse_failure(error, f"{DOCUMENT_XML} is not well-formed XML: {error}") from error
    return blocks, {}


def _body_block(element):
    if element.tag == f"{W}p":
        return normalize_lines([paragraph_text(element)])
    return [read_table(element)]


def paragraph_text(p):
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def read_table(tbl):
    """Rows of (text, rowspan, colspan); vMerge continuation cells are folded into rowspan."""
    grid_rows = []  # per row: list of [col, text, colspan, vmerge]
    for tr in tbl.findall(f"{W}tr"):
        col = _grid_before(tr)
        row = []
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            colspan, vmerge = 1, None
            if props is not None:
                span = props.find(f"{W}gridSpan")
                if span is not None:
                    colspan = _count(span, minimum=1)
                merge = props.find(f"{W}vMerge")
                if merge is not None:
                    vmerge = merge.get(f"{W}val", "continue")
            text = "\n".join(paragraph_text(p).strip() for p in tc.findall(f"{W}p")).strip()
            row.append([col, text, colspan, vmerge])
            col += colspan
        grid_rows.append(row)
    span_rows = []
    for r, row in enumerate(grid_rows):
        cells = []
        for col, text, colspan, vmerge in row:
            if vmerge == "continue":
                continue
            rowspan = 1
            if vmerge == "restart":
                while r + rowspan < len(grid_rows) and any(
                    c[0] == col and c[3] == "continue" for c in grid_rows[r + rowspan]
                ):
                    rowspan += 1
            cells.append((text, rowspan, colspan))
        span_rows.append(cells)
    return table_from_spans(span_rows)


def _grid_before(tr):
    props = tr.find(f"{W}trPr")
    before = props.find(f"{W}gridBefore") if props is not None else None
    return _count(before, minimum=0) if before is not None else 0


def _count(element, minimum):
    """A w:val that counts grid columns; nonsense ("abc", "-1", "2.5") counts as the minimum."""
    try:
        return max(int(element.get(f"{W}val", "")), minimum)
    except ValueError:
        return minimum


def doc_to_docx(data):
    """Old binary Word (and WPS) -> DOCX bytes with LibreOffice headless."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise DocumentError("DOC/WPS files need LibreOffice (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                tmp,
                str(source),
            ],
            check=False,
            capture_output=True,
            timeout=120,
        )
        converted = Path(tmp) / "input.docx"
        if not converted.exists():
            raise DocumentError("LibreOffice could not convert this DOC file")
        return converted.read_bytes()


def read_doc(data):
    return read_docx(doc_to_docx(data))
