"""Turn one archived document (HTML, PDF, DOCX, DOC, plain text) into the report JSON.

`extractors.report.extract_document` is the single entry point used by the CLI, the
crawl's extraction step, `reextract` and the tests.
"""

EXTRACTOR_VERSION = "0.2.0"  # 0.2.0: HTML read by one XSLT pass (comments and scripts no longer in the text)


class DocumentError(Exception):
    """The file cannot be read at all."""
