"""Turn one archived document (HTML, PDF, DOCX, DOC, plain text) into the report JSON.

`extractors.report.extract_document` is the single entry point used by the CLI, the
crawl's extraction step, `reextract` and the tests.
"""

EXTRACTOR_VERSION = "0.3.1"  # 0.3.1: pages and DOCX files that crashed or failed the 0.3.0 readers are read again


class DocumentError(Exception):
    """The file cannot be read at all."""
