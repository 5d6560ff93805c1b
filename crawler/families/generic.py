"""Generic fallback family: any list page whose links carry report titles.

Handles: list pages of any CMS; links whose `title` attribute or text is a report title
(`…2022年政府信息公开工作年度报告`); pagination by `下一页` / `尾页` / `>` links; attachments
linked as .pdf/.doc/.docx/.wps/.xls files or marked `appendix="true"`.
"""

import datetime
import re
from dataclasses import dataclass, field

from extractors.metadata import is_report_title

ATTACHMENT_RE = re.compile(r"\.(?:pdf|docx?|wps|xlsx?)(?:$|\?)", re.I)  # "./P0202101.pdf", "a.doc?x=1"
TRUNCATED = ("...", "…", "..")
NEXT_PAGE_TEXTS = ("下一页", "下页", "后一页")
# https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/… -> https://www.beijing.gov.cn/gongkai/…
BIG5_GATE_RE = re.compile(r"^(https?://)[^/]+/gate/big5/([^/]+)/")
FIRST_REPORT_YEAR = 2008  # the 条例 took effect on 2008-05-01: the first reports cover 2008


def other_report_years(year):
    """Every reporting year from 2008 to this year, except `year`."""
    return [y for y in range(FIRST_REPORT_YEAR, datetime.date.today().year + 1) if y != year]


def canonical_url(url):
    """The URL of the original behind a Traditional-Chinese (big5) gateway, else url."""
    return BIG5_GATE_RE.sub(r"\1\2/", url)


def merge_aliases(links):
    """One Link per canonical URL, holding the aliases of all its occurrences."""
    merged = {}
    for item in links:
        if item.url in merged:
            merged[item.url].aliases += [a for a in item.aliases if a not in merged[item.url].aliases]
        else:
            merged[item.url] = item
    return list(merged.values())


@dataclass
class Link:
    url: str
    title: str
    needs_check: bool = False  # the list shows a truncated title: decide on the detail page
    aliases: list = field(default_factory=list)  # other URLs of the same document (big5, _wap)


class GenericFamily:
    name = "generic"
    download_re = None  # links to where the family's CMS serves attached files

    def matches(self, response):
        return True

    def report_links(self, response):
        """Links on a list page that lead to reports (by the title the list shows)."""
        links = []
        for anchor in response.css("a[href]"):
            href = anchor.attrib["href"].strip()
            if href.startswith(("javascript:", "#", "mailto:")):
                continue
            title = (anchor.attrib.get("title") or " ".join(anchor.css("::text").getall())).strip()
            title = re.sub(r"\s+", "", title)
            if is_report_title(title):
                needs_check = False
            elif title.endswith(TRUNCATED) and "信息公开" in title:
                needs_check = True
            else:
                continue
            url = response.urljoin(href)
            canonical, kind = self.canonical(url)
            links.append(Link(canonical, title, needs_check, [url] if kind else []))
        return merge_aliases(links)

    def canonical(self, url):
        """(canonical URL, alias kind) of a URL this family publishes in several forms."""
        canonical = canonical_url(url)
        return (canonical, "big5") if canonical != url else (url, None)

    def probe_pages(self, response):
        """Pages that may not exist (a unit's report module asked for another year): a 404
        there means "no report", not a failure."""
        return []

    def next_pages(self, response):
        urls = []
        for anchor in response.css("a[href]"):
            text = "".join(anchor.css("::text").getall()).strip()
            if text in NEXT_PAGE_TEXTS:
                urls.append(response.urljoin(anchor.attrib["href"]))
        return urls

    def document_key(self, url):
        """The source's own id for a document: here its canonical URL (no fragment)."""
        return url.split("#")[0]

    def detail_title(self, response):
        title = response.css("meta[name=ArticleTitle]::attr(content)").get()
        if not title:
            title = response.css("h1::text, .title::text").get() or response.css("title::text").get() or ""
        return re.sub(r"\s+", "", title.split("_")[0])

    def attachments(self, response):
        """Absolute attachment URLs, each once, in the order attachment_hrefs gives them."""
        urls = []
        for href in self.attachment_hrefs(response):
            url = response.urljoin(href.strip())
            if url not in urls:
                urls.append(url)
        return urls

    def attachment_hrefs(self, response):
        """Links marked `appendix="true"`, then links to office and PDF files, then links to
        where the family's CMS serves files (`download_re`)."""
        hrefs = response.css('a[appendix="true"]::attr(href), a[data-appendix="true"]::attr(href)').getall()
        links = response.css("a::attr(href)").getall()
        hrefs += [h for h in links if ATTACHMENT_RE.search(h)]
        if self.download_re:
            hrefs += [h for h in links if self.download_re.search(h)]
        return hrefs
