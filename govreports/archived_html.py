"""An archived HTML page made readable inside the archive, as the Wayback Machine does: its links
and images rewritten to their archived copies, links to what is not archived marked as leaving
the archive, and a banner at the top of the body. Pure: bytes in, bytes out.

The page's own bytes stay as they were everywhere else (its encoding too: the banner is written
in ASCII with character references, so it reads the same in a GBK page as in a UTF-8 one).
"""

import html
import re
from urllib.parse import urldefrag, urljoin

# An attribute naming a URL inside a tag: ` href="/a.pdf"`, ` src='x.png'`, ` href=b.html`
URL_ATTRIBUTE_RE = re.compile(rb"""(?i)(<[a-z][a-z0-9]*\b[^<>]*?\s)(href|src)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'<>`]+)""")
TAG_NAME_RE = re.compile(rb"(?i)^<([a-z][a-z0-9]*)")  # "<a " -> "a"
BASE_RE = re.compile(rb"""(?i)<base\b[^>]*?\shref\s*=\s*["']?([^"'\s>]+)""")  # <base href="http://x/">
BODY_RE = re.compile(rb"(?i)<body\b[^>]*>")  # <body class="x">
HTML_RE = re.compile(rb"(?i)<html\b[^>]*>")
META_CHARSET_RE = re.compile(rb"""(?i)<meta[^>]+charset\s*=\s*["']?([\w-]+)""")  # <meta charset="gbk">
LINK_TAGS = {b"a", b"area"}  # a reader follows these; the rest (img, link, …) load inside the page


def charset(content_type, body):
    """The page's encoding: the Content-Type's charset, else its <meta>, else UTF-8."""
    declared = re.search(r"(?i)charset=([\w-]+)", content_type or "")
    if declared:
        return declared.group(1)
    meta = META_CHARSET_RE.search(body[:4096])
    return meta.group(1).decode("ascii") if meta else "utf-8"


def links(body, page_url, encoding):
    """[(start, end, tag, absolute URL)] of each href/src value (start, end: the value's bytes,
    quotes included) that names an http(s) address; fragments, mailto:, javascript: and the
    <base> itself left out."""
    base = BASE_RE.search(body)
    base_url = urljoin(page_url, _text(base.group(1), encoding)) if base else page_url
    found = []
    for match in URL_ATTRIBUTE_RE.finditer(body):
        value = _text(match.group(4).strip(b"\"'"), encoding).strip()
        if not value or value.startswith("#"):
            continue
        absolute = urldefrag(urljoin(base_url, value)).url
        tag = TAG_NAME_RE.match(match.group(1)).group(1).lower()
        if re.match(r"(?i)https?://", absolute) and tag != b"base":
            found.append((match.start(4), match.end(4), tag, absolute))
    return found


def _text(raw, encoding):
    try:
        text = raw.decode(encoding, "replace")
    except LookupError:  # an encoding Python does not know
        text = raw.decode("utf-8", "replace")
    return html.unescape(text)


def rewritten(body, found, archived, banner):
    """body with each link of `found` pointing to archived[url] (marked data-gr-archive="archived")
    or, not archived, to its absolute address (marked "leaves"), and banner (ASCII bytes) put
    first in the body."""
    out, position = [], 0
    for start, end, tag, url in found:
        target = archived.get((url, tag in LINK_TAGS))
        out.append(body[position:start])
        if target:
            out.append(b'"' + _attribute(target) + b'" data-gr-archive="archived"')
        else:
            out.append(b'"' + _attribute(url) + b'" data-gr-archive="leaves"')
            if tag in LINK_TAGS:
                out.append(b' rel="noreferrer nofollow" title="' + _attribute("离开存档：" + url) + b'"')
        position = end
    out.append(body[position:])
    page = b"".join(out)
    opening = BODY_RE.search(page) or HTML_RE.search(page)
    at = opening.end() if opening else 0
    return page[:at] + banner + page[at:]


def _attribute(text):
    """Text as an ASCII attribute value: escaped, anything past ASCII as a character reference."""
    return html.escape(text, quote=True).encode("ascii", "xmlcharrefreplace")


def ascii_html(markup):
    """Our own markup (str) as ASCII bytes that read the same in any ASCII-compatible encoding."""
    return markup.encode("ascii", "xmlcharrefreplace")
