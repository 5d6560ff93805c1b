"""Turn one archived document (HTML, PDF, DOCX, DOC, plain text) into the report JSON.

`extractors.report.extract_document` is the single entry point used by the CLI, the
crawl's extraction step, `reextract` and the tests.
"""

EXTRACTOR_VERSION = "0.4.2"  # 0.4.2: the agency from more <meta> names (ArticleSource, source, publisher) and the page's 发布机构/来源 line, a <meta> that names no government body ignored; 0.4.1: tables published as pictures read by OCR (flag ocr, confidence); readers that crashed on 0.3.x read again; misaligned_row; quotes about a part of the body not compared


class DocumentError(Exception):
    """The file cannot be read at all."""


def parse_failure(error, message):
    """What a failed libxml2 parse raises: MemoryError when libxml2 ran out of memory (a
    worker's limit, not a fault of the document), else DocumentError(message)."""
    import lxml.etree

    if any(entry.type == lxml.etree.ErrorTypes.ERR_NO_MEMORY for entry in getattr(error, "error_log", ())):
        return MemoryError("the XML/HTML parser ran out of memory")
    return DocumentError(message)
