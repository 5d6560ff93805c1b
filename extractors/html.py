"""HTML detail pages -> paragraphs and tables, in document order.

Known article containers (TRS `div.TRS_Editor`, UCAP `#UCAP-CONTENT`, Hanweb `#zoom` /
`.zw-content`, gov.cn `.pages_content`, ...) and article bodies on their own (no <html> or
<body>: a CMS export, an API's content field) are parsed with lxml and read by one XSLT pass
(`BLOCKS`); a table's merged cells (rowspan/colspan) are read once each, at their top-left.
Whole pages with an unknown template fall back to trafilatura for the text.
"""

import base64
import binascii
import re
import urllib.parse
from dataclasses import dataclass

import lxml.etree
import trafilatura

from . import DocumentError, parse_failure
from .metadata import publisher_on_page, publishing_body
from .normalize import compact, normalize_lines
from .tables import Table, fold

# Article containers of known templates, most specific first: TRS, UCAP, Hanweb, gov.cn, generic.
CONTAINER_MARKS = (
    ("class", "TRS_Editor"),
    ("class*", "TRS_UEDITOR"),
    ("id", "UCAP-CONTENT"),
    ("id", "zoom"),
    ("class", "zw-content"),
    ("class*", "pages_content"),
    ("class*", "article-content"),
    ("id", "content"),
    ("class", "content"),
)
# Elements that start and end a line (a table row ends one too: see BLOCKS)
BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "center",
    "dd",
    "dt",
    "dl",
    "pre",
}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "select", "button", "form"}
# lxml.etree's parser, not lxml.html's: lxml.html looks up a Python class for every element
# it hands out (a Python call each), and nothing here needs its HtmlElement methods.
HTML_PARSER = lxml.etree.HTMLParser(collect_ids=False)  # no id hash table: nothing looks elements up by id
TEXT = lxml.etree.XPath("string()", smart_strings=False)  # all text below an element, in one call
# A whole page, not an article body on its own: "<html lang=…>", "<body>"
PAGE_TAG_RE = re.compile(r"<(?:html|body)[\s>]", re.I)
CHARSET_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
ENCODING_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}


def decode_html(data, http_charset=None):
    """HTTP charset -> <meta charset> -> UTF-8 -> GB18030 (gb2312/gbk read as GB18030), each
    tried strictly. Returns (text, the encoding used, the charsets declared). Kept over
    w3lib's html_to_unicode, which trusts the first declaration: it lost the text of 1,242 of
    1,257 pages whose declaration lies, this none (benchmarks/charsets.py)."""
    declared = []
    if http_charset:
        declared.append(http_charset)
    match = CHARSET_META_RE.search(data[:4096])
    if match:
        declared.append(match.group(1).decode("ascii"))
    for name in declared + ["utf-8", "gb18030"]:
        encoding = _encoding(name)
        try:
            return data.decode(encoding), encoding, declared
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030", declared


def _encoding(name):
    return ENCODING_ALIASES.get(name.lower(), name.lower())


def charset_warning(encoding, declared):
    """(kind, message) when the bytes were read in a charset the page did not declare."""
    if not declared:
        if encoding == "utf-8":
            return None
        return "charset_guessed", (
            f"no charset declared in the HTTP headers or the page; the bytes read as {encoding.upper()}"
        )
    if encoding in map(_encoding, declared):
        return None
    names = " and ".join(dict.fromkeys(declared))
    return "charset_mismatch", f"the page declares {names}, but its bytes are not {names}; read as {encoding.upper()}"


def read_html(data, http_charset=None):
    """bytes -> (blocks, meta). blocks: paragraphs (str) and Tables, in order.
    meta: title, published, source (a <meta> naming the publishing body), publisher (the body
    a 发布机构/来源 line of the page names), site, images, warnings [(kind, message)]."""
    html, encoding, declared = decode_html(data, http_charset)
    if any(chr(code) in html for code in SEPARATORS):
        html = html.translate(SEPARATORS)
    try:
        root = lxml.etree.fromstring(html, HTML_PARSER)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise parse_failure(error, f"not readable as HTML: {error}") from error
    if root is None:
        raise DocumentError("not readable as HTML: no elements")
    meta = page_metadata(root)
    meta["warnings"] = [warning for warning in (charset_warning(encoding, declared),) if warning]
    repaired = repair_mojibake(meta["title"])
    if repaired != meta["title"]:
        meta["warnings"].append(
            (
                "mojibake",
                f"page metadata was double-decoded (UTF-8 read as GBK): "
                f"{meta['title'][:20]}… repaired to {repaired[:20]}…",
            )
        )
        meta["title"] = repaired
    container = find_container(root, html)
    if container is None and not PAGE_TAG_RE.search(html):
        container = root.find("body")  # an article body on its own (a CMS export, an API's field)
    if container is not None:
        blocks, meta["images"] = read_blocks(container)
    else:
        blocks = fallback_blocks(root, html)
    limit = parser_limit()
    if limit and not blocks:
        raise DocumentError(limit)
    if limit:
        meta["warnings"].append(("parser_limit", limit))
    truncated = [t for t in blocks if getattr(t, "truncated_from", 0)]
    for table in truncated:
        meta["warnings"].append(
            (
                "table_truncated",
                f"a table of {table.truncated_from} rows was read only "
                f"up to row {MAX_TABLE_ROWS}: not one of the standard tables",
            )
        )
    return blocks, meta


# libxml2 stops at 256 levels of nesting: "Excessive depth in document: 256, use XML_PARSE_HUGE option"
DEPTH_LIMIT_RE = re.compile(r"depth in document: (\d+)")


def parser_limit():
    """When the last parse passed one of libxml2's limits (nesting, the size of one text),
    what that cost: the page beyond it was not read. Otherwise None."""
    for entry in HTML_PARSER.error_log:
        if entry.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            depth = DEPTH_LIMIT_RE.search(entry.message)
            if depth:
                return (
                    f"markup nested more than {depth.group(1)} elements deep: the text below that depth cannot be read"
                )
            return f"the page passes a limit of the HTML parser ({entry.message}): what lies beyond it cannot be read"
    return None


# What UTF-8 Chinese looks like after being decoded as GBK: "鏀垮簻淇℃伅鍏紑" for "政府信息公开"
def repair_mojibake(text):
    """Undo one round of UTF-8-read-as-GBK when that yields clean text; else return text."""
    if not text:
        return text
    try:
        repaired = text.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired if repaired != text and len(repaired) < len(text) else text


# The name of the element whose start tag holds a mark: "<div class="TRS_Editor" -> div
START_TAG_NAME_RE = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")


def _tags_mentioning(source, name):
    """Names of the elements whose start tag mentions name in the page source. Asking lxml
    for those elements only (`iter(*tags)`, in C) is faster than an XPath over every
    element's class (benchmarks/README.md)."""
    tags, at = set(), source.find(name)
    while at != -1:
        match = START_TAG_NAME_RE.match(source, source.rfind("<", 0, at))
        if match:
            tags.add(match.group(1).lower())
        at = source.find(name, at + len(name))
    return tags


def _carries(el, kind, name):
    """kind "id": the id; "class": a class token; "class*": part of the class attribute."""
    if kind == "id":
        return el.get("id") == name
    classes = el.get("class") or ""
    return name in (classes.split() if kind == "class" else classes)


def _has_text(el, at_least=10):
    """True when the element holds at least that many characters besides whitespace."""
    seen = 0
    for piece in el.itertext():
        seen += len(piece.strip())
        if seen >= at_least:
            return True
    return False


def find_container(root, source):
    """The known article container with the most text, in the order of CONTAINER_MARKS;
    source (the page as text) tells which marks and which elements to look at."""
    for kind, name in CONTAINER_MARKS:
        tags = _tags_mentioning(source, name)
        if not tags:
            continue
        found = [el for el in root.iter(*tags) if _carries(el, kind, name)]
        found = [el for el in found if _has_text(el)]
        if len(found) > 1:
            return max(found, key=lambda el: len(TEXT(el).strip()))
        if found:
            return found[0]
    return None


# Headings that may hold the title; the class test starts from the attribute, which libxml2
# answers far faster than `//*[contains(@class, 'title')]`
TITLE_CANDIDATES = lxml.etree.XPath("//h1 | //@class[contains(., 'title')]/..")


# <meta name=…> naming the publishing body, as the CMSs write it (TRS, Hanweb, nfw-cms/gkmlpt, …)
SOURCE_METAS = ("ContentSource", "ArticleSource", "source", "Source", "publisher", "Publisher")


def page_metadata(root):
    metas = {}
    for el in root.iter("meta"):
        name, content = el.get("name"), el.get("content")
        if name and content is not None:
            metas.setdefault(name, content.strip())

    def meta(name):
        return metas.get(name)

    title = meta("ArticleTitle")
    if not title:
        headings = [TEXT(h).strip() for h in TITLE_CANDIDATES(root)]
        title = next((h for h in headings if "报告" in h), None)
    if not title:
        page_title = root.xpath("string(//title)").strip()
        title = re.split(r"[_|－—-]", page_title)[0].strip() or None
    return {
        "title": title,
        "published": meta("PubDate") or meta("pubdate") or meta("firstpublishedtime"),
        "source": next(filter(None, map(publishing_body, map(meta, SOURCE_METAS))), None),
        "publisher": publisher_on_page(TEXT(root)),
        "site": meta("SiteName"),
    }


MAX_TABLE_ROWS = 2000  # the official tables have ~30 rows; a huge table is not one of them

# The container read in one libxml2 pass (XSLT to text) instead of a Python walk over its
# elements. Unicode noncharacters (reserved for internal use, stripped from the page before
# parsing) mark the structure: a line break, a table's start and end, a cell's end, a row's
# end and an image. A data table is one that holds no other table: one whose end comes
# before the next table's start. Every template is a plain pattern: libxslt's string
# functions and for-each loops cost more than the parse itself. Kept over trafilatura's
# tables, which flatten layout tables and leak the 索引号 table (docs/extraction.md).
LINE, TABLE_START, TABLE_END, CELL_END, ROW_END, IMAGE = (chr(0xFDD0 + i) for i in range(6))
SEPARATORS = {0xFDD0 + i: None for i in range(6)}
# No xsl:strip-space: libxslt strips by deleting the whitespace text nodes from the input
# tree, and when the input is an element (not its whole document) lxml hands libxslt a
# stand-in root that shares the element's children, so the element kept pointers to freed
# nodes (a double free, a crash). The stylesheet only reads the tree it is given; the
# whitespace between a table's rows and cells reaches the stream, where _table folds it
# away beside the separators and _lines drops the blank lines it makes.


@dataclass(frozen=True)
class ImageRef:
    """An <img> of the article, where it stands among the blocks: its src as written."""

    src: str


BLOCKS = lxml.etree.XSLT(
    lxml.etree.XML(
        f"""
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{"|".join(sorted(SKIP_TAGS))}"/>
<xsl:template match="{"|".join(sorted(BLOCK_TAGS))}">
  <xsl:text>{LINE}</xsl:text><xsl:apply-templates/><xsl:text>{LINE}</xsl:text>
</xsl:template>
<xsl:template match="br"><xsl:text>{LINE}</xsl:text></xsl:template>
<xsl:template match="img"><xsl:text>{IMAGE}</xsl:text><xsl:value-of select="@src"/><xsl:text>{IMAGE}</xsl:text></xsl:template>
<xsl:template match="td|th"><xsl:apply-templates/><xsl:text>{CELL_END}</xsl:text></xsl:template>
<xsl:template match="tr"><xsl:apply-templates/><xsl:text>{ROW_END}</xsl:text></xsl:template>
<xsl:template match="table">
  <xsl:text>{TABLE_START}</xsl:text><xsl:apply-templates/><xsl:text>{TABLE_END}</xsl:text>
</xsl:template>
</xsl:stylesheet>""".encode()
    )
)


def read_blocks(el):
    """An element's text as paragraphs, its data tables (tables holding no other table) as
    Tables and its images outside data tables as ImageRefs, in document order; and the
    number of images in it."""
    stream = bytes(BLOCKS(el)).decode("utf-8")  # str() of the result is 5x slower
    images = stream.count(IMAGE) // 2
    text, *tables = stream.split(TABLE_START)
    blocks = _lines(text)
    for part in tables:
        if TABLE_END in part:  # no other table starts before this one ends: a data table
            body, text = part.split(TABLE_END, 1)
            blocks.append(_table(body))
        else:  # a layout table: its text up to the table nested in it
            text = part
        blocks.extend(_lines(text))
    return blocks, images


def _lines(text):
    """Outside data tables, the cell and row ends of a layout table end lines too, and so
    does the end of a layout table. An image stands between the lines around it."""
    for separator in (CELL_END, ROW_END, TABLE_END):
        text = text.replace(separator, LINE)
    if IMAGE not in text:
        return normalize_lines(text.split(LINE))
    pieces = text.split(IMAGE)  # text, src, text, src, ..., text
    blocks = normalize_lines(pieces[0].split(LINE))
    for src, after in zip(pieces[1::2], pieces[2::2]):
        blocks.append(ImageRef(src.strip()))
        blocks += normalize_lines(after.split(LINE))
    return blocks


def _table(body):
    """A merged cell is one <td> in HTML: reading each row's cells in order reads it once, at
    its top-left, as the mapper expects. A cell's text is its string value (a <br> or <p>
    inside it joins, as in the browser's copy) with whitespace runs folded."""
    if IMAGE in body:  # a picture inside a cell says nothing the cell's text does not
        body = "".join(body.split(IMAGE)[::2])
    body = fold(body.replace(LINE, ""))
    for separator in (CELL_END, ROW_END):  # no space may stay next to one: "12 \ufdd3 许可"
        body = body.replace(" " + separator, separator).replace(separator + " ", separator)
    rows = body.split(ROW_END)[:-1]
    table = Table(rows=[row.split(CELL_END)[:-1] for row in rows[:MAX_TABLE_ROWS]])
    if len(rows) > MAX_TABLE_ROWS:
        table.truncated_from = len(rows)
    return table


def fallback_blocks(root, html):
    """Unknown template: trafilatura for prose, and every data table of the page placed
    after the line that precedes it in the page (its section heading, usually), so that
    each table stays in its section."""
    text = trafilatura.extract(html, include_tables=False, include_comments=False) or ""
    blocks = normalize_lines(text.split("\n"))
    at = 0
    for table_el in root.xpath("//table[not(.//table)]"):
        tables = [t for t in read_blocks(table_el)[0] if isinstance(t, Table) and len(t.rows) >= 3]
        if tables:
            at = _line_after(blocks, at, compact(TEXT_BEFORE(table_el)))
            blocks[at:at] = tables
            at += len(tables)
    return blocks


TEXT_BEFORE = lxml.etree.XPath("string(preceding::text()[normalize-space()][1])", smart_strings=False)


def _line_after(blocks, start, text):
    """The index after the first line from start on that holds text (whitespace aside); the
    end when trafilatura dropped that text."""
    for index in range(start, len(blocks)):
        if text and isinstance(blocks[index], str) and text in compact(blocks[index]):
            return index + 1
    return len(blocks)


def table_image_urls(data, url, http_charset=None, limit=20):
    """The absolute URLs of the images inside the article of an HTML page (not the page's
    logos, banners or QR codes outside it), in order, at most limit: what a crawl fetches
    so that extract_document can read tables published as pictures. `data:` images are
    inside the page already and are not listed."""
    blocks, _ = read_html(data, http_charset)
    urls = []
    for block in blocks:
        if isinstance(block, ImageRef) and block.src and not block.src.startswith("data:"):
            absolute = urllib.parse.urljoin(url or "", block.src)
            if absolute not in urls:
                urls.append(absolute)
    return urls[:limit]


# An image inlined in the page: "data:image/png;base64,iVBORw0..."
DATA_URI_RE = re.compile(r"^data:image/[\w.+-]+;base64,(?P<payload>[A-Za-z0-9+/=\s]+)$")


def image_bytes(src, url, images):
    """The bytes of one article image: inlined in a data: URI, or fetched (images maps
    absolute URL -> bytes); None when not at hand."""
    inline = DATA_URI_RE.match(src)
    if inline:
        try:
            return base64.b64decode(inline["payload"])
        except binascii.Error:
            return None
    return (images or {}).get(urllib.parse.urljoin(url or "", src))
