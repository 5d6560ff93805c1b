"""HTML detail pages -> paragraphs and tables, in document order.

Known article containers are read with lxml (TRS `div.TRS_Editor`, UCAP `#UCAP-CONTENT`,
Hanweb `#zoom` / `.zw-content`, gov.cn `.pages_content`, ...); tables keep their
rowspan/colspan grid. Pages with an unknown template fall back to trafilatura for the text.
"""

import re

import lxml.html
import trafilatura

from .normalize import normalize_lines
from .tables import table_from_spans

CONTAINERS = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//div[contains(@class, 'TRS_UEDITOR')]",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='zoom']",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' zw-content ')]",
    "//div[contains(@class, 'pages_content')]",
    "//div[contains(@class, 'article-content')]",
    "//div[@id='content' or @class='content']",
)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
              "article", "blockquote", "center", "dd", "dt", "dl", "pre", "tr"}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "select", "button", "form"}
CHARSET_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
ENCODING_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}


def decode_html(data, http_charset=None):
    """HTTP charset -> <meta charset> -> UTF-8 -> GB18030 (gb2312/gbk read as GB18030)."""
    candidates = []
    if http_charset:
        candidates.append(http_charset)
    match = CHARSET_META_RE.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        encoding = ENCODING_ALIASES.get(name.lower(), name.lower())
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def read_html(data, http_charset=None):
    """bytes -> (blocks, meta). blocks: paragraphs (str) and Tables, in order."""
    html = decode_html(data, http_charset)
    root = lxml.html.fromstring(html)
    meta = page_metadata(root)
    container = find_container(root)
    if container is not None:
        blocks = walk(container)
    else:
        blocks = fallback_blocks(root, html)
    return blocks, meta


def find_container(root):
    for xpath in CONTAINERS:
        found = root.xpath(xpath)
        found = [el for el in found if len(el.text_content().strip()) >= 10]
        if found:
            return max(found, key=lambda el: len(el.text_content()))
    return None


def page_metadata(root):
    def meta(name):
        values = root.xpath(f"//meta[@name='{name}']/@content")
        return values[0].strip() if values else None

    title = meta("ArticleTitle")
    if not title:
        headings = [h.text_content().strip() for h in root.xpath("//h1|//*[contains(@class,'title')]")]
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
    blocks, line = [], []

    def end_line():
        text = "".join(line)
        line.clear()
        blocks.extend(normalize_lines([text]))

    def visit(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS:
            return
        if tag == "table" and not el.xpath(".//table"):
            end_line()
            blocks.append(read_table(el))
            return
        if tag == "br":
            end_line()
        elif tag in BLOCK_TAGS:
            end_line()
        if el.text and tag not in SKIP_TAGS:
            line.append(el.text)
        for child in el:
            visit(child)
            if child.tail:
                line.append(child.tail)
        if tag in BLOCK_TAGS or tag == "td":
            end_line()

    visit(container)
    end_line()
    return blocks


def read_table(table_el):
    span_rows = []
    for tr in table_el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = []
        for td in tr.xpath("./td|./th"):
            cells.append((cell_text(td), span(td, "rowspan"), span(td, "colspan")))
        span_rows.append(cells)
    return table_from_spans(span_rows)


def cell_text(td):
    parts = []
    for piece in td.xpath(".//text()|.//br|.//p"):
        if isinstance(piece, str):
            parts.append(piece)
        elif parts:
            parts.append("\n")
    text = "".join(parts).replace("\u00a0", " ")
    return "\n".join(s.strip() for s in text.split("\n") if s.strip())


def span(td, name):
    try:
        return max(1, int(re.sub(r"\D", "", td.get(name, "1")) or 1))
    except ValueError:
        return 1


def fallback_blocks(root, html):
    """Unknown template: trafilatura for prose, then every data table of the page."""
    text = trafilatura.extract(html, include_tables=False, include_comments=False) or ""
    blocks = normalize_lines(text.split("\n"))
    for table_el in root.xpath("//table[not(.//table)]"):
        table = read_table(table_el)
        if len(table.rows) >= 3:
            blocks.append(table)
    return blocks


def attachment_links(el):
    """Attachment hrefs: TRS appendix="true", and links to office/PDF files."""
    links = el.xpath(".//a[@appendix='true' or @data-appendix='true']/@href")
    links += [h for h in el.xpath(".//a/@href")
              if re.search(r"\.(pdf|docx?|wps|xlsx?)(?:$|\?)", h, re.I)]
    seen = []
    for href in links:
        if href not in seen:
            seen.append(href)
    return seen
