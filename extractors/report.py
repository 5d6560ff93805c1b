"""One document -> the report JSON of interfaces.md. The CLI, the crawl's extraction step,
reextract and the tests all call `extract_document`."""

import re

import extractors
from extractors import DocumentError

from .checks import run_checks, tables_with_facts
from .docx import read_doc, read_docx
from .html import ImageRef, image_bytes, read_html
from .metadata import find_agency, find_published, find_title, find_year, names_a_report
from .pdf import read_pdf
from .sections import split_sections
from .tables import Table, detect_layout, map_tables
from .text import read_text

READERS = {"html": read_html, "pdf": read_pdf, "docx": read_docx, "doc": read_doc, "text": read_text}
# The pre-2019 form (docs/tables.md, layout legacy): a part of its own on 依申请公开 under a
# top-level heading ("三、依申请公开政府信息情况"; reports since 2019 put it under
# "三、收到和处理政府信息公开申请情况", at most a "（二）依申请公开" inside 总体情况), and a part
# on fees and their waiving (收费及减免), which the unified tables replaced.
LEGACY_LABEL_RES = (
    re.compile(r"(?:^|\n)[一二三四五六七八九十]{1,2}[、.．]\s*[^\n]{0,16}?依申请公开"),
    re.compile(r"收费[及和与、]?减免"),
)
MODERN_HEADINGS = ("收到和处理政府信息公开申请",)


def sniff_format(data, name=""):
    """'html' | 'pdf' | 'docx' | 'doc' | 'text' from the bytes (the name only breaks ties)."""
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype" in lowered or b"<table" in lowered or b"<body" in lowered:
        return "html"
    if name.lower().endswith((".html", ".htm", ".shtml")):
        return "html"
    return "text"


def extract_document(data, name="", url=None, http_charset=None, images=None):
    """bytes -> report dict. Raises DocumentError when the file cannot be read at all.
    images: {absolute URL: bytes} of the article's pictures (as `table_image_urls` lists
    them), fetched by the crawl and archived: read by OCR when the page has no text tables."""
    if not data.strip():
        raise DocumentError(f"empty file ({len(data)} bytes)")
    source_format = sniff_format(data, name or url or "")
    try:
        if source_format == "html":
            blocks, meta = read_html(data, http_charset)
        else:
            blocks, meta = READERS[source_format](data)
    except RecursionError as error:
        raise DocumentError("markup nested too deeply to read") from error
    warnings = list(meta.get("warnings", []))
    paragraphs = [b for b in blocks if isinstance(b, str)]
    tables = [b for b in blocks if isinstance(b, Table)]
    text = document_text(blocks)
    title = find_title(paragraphs, meta.get("title"))
    year = find_year(title, text)
    layout = detect_layout(text) or legacy_or_none(text, year, title)
    mapping = map_tables(tables, layout)
    if not mapping.facts and layout != "legacy" and any(isinstance(b, ImageRef) for b in blocks):
        blocks, missing = read_pictures(blocks, url, images, warnings)
        tables = [b for b in blocks if isinstance(b, Table)]
        text = document_text(blocks)
        layout = detect_layout(text) or legacy_or_none(text, year, title)
        mapping = map_tables(tables, layout)
        if missing and mapping.facts:  # with no facts at all, tables_as_images says it
            warnings.append(("images_not_fetched", f"{missing} pictures of the article were not at hand to read"))
    if not text.strip():
        raise DocumentError(
            f"no readable text in this {source_format} document"
            + (" (scanned or image-only?)" if source_format == "pdf" else "")
        )

    # the 发布机构/来源 line of the page when neither the report nor the title names it
    agency = find_agency(title, paragraphs, meta.get("source")) or meta.get("publisher")
    facts = mapping.facts
    checks = []
    if layout in ("2019", "2021"):
        checks = run_checks({key: fact["value"] for key, fact in facts.items()}, layout, text, agency)
    checks += findings(mapping.problems)
    if meta.get("images") and not facts and layout != "legacy":
        detail = (
            f"no table cells could be read and the article holds {meta['images']} "
            "images: the tables are probably published as pictures"
        )
        checks.append({"rule": "tables_as_images", "status": "fail", "detail": detail})
        warnings.append(("tables_as_images", detail))
    if any("ocr" in fact.get("flags", ()) for fact in facts.values()):
        warnings.append(
            (
                "tables_read_by_ocr",
                f"{sum('ocr' in f.get('flags', ()) for f in facts.values())} cells "
                "read from pictures by OCR (flag ocr, with a confidence)",
            )
        )
    return {
        "title": title,
        "agency": agency,
        "year": year,
        "layout": layout,
        "published": find_published(paragraphs, meta.get("published")),
        "sections": split_sections(text),
        "text": text,
        "facts": list(facts.values()),
        "missing_tables": sorted({"t2", "t3", "t4"} - tables_with_facts(facts)) if layout != "legacy" else [],
        "checks": checks,
        "source_format": source_format,
        "warnings": [{"kind": kind, "message": message} for kind, message in warnings],
        "url": url,
        "extractor_version": extractors.EXTRACTOR_VERSION,
    }


def read_pictures(blocks, url, images, warnings):
    """The article's pictures that hold a ruled table, read by OCR, in their place among the
    blocks; a picture that holds no table is left out. Returns the blocks and how many
    pictures were not at hand (not fetched)."""
    from .ocr import ImageError, read_table_image  # OpenCV and the OCR model load only here

    read, missing = [], 0
    for block in blocks:
        if not isinstance(block, ImageRef):
            read.append(block)
            continue
        data = image_bytes(block.src, url, images)
        if data is None:
            missing += 1
            continue
        try:
            read.append(read_table_image(data))
        except ImageError:
            continue
        except Exception as error:  # an image no library reads: the document is read without it
            warnings.append(("ocr_failed", f"a picture could not be read: {type(error).__name__}: {error}"))
    return read, missing


def findings(problems):
    """Reading problems as failed check rows; the cells OCR left out as one row per document."""
    rows = [{"rule": rule, "status": "fail", "detail": detail} for rule, detail in problems if rule != "ocr_unreadable"]
    unread = [detail.split(":")[0] for rule, detail in problems if rule == "ocr_unreadable"]
    if unread:
        rows.append(
            {
                "rule": "ocr_unreadable",
                "status": "fail",
                "detail": f"{len(unread)} cells left out, not read with enough confidence: "
                + ", ".join(unread[:10])
                + (" …" if len(unread) > 10 else ""),
            }
        )
    return rows


def document_text(blocks):
    """Paragraphs one per line; each table row as its cells joined by tabs (unless the
    document's own text layer already carries the cells)."""
    lines = []
    for block in blocks:
        if isinstance(block, ImageRef):
            continue
        if isinstance(block, Table):
            if block.in_text_layer:
                continue
            lines.extend("\t".join(row) for row in block.rows if any(row))
        else:
            lines.append(block)
    return "\n".join(lines)


def legacy_or_none(text, year, title):
    """For a document without table labels: `legacy` when it is a report in the pre-2019
    form (its labels show it, or its title names a report of a year before 2019), None when
    unknown: not a report, or a report since 2019 whose tables are lost."""
    if not names_a_report(title) or any(heading in text for heading in MODERN_HEADINGS):
        return None
    if year and year < 2019:
        return "legacy"
    return "legacy" if any(label.search(text) for label in LEGACY_LABEL_RES) else None


__all__ = ["extract_document", "DocumentError", "sniff_format"]
