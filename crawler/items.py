"""What the spider hands the pipeline: one class per kind of record."""

from dataclasses import dataclass


@dataclass
class Document:
    """A report page (role `page`), an attachment, or a picture of a report's article (`image`)."""

    url: str
    portal_id: str
    role: str
    sha256: str  # of the decoded body: the key the extraction step finds the capture by
    content_type: str
    http_charset: str | None = None
    parent_url: str | None = None
    doc_key: str | None = None
    title: str | None = None
    attachment_urls: str | None = None  # JSON list, pages only


@dataclass
class Alias:
    """`alias` is another URL of the document at `url` (a big5 gateway link, a `_wap` page)."""

    alias: str
    url: str
    kind: str
    portal_id: str


@dataclass
class Column:
    """An annual-report column found by the crawl, from which page and by which link text."""

    url: str
    portal_id: str
    parent_url: str | None
    link_text: str | None
    depth: int


@dataclass
class Reject:
    """A candidate that is not a report, and why."""

    url: str
    portal_id: str
    title: str | None
    reason: str
    judged_by: str  # title, page (the crawl), content (the extraction)
    column_url: str | None


@dataclass
class Removal:
    """A known report URL that answered 404 or 410 (status http_404, http_410)."""

    url: str
    portal_id: str
    status: str
