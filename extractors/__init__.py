"""Turn one archived document (HTML, PDF, DOCX, DOC, plain text) into the report JSON.

`extractors.report.extract_document` is the single entry point used by the CLI, the
crawl's extraction step, `reextract` and the tests.
"""

EXTRACTOR_VERSION = "0.3.2"  # 0.3.2: pages and DOCX files that crashed the 0.3.0 readers are read again; misaligned_row, cut 表四 labels, blank rows under a ragged header, quotes about a part of the body not compared


class DocumentError(Exception):
    """The file cannot be read at all."""
