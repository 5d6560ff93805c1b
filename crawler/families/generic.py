"""Generic fallback family: any list page whose links carry report titles.

Handles: list pages of any CMS; links whose `title` attribute or text is a report title
(`…2022年政府信息公开工作年度报告`); pagination by `下一页` / `尾页` / `>` links; attachments
linked as .pdf/.doc/.docx/.wps/.xls files or marked `appendix="true"`.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import tldextract
from scrapy.http import HtmlResponse

from extractors.judge import SECTION_HEADINGS, title_verdict
from extractors.metadata import ENDS_WITH_ORG_RE, REPORT_TITLE_RE, is_report_title

ATTACHMENT_RE = re.compile(r"\.(?:pdf|docx?|wps|xlsx?)(?:$|\?)", re.I)  # "./P0202101.pdf", "a.doc?x=1"
TRUNCATED = ("...", "…", "..")
NEXT_PAGE_TEXTS = ("下一页", "下页", "后一页")
# https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/… -> https://www.beijing.gov.cn/gongkai/…
BIG5_GATE_RE = re.compile(r"^(https?://)[^/]+/gate/big5/([^/]+)/")
FIRST_REPORT_YEAR = 2008  # the 条例 took effect on 2008-05-01: the first reports cover 2008
# A link to an annual-report column, anywhere: "政府信息公开年报", "部门信息公开年报",
# "乡镇（街道）年报", "政府信息公开工作年度报告" (without a year: with one it names a report)
COLUMN_TEXT_RE = re.compile(r"年报|年度报告")
# On an annual-report column, its sibling and sub-columns: "本级", "部门", "乡镇（街道）",
# "镇（街道）", "县（市、区）", "县政府部门", "直属单位", "2023年度", "部门年报"
SUBCOLUMN_TEXT_RE = re.compile(
    r"(?:(?:市|县|区|旗|州)(?:政府)?)?(?:直属|所属)?"
    r"(?:本级|部门|工作部门|组成部门|直属单位|单位|乡镇|乡|镇|街道|苏木|镇街|区县|县区|县市区|县|区"
    r"|(?:市|县|区|旗)直(?:部门|单位)?|(?:19|20)\d{2}年度?)"
    r"(?:[（(][^）)]{1,8}[)）])?"  # 乡镇（街道）, 镇（街道）, 县（市、区）
    r"(?:单位|部门)?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年报|年度报告)?"
)
# URLs of documents, not of lists, on any CMS: content_123.html, date folders /202401/
# /2024-01/ /2024/01/, attachments. Each family adds the shape of its own documents
# (`detail_url_re`); `is_document_url` asks every family.
DOCUMENT_URL_RE = re.compile(r"content_\d+|/(?:19|20)\d{2}[-/]?\d{2}/|\.(?:pdf|docx?|wps)(?:$|\?)", re.I)
# A vague title of a column item that may be a report: "年度报告", "2023年报", "2022年度"
VAGUE_TITLE_RE = re.compile(r"年报|报告|年度|(?:19|20)\d{2}")
# Link texts that name a report as well as a column: "年度报告", "2023年报", "政府信息公开年报";
# on an annual-report column the linked page tells which it is
AMBIGUOUS_TEXT_RE = re.compile(r"(?:(?:19|20)\d{2}年度?)?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年度报告|年报)")
# A link to a site's disclosure home, where its annual-report column is: "政务公开", "信息公开",
# "政府信息公开", "政务信息公开专栏"
DISCLOSURE_HOME_RE = re.compile(r"(?:政府|政务)?(?:信息)?公开(?:专栏|平台|专题)?")
# In a page's scripts: an innermost object or array, a string literal in it, and a string that
# reads as a URL (absolute, rooted, relative, or a page's file name)
SCRIPT_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)  # an entry commented out is no entry
SCRIPT_GROUP_RE = re.compile(r"[{\[][^{}\[\]]*[}\]]")
SCRIPT_STRING_RE = re.compile(r"(['\"])((?:\\.|(?!\1).)*)\1")
SCRIPT_URL_RE = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|aspx?|php)(?:[?#]|$)")
# The paths of a site's home page: "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp"
SITE_HOME_RE = re.compile(r"^/?(?:(?:index|default)\.\w+)?$")
# Numbered list pages announced by a script: "var maxPage = parseInt('2');" on …/gbm/1.html
MAX_PAGE_RE = re.compile(r"maxPage\s*=\s*(?:parseInt\(\s*)?['\"]?(\d+)")
NUMBERED_PAGE_RE = re.compile(r"/1\.(s?html?)$")  # …/zfxxgknb/2023n/gbm/1.html
# Where a page says where it sits: "当前位置：首页 > 信息公开 > 政府信息公开年报"
BREADCRUMB_CSS = (
    "[class*=bread] a, [id*=bread] a, [class*=position] a, [id*=position] a, "
    "[class*=location] a, [id*=location] a, [class*=crumb] a, [class*=dqwz] a, [id*=dqwz] a"
)


def other_report_years(year):
    """Every reporting year from 2008 to this year, except `year`."""
    return [y for y in range(FIRST_REPORT_YEAR, datetime.date.today().year + 1) if y != year]


def link_text(anchor):
    """An anchor's title attribute, else its text, without whitespace."""
    return re.sub(r"\s+", "", anchor.attrib.get("title") or " ".join(anchor.css("::text").getall()))


def same_site(url, hosts):
    """True when url is on one of the hosts or a sibling of one under the same site name
    (xxgk.example.gov.cn beside www.example.gov.cn)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or site_name(host) == site_name(h) for h in hosts)


# the Public Suffix List snapshot tldextract ships: never fetched at run time
PUBLIC_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.lru_cache(maxsize=4096)  # 11 µs a lookup, asked for every link of a list page
def site_name(host):
    """The name registered under a public suffix: 'example.gov.cn' for 'www.example.gov.cn',
    'example.com' for 'a.example.com', 'shili.bj.cn' for 'www.shili.bj.cn' (bj.cn is a suffix);
    an IP address or a single-label name is its own site."""
    return PUBLIC_SUFFIXES(host).top_domain_under_public_suffix or host


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


@dataclass
class ListPage:
    """What a list page offers the crawl, as its family reads it."""

    in_column: bool  # an annual-report column (said so by the crawl, or by the page itself)
    is_report: bool  # the page is itself a report (a start URL that is one, a Hanweb col page)
    links: list  # [Link] of its candidates, the links to columns among them
    columns: list  # [(url, link text)] of the annual-report columns it links to
    next_pages: list  # further pages of the same list
    probe_pages: list  # pages that may not exist (other years of a unit's report module)


def marker_in(marker, text):
    """A family's marker (a substring, or a compiled regex) in text."""
    return marker in text if isinstance(marker, str) else bool(marker.search(text))


def is_document_url(url):
    """A URL with the shape of a document on any CMS (never a list or a column)."""
    return bool(DOCUMENT_URL_RE.search(url)) or any(
        family.detail_url_re.search(url) for family in GenericFamily.registered.values() if family.detail_url_re
    )


def says_it_is_an_annual_report_column(response):
    """A page whose title, headings or breadcrumb say it is an annual-report column."""
    said = " ".join(
        response.css("title::text, h1::text, h2::text").getall()
        + response.css(BREADCRUMB_CSS.replace(" a,", " ::text,") + " ::text").getall()
    )
    return bool(COLUMN_TEXT_RE.search(said))


def looks_like_report(response):
    """A page that holds the official section headings of a report."""
    text = "".join(response.css("body ::text").getall())
    return sum(heading in text for heading in SECTION_HEADINGS) >= 3


def script_menu_entries(response):
    """[(href, name)] of the menu entries a page's inline scripts hold as data rather than as
    links: in each innermost object or array, a short name followed (or preceded) by the
    nearest string that reads as a URL, whatever the keys or their order:
    `{name: "信息公开", url: "/xxgk/"}`, `{'信息公开': 'http://…'}`, `["信息公开", "/xxgk/"]`."""
    entries = []
    for script in response.css("script:not([src])::text").getall():
        for group in SCRIPT_GROUP_RE.findall(SCRIPT_COMMENT_RE.sub("", script)):
            strings = [m.group(2) for m in SCRIPT_STRING_RE.finditer(group)]
            urls = [i for i, text in enumerate(strings) if SCRIPT_URL_RE.search(text)]
            for i, text in enumerate(strings):
                if i in urls or not urls or len(text) > 24:
                    continue
                nearest = min(urls, key=lambda u: (abs(u - i), u < i))
                entries.append((strings[nearest], text))
    return entries


def anchor_items(selector):
    """[(href, link text)] of the anchors of a page or fragment that lead somewhere."""
    items = []
    for anchor in selector.css("a[href]"):
        href = anchor.attrib["href"].strip()
        if not href.startswith(("javascript:", "#", "mailto:")):
            items.append((href, link_text(anchor)))
    return items


class GenericFamily:
    """The fallback family, and the base of every family. A family is mostly data that the
    methods here read; a subclass declares what its CMS does differently, and registers
    itself by being defined (a subclass without a `name` of its own, or with a name already
    taken, is an error). crawler/families/README.md lists every field."""

    name = "generic"  # what a registry's `family:` says
    detection_order = 1000  # when `matches` is tried on a portal that names no family (lower first)
    url_markers = ()  # substrings or compiled regexes of a list page's URL that mark the CMS
    page_markers = ()  # substrings or compiled regexes of a list page's text that mark the CMS
    detail_url_re = None  # the URL shape of the CMS's documents: such a link is never a column
    document_keys = ()  # ((regex, template), ...): the CMS's own id of a document, from its URL
    twins = ()  # ((regex, replacement, alias kind), ...): other URLs of one document (`_wap`)
    list_decoders = ()  # functions(response) -> [(href, title)] of a list the CMS does not show as links, or None
    yearly_module = None  # (regex with `unit` and `year` groups, URL template): one unit's report per year
    download_re = None  # links to where the CMS serves attached files
    attachment_css = None  # selector of further attachment hrefs on a detail page
    registered = {}  # name -> family instance, every family defined

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            raise TypeError(f"family class {cls.__name__} must declare its own `name`")
        if cls.name in GenericFamily.registered:
            raise TypeError(
                f"family class {cls.__name__}: the name {cls.name!r} is taken by "
                f"{type(GenericFamily.registered[cls.name]).__name__}"
            )
        GenericFamily.registered[cls.name] = cls()

    def matches(self, response):
        """Any of the family's markers on a list page (in its URL or its text)."""
        return any(marker_in(m, response.url) for m in self.url_markers) or any(
            marker_in(m, response.text) for m in self.page_markers
        )

    def list_page(self, response, in_column):
        """What a list page offers: whether it is an annual-report column (judged here unless
        the crawl says so), its candidates, columns, further pages and probes."""
        html = isinstance(response, HtmlResponse)
        in_column = bool(in_column) or (html and self.is_annual_report_column(response))
        return ListPage(
            in_column=in_column,
            is_report=html and is_report_title(self.detail_title(response)),
            links=self.report_links(response, in_column),
            columns=self.column_links(response, in_column) if html else [],
            next_pages=self.next_pages(response),
            probe_pages=self.probe_pages(response),
        )

    def is_annual_report_column(self, response):
        """A page that says it is an annual-report column (title, breadcrumb, heading), or
        that lists a report."""
        return says_it_is_an_annual_report_column(response) or any(
            not link.needs_check for link in self.report_links(response)
        )

    def is_list(self, response):
        """A page reached under a vague title that lists candidates rather than being a report:
        no report sections, not at a document's URL, more candidates than attachments."""
        if looks_like_report(response) or is_document_url(response.url):
            return False
        candidates = self.report_links(response, in_column=True)
        return len(candidates) >= 2 and len(candidates) > len(self.attachments(response))

    def list_items(self, response):
        """[(href, title)] of a list page: what the first of the family's list decoders that
        knows the page reads from it, else its links."""
        for decode in self.list_decoders:
            items = decode(response)
            if items is not None:
                return items
        return anchor_items(response)

    def report_links(self, response, in_column=False):
        """Candidates on a list page: links whose title names a report, and on an annual-report
        column also the items under a vague title ("年度报告", "2023年报", an agency's name)
        and those whose title names something else (the crawl rejects them, saying why)."""
        links = [self.candidate(response.urljoin(href), title, in_column) for href, title in self.list_items(response)]
        return merge_aliases([link for link in links if link is not None])

    def candidate(self, url, title, in_column):
        """The Link of a list item that may be a report or says it is about one, else None."""
        if is_report_title(title):
            needs_check = False
        elif (title.endswith(TRUNCATED) and "信息公开" in title) or REPORT_TITLE_RE.search(title):
            needs_check = True  # cut short, or about a report (解读, 通知 ...): the crawl judges it
        elif (
            in_column
            and (VAGUE_TITLE_RE.search(title) or ENDS_WITH_ORG_RE.search(title))
            and not SITE_HOME_RE.match(urlsplit(url).path)
        ):
            needs_check = True
        else:
            return None
        canonical, kind = self.canonical(url)
        return Link(canonical, title, needs_check, [url] if kind else [])

    def column_links(self, response, in_column):
        """[(url, link text)] of annual-report columns this page links to: any link that names
        one, and on an annual-report column its tabs (本级 / 部门 / 乡镇, per year). Links to
        documents, and items under an agency's name (its report, or its own column: the
        page tells), are candidates."""
        columns = []
        for url, text in self.site_links(response):
            if len(text) > 24 or is_document_url(url):
                continue
            if title_verdict(text) not in (None, "report") or is_report_title(text):
                continue
            if in_column and AMBIGUOUS_TEXT_RE.fullmatch(text):
                continue
            if COLUMN_TEXT_RE.search(text) or (in_column and SUBCOLUMN_TEXT_RE.fullmatch(text)):
                columns.append((url, text))
        return list(dict(columns).items())

    def disclosure_home_links(self, response):
        """[(url, link text)] of links to the site's disclosure home ("政务公开", "信息公开"),
        followed from a home page to find the annual-report column there."""
        links = self.site_links(response) + [(response.urljoin(h), t) for h, t in script_menu_entries(response)]
        return list(dict((url, text) for url, text in links if DISCLOSURE_HOME_RE.fullmatch(text)).items())

    @staticmethod
    def site_links(response):
        """[(url, link text)] of a page's links to other pages, less its site's home page
        (the logo, 首页) and itself. A fragment stays: on gkmlpt it names the column."""
        links = [(response.urljoin(href), text) for href, text in anchor_items(response)]
        return [
            (url, text)
            for url, text in links
            if text and url != response.url and not SITE_HOME_RE.match(urlsplit(url).path)
        ]

    def parent_column(self, response):
        """(url, guessed) of the column a report page sits in: the last breadcrumb link that is
        not the site's home, else (guessed: it may not exist) the page's folder above its date
        folder (…/zfxxgknb/202101/t….html -> …/zfxxgknb/); None when there is neither."""
        for anchor in reversed(response.css(BREADCRUMB_CSS)):
            url = response.urljoin(anchor.attrib.get("href", "").strip())
            if (
                url != response.url
                and not SITE_HOME_RE.match(urlsplit(url).path)
                and not url.startswith("javascript:")
                and not is_document_url(url)
            ):
                return url, False
        path = urlsplit(response.url).path
        folder = re.sub(r"/(?:19|20)\d{2}[-/]?\d{2}/[^/]*$|/[^/]*$", "/", path, count=1)
        return (response.urljoin(folder), True) if folder not in ("", "/") else None

    def canonical(self, url):
        """(canonical URL, alias kind) of a URL published in several forms: the original
        behind a big5 gateway, then the family's `twins`."""
        canonical = canonical_url(url)
        kind = "big5" if canonical != url else None
        for pattern, replacement, twin_kind in self.twins:
            twin = pattern.sub(replacement, canonical)
            if twin != canonical:
                return twin, twin_kind
        return canonical, kind

    def probe_pages(self, response):
        """Pages that may not exist, the family's `yearly_module` for the same unit and every
        other year: a 404 there means "no report", not a failure."""
        match = self.yearly_module[0].search(response.url) if self.yearly_module else None
        if not match:
            return []
        unit, year = match.group("unit"), int(match.group("year"))
        return [response.urljoin(self.yearly_module[1].format(unit=unit, year=y)) for y in other_report_years(year)]

    def next_pages(self, response):
        """Pages linked as 下一页, and numbered pages 2.html … N.html announced by a script."""
        urls = []
        for anchor in response.css("a[href]"):
            text = "".join(anchor.css("::text").getall()).strip()
            url = response.urljoin(anchor.attrib["href"])
            if text in NEXT_PAGE_TEXTS and url.startswith(("http://", "https://")):  # not javascript:void(0)
                urls.append(url)
        numbered = NUMBERED_PAGE_RE.search(response.url)
        count = MAX_PAGE_RE.search(response.text) if numbered else None
        if count:
            urls += [response.urljoin(f"{n}.{numbered.group(1)}") for n in range(2, int(count.group(1)) + 1)]
        return urls

    def document_key(self, url):
        """The source's own id for a document: the first of the family's `document_keys`
        that matches (its template filled with the groups), else the id the CMS whose
        document URL shape it has gives it (a gkmlpt post listed in the site's own column,
        …/content/post_N.html, is the post /gkmlpt/content/…/post_N.html), else the URL less
        its fragment."""
        key = self.declared_key(url)
        for family in GenericFamily.registered.values():
            if key is None and family.detail_url_re and family.detail_url_re.search(url):
                key = family.declared_key(url)
        return key or url.split("#")[0]

    def declared_key(self, url):
        """The family's own id for a document from the first of its `document_keys` that
        matches, or None."""
        for pattern, template in self.document_keys:
            match = pattern.search(url)
            if match:
                return template.format(*match.groups())
        return None

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
        where the family's CMS serves files (`download_re`), then the family's `attachment_css`."""
        hrefs = response.css('a[appendix="true"]::attr(href), a[data-appendix="true"]::attr(href)').getall()
        links = response.css("a::attr(href)").getall()
        hrefs += [h for h in links if ATTACHMENT_RE.search(h)]
        if self.download_re:
            hrefs += [h for h in links if self.download_re.search(h)]
        if self.attachment_css:
            hrefs += response.css(self.attachment_css).getall()
        return hrefs


GenericFamily.registered["generic"] = GenericFamily()
