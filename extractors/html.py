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
    root = lxml.html.fromstring(html)
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
    container = find_container(root)
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


MAX_TABLE_ROWS = 2000  # the official tables have ~30 rows; a huge table is not one of them


def read_table(table_el):
    span_rows = []
    rows = table_el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    for tr in rows[:MAX_TABLE_ROWS]:
        cells = []
        for td in tr.xpath("./td|./th"):
            cells.append((cell_text(td), span(td, "rowspan"), span(td, "colspan")))
        span_rows.append(cells)
    table = table_from_spans(span_rows)
    if len(rows) > MAX_TABLE_ROWS:
        table.truncated_from = len(rows)
    return table


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
