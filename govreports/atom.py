"""Atom 1.0 documents (RFC 4287) for the archive's feeds.

Written by hand with lxml rather than through datasette-atom: that plugin answers HTTP 500
when a feed's query returns no row (an empty "late reports" feed is the normal case), and
its entries need one SQL query per feed written in its column convention; here a feed is a
list of entries built by the code that owns the rows.

An entry is a dict: `id` (a stable tag: URI, the same for the same row on every request),
`title`, `link` (absolute URL), `updated` (ISO 8601, with a time zone or taken as UTC),
optional `summary` (plain text) and `author`.
"""

from datetime import UTC, datetime

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
TAG_AUTHORITY = "govreports"


def tag_uri(*parts):
    """A stable entry or feed id: tag:govreports,2024:report/r123/v2 (RFC 4151)."""
    return f"tag:{TAG_AUTHORITY},2024:" + "/".join(str(part) for part in parts)


def rfc3339(stamp):
    """'2024-03-01 08:00:00' or '2024-03-01T08:00:00+08:00' -> '2024-03-01T08:00:00+00:00'."""
    if not stamp:
        return "1970-01-01T00:00:00+00:00"
    moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _child(parent, name, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(feed_id, title, self_url, entries, alternate_url=None):
    """The feed as UTF-8 bytes; `updated` is the newest entry's (the epoch for an empty feed,
    so the document stays the same until a row changes)."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _child(feed, "id", feed_id)
    _child(feed, "title", title)
    stamps = [rfc3339(entry["updated"]) for entry in entries]
    _child(feed, "updated", max(stamps) if stamps else rfc3339(None))
    _child(_child(feed, "author"), "name", "govreports")
    _child(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    if alternate_url:
        _child(feed, "link", rel="alternate", href=alternate_url, type="text/html")
    for entry, stamp in zip(entries, stamps):
        item = _child(feed, "entry")
        _child(item, "id", entry["id"])
        _child(item, "title", entry["title"])
        _child(item, "updated", stamp)
        _child(item, "link", rel="alternate", href=entry["link"], type="text/html")
        if entry.get("author"):
            _child(_child(item, "author"), "name", entry["author"])
        if entry.get("summary"):
            _child(item, "summary", entry["summary"])
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
