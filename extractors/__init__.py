"""Turn one archived document (HTML, PDF, DOCX, DOC, plain text) into the report JSON.

`extractors.report.extract_document` is the single entry point used by the CLI, the
crawl's extraction step, `reextract` and the tests.
"""

EXTRACTOR_VERSION = "0.4.0"  # 0.4.0: tables published as pictures read by OCR (flag ocr, confidence); misaligned_row; quotes about a part of the body not compared


class DocumentError(Exception):
    """The file cannot be read at all."""
