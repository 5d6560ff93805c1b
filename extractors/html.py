"""HTML detail pages -> paragraphs and tables, in document order.

Known article containers are read with lxml (TRS `div.TRS_Editor`, UCAP `#UCAP-CONTENT`,
Hanweb `#zoom` / `.zw-content`, gov.cn `.pages_content`, ...); a table's merged cells
(rowspan/colspan) are read once each, at their top-left. Pages with an unknown template fall back to trafilatura for the text.
"""

import itertools
import re

import lxml.etree
import trafilatura

from . import DocumentError
from .normalize import normalize_lines
from .tables import Table

# Article containers of known templates, most specific first: TRS, UCAP, Hanweb, gov.cn, generic.
CONTAINER_MARKS = (
    ("class", "TRS_Editor"), ("class*", "TRS_UEDITOR"), ("id", "UCAP-CONTENT"), ("id", "zoom"),
    ("class", "zw-content"), ("class*", "pages_content"), ("class*", "article-content"),
    ("id", "content"), ("class", "content"),
)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
              "article", "blockquote", "center", "dd", "dt", "dl", "pre", "tr"}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "select", "button", "form"}
# lxml.etree's parser, not lxml.html's: lxml.html looks up a Python class for every element
# it hands out (a Python call each), and nothing here needs its HtmlElement methods.
HTML_PARSER = lxml.etree.HTMLParser()
TEXT = lxml.etree.XPath("string()", smart_strings=False)  # all text below an element, in one call
CHARSET_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
ENCODING_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}


def decode_html(data, http_charset=None):
    """HTTP charset -> <meta charset> -> UTF-8 -> GB18030 (gb2312/gbk read as GB18030).
    Returns (text, the encoding used, whether it was declared)."""
    declared = []
    if http_charset:
        declared.append(http_charset)
    match = CHARSET_META_RE.search(data[:4096])
    if match:
        declared.append(match.group(1).decode("ascii"))
    for name in declared + ["utf-8", "gb18030"]:
        encoding = ENCODING_ALIASES.get(name.lower(), name.lower())
        try:
            return data.decode(encoding), encoding, name in declared
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030", False


def read_html(data, http_charset=None):
    """bytes -> (blocks, meta). blocks: paragraphs (str) and Tables, in order.
    meta: title, published, source, site, images, warnings [(kind, message)]."""
    html, encoding, declared = decode_html(data, http_charset)
    try:
        root = lxml.etree.fromstring(html, HTML_PARSER)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise DocumentError(f"not readable as HTML: {error}") from error
    if root is None:
        raise DocumentError("not readable as HTML: no elements")
    meta = page_metadata(root)
    meta["warnings"] = []
    if not declared and encoding != "utf-8":
        meta["warnings"].append(("charset_guessed", f"no charset declared in the HTTP headers or the page; "
                                                    f"the bytes read as {encoding.upper()}"))
    repaired = repair_mojibake(meta["title"])
    if repaired != meta["title"]:
        meta["warnings"].append(("mojibake", f"page metadata was double-decoded (UTF-8 read as GBK): "
                                              f"{meta['title'][:20]}… repaired to {repaired[:20]}…"))
        meta["title"] = repaired
    container = find_container(root, html)
    if container is not None:
        blocks = walk(container)
        meta["images"] = len(container.xpath(".//img"))
    else:
        blocks = fallback_blocks(root, html)
    truncated = [t for t in blocks if getattr(t, "truncated_from", 0)]
    for table in truncated:
        meta["warnings"].append(("table_truncated", f"a table of {table.truncated_from} rows was read only "
                                                    f"up to row {MAX_TABLE_ROWS}: not one of the standard tables"))
    return blocks, meta


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


# One XPath per mark, asked in rank order and only for marks whose name occurs in the page
# source: most pages carry the first mark, so one cheap query usually decides.
MARK_XPATHS = tuple(
    lxml.etree.XPath(f"//*[@id='{name}']" if kind == "id" else f"//*[contains(@class, '{name}')]")
    for kind, name in CONTAINER_MARKS)


def _carries(el, kind, name):
    """The XPath `contains` is a substring test: an exact class token for "class" marks."""
    return kind != "class" or name in (el.get("class") or "").split()


def find_container(root, source=""):
    """The known article container with the most text, in the order of CONTAINER_MARKS."""
    for (kind, name), xpath in zip(CONTAINER_MARKS, MARK_XPATHS):
        if source and name not in source:
            continue
        found = [(len(text), el) for el in xpath(root)
                 if _carries(el, kind, name) and len(text := TEXT(el).strip()) >= 10]
        if found:
            return max(found, key=lambda pair: pair[0])[1]
    return None


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
        headings = [TEXT(h).strip() for h in root.xpath("//h1|//*[contains(@class,'title')]")]
        title = next((h for h in headings if "报告" in h), None)
    if not title:
        page_title = root.xpath("string(//title)").strip()
        title = re.split(r"[_|－—-]", page_title)[0].strip() or None
    return {
        "title": title,
        "published": meta("PubDate") or meta("pubdate") or meta("firstpublishedtime"),
        "source": meta("ContentSource"),
        "site": meta("SiteName"),
    }


def walk(container):
    """The container's text as paragraphs, its data tables (tables holding no other table)
    as Tables, in document order; lxml's iterwalk drives the traversal."""
    blocks, line = [], []

    def end_line():
        if line:
            blocks.extend(normalize_lines(["".join(line)]))
            line.clear()

    walker = lxml.etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in SKIP_TAGS:
                walker.skip_subtree()
            elif tag == "table" and not el.xpath(".//table"):
                end_line()
                blocks.append(read_table(el))
                walker.skip_subtree()
            else:
                if tag == "br" or tag in BLOCK_TAGS:
                    end_line()
                if el.text and tag != "table":
                    line.append(el.text)
            continue
        if tag in BLOCK_TAGS or tag == "td":
            end_line()
        if el is not container and el.tail:
            line.append(el.tail)
    end_line()
    return blocks


MAX_TABLE_ROWS = 2000  # the official tables have ~30 rows; a huge table is not one of them


# Every cell of a table in one libxml2 pass: a cell ends with U+E000, a row with U+E001
# (private-use code points: a table that holds one is read cell by cell instead).
CELL_END, ROW_END = "\ue000", "\ue001"
TABLE_CELLS = lxml.etree.XSLT(lxml.etree.XML(f"""
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/">
  <xsl:for-each select="descendant::tr[position() &lt;= {MAX_TABLE_ROWS}]">
    <xsl:for-each select="td|th"><xsl:value-of select="."/><xsl:text>&#xE000;</xsl:text></xsl:for-each>
    <xsl:text>&#xE001;</xsl:text>
  </xsl:for-each>
</xsl:template>
</xsl:stylesheet>""".encode()))
HOLDS_SEPARATOR = lxml.etree.XPath(f"contains(., '{CELL_END}') or contains(., '{ROW_END}')")
ROW_COUNT = lxml.etree.XPath("count(descendant::tr)")


def read_table(table_el):
    """A merged cell is one <td> in HTML: reading each row's cells in order reads it once,
    at its top-left, as the mapper expects. (read_table only sees tables without nested
    tables.)"""
    if HOLDS_SEPARATOR(table_el):
        rows = [[cell_text(td) for td in tr.iterchildren("td", "th")]
                for tr in itertools.islice(table_el.iter("tr"), MAX_TABLE_ROWS)]
    else:
        cells = str(TABLE_CELLS(table_el))
        rows = [[" ".join(cell.split()) for cell in row.split(CELL_END)[:-1]] for row in cells.split(ROW_END)[:-1]]
    table = Table(rows=rows)
    total = int(ROW_COUNT(table_el))
    if total > MAX_TABLE_ROWS:
        table.truncated_from = total
    return table


def cell_text(td):
    """A cell's text, whitespace runs folded (labels are compared without whitespace and
    numbers carry none, so line breaks inside a cell need not survive)."""
    return " ".join(TEXT(td).split())


def fallback_blocks(root, html):
    """Unknown template: trafilatura for prose, then every data table of the page."""
    text = trafilatura.extract(html, include_tables=False, include_comments=False) or ""
    blocks = normalize_lines(text.split("\n"))
    for table_el in root.xpath("//table[not(.//table)]"):
        table = read_table(table_el)
        if len(table.rows) >= 3:
            blocks.append(table)
    return blocks
