"""Turn one archived document (HTML, PDF, DOCX, DOC, plain text) into the report JSON.

`extractors.report.extract_document` is the single entry point used by the CLI, the
crawl's extraction step, `reextract` and the tests.
"""

EXTRACTOR_VERSION = "0.2.0"  # 0.2.0: one-pass HTML reading; rows printed all blank read as 0s; fallback tables kept in their sections


class DocumentError(Exception):
    """The file cannot be read at all."""
