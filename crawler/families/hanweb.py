"""Hanweb JCMS (大汉): Zhejiang, Jiangsu, Jiangxi, Shandong, Gansu, many tax bureaus.

URL patterns handled:
- column pages `/col/col{N}/index.html` whose list sits in an embedded
  `<datastore><recordset><record><![CDATA[<li><a href="/art/…">…</a></li>]]></record>…`;
- further records from `/module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P
  &col=1&appid=1&webid=W&path=/&columnid=N&sourceContentType=1&unitid=U&webname=&permissiontype=0`
  (XML with `<totalrecord>` and the same `<record>` elements; static `index_1.html` is a 404);
- details `/art/YYYY/M/D/art_{column}_{id}.html`, and a `col` page that is itself the report;
- attachments `/module/download/downfile.jsp?classid=0&filename=….doc`;
- the 信息公开 annual-report module `/module/xxgk/xxgkAnnualReport.jsp?area={unit}&fbtime={year}`
  (Zhejiang, Shandong), one unit's report for one year: the other years of the unit are probed;
- the jpaas publishing platform (Zhejiang): a column page's `<div id="pagination" count="8"
  rows="5" unitUrl="/api-gateway/jpaas-publish-server/front/page/build/unit"
  queryData="{'webId':'3391','pageId':'…','tagId':'信息列表','tplSetId':'…'}">`; pages 2… come
  from `unitUrl?webId&pageId&parseType=bulidstatic&pageType=column&tagId&tplSetId&rows&pageNo`
  as JSON `{"success": true, "data": {"html": "<li>…</li>"}}`.
"""

import json
import math
import re
from urllib.parse import urlencode

from scrapy import Selector

from .generic import GenericFamily, anchor_items

# <record><![CDATA[<li><a href="/art/2025/1/29/art_4584_60353.html" title="…">…</a></li>]]></record>
RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
# totalRecord: 45  /  <totalrecord>45</totalrecord>
TOTAL_RE = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)|<totalrecord>\s*(\d+)", re.I)
PER_PAGE_RE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)  # perPage: 15
UNIT_RE = re.compile(r"unitid\s*[:=]\s*['\"]?(\d+)", re.I)  # unitid: 6788
WEB_RE = re.compile(r"webid\s*[:=]\s*['\"]?(\d+)", re.I)  # webid: 1
COLUMN_RE = re.compile(r"/col/col(\d+)/")  # /col/col90231/index.html
ARTICLE_RE = re.compile(r"/art_\d+_(\d+)\.html")  # /art/2023/1/31/art_6924_1618518.html
DOWNFILE_RE = re.compile(r"/module/download/downfile\.jsp\?[^\"'\s]*filename=", re.I)
JPAAS_RE = re.compile(r"/api-gateway/jpaas-publish-server/")  # the jpaas unit builder
# queryData="{'webId':'3391','pageId':'1229601002','tagId':'信息列表','tplSetId':'o0Yc…'}"
QUERY_DATA_RE = re.compile(r"'(\w+)'\s*:\s*'([^']*)'")
# /module/xxgk/xxgkAnnualReport.jsp?area=11370800004312466C&fbtime=2025 (parameters in either order)
ANNUAL_MODULE_RE = re.compile(
    r"/module/xxgk/xxgkAnnualReport\.jsp\?(?=.*\barea=(?P<unit>[^&#]+))(?=.*\bfbtime=(?P<year>\d{4}))"
)


def record_items(response):
    """[(href, title)] of the links in a page's <datastore> records (a column page, a
    dataproxy.jsp answer), or None when it has none."""
    fragments = RECORD_RE.findall(response.text)
    if not fragments:
        return None
    return [item for fragment in fragments for item in anchor_items(Selector(text=fragment))]


def jpaas_items(response):
    """[(href, title)] of the links of a jpaas unit answer (none when it holds no list),
    or None when the page is no jpaas answer."""
    if not JPAAS_RE.search(response.url):
        return None
    html = jpaas_html(response.text)
    return anchor_items(Selector(text=html)) if html else []


class HanwebFamily(GenericFamily):
    name = "hanweb"
    detection_order = 40  # tried before the families with a higher number
    url_markers = (ANNUAL_MODULE_RE,)
    page_markers = ("<datastore>", "dataproxy.jsp", ARTICLE_RE)
    detail_url_re = re.compile(r"/art_\d+_\d+", re.I)  # /art/2023/1/31/art_6924_1618518.html
    document_keys = (
        (ANNUAL_MODULE_RE, "hanweb-annual:{}:{}"),  # a module report is its unit and year
        (ARTICLE_RE, "hanweb:{}"),  # art_4584_60353.html -> hanweb:60353
    )
    list_decoders = (jpaas_items, record_items)
    yearly_module = (ANNUAL_MODULE_RE, "/module/xxgk/xxgkAnnualReport.jsp?area={unit}&fbtime={year}")
    download_re = DOWNFILE_RE
    dataproxy_url = (  # records start … end of a column, as XML
        "/module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage={per_page}"
        "&col=1&appid=1&webid={web}&path=/&columnid={column}&sourceContentType=1&unitid={unit}"
        "&webname=&permissiontype=0"
    )

    def next_pages(self, response):
        """All further records of a column, asked from dataproxy.jsp in perPage-sized slices,
        or the jpaas pages 2… of a column, else the pages its pager links (下一页)."""
        text = response.text
        jpaas = jpaas_pages(response)
        if jpaas:
            return jpaas
        column = COLUMN_RE.search(response.url)
        total = TOTAL_RE.search(text)
        if "dataproxy.jsp" in response.url or JPAAS_RE.search(response.url):  # a slice of a list: paged above
            return []
        if not (column and total):
            return super().next_pages(response)
        total = int(total.group(1) or total.group(2))
        per_page = int(PER_PAGE_RE.search(text).group(1)) if PER_PAGE_RE.search(text) else 15
        shown = len(RECORD_RE.findall(text))
        unit = UNIT_RE.search(text)
        web = WEB_RE.search(text)
        urls = []
        for start in range(shown + 1, total + 1, per_page):
            end = min(start + per_page - 1, total)
            fields = {"start": start, "end": end, "per_page": per_page, "column": column.group(1)}
            fields.update(web=web.group(1) if web else 1, unit=unit.group(1) if unit else "")
            urls.append(response.urljoin(self.dataproxy_url.format(**fields)))
        return urls


def jpaas_html(text):
    """The list fragment of a jpaas unit answer, or None."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return (data.get("data") or {}).get("html") if isinstance(data, dict) else None


def jpaas_pages(response):
    """URLs of pages 2… of a jpaas column, from its pagination element."""
    if JPAAS_RE.search(response.url) or "unitUrl" not in response.text:
        return []
    pager = response.css("[unitUrl][queryData]")
    if not pager:
        return []
    attrs = {name.lower(): value for name, value in pager[0].attrib.items()}  # the HTML parser lowers names
    try:
        pages = math.ceil(int(attrs.get("count", "0")) / max(int(attrs.get("rows", "15")), 1))
    except ValueError:
        return []
    query = dict(QUERY_DATA_RE.findall(attrs["querydata"]))
    base = {
        "webId": query.get("webId", ""),
        "pageId": query.get("pageId", ""),
        "parseType": "bulidstatic",
        "pageType": "column",
        "tagId": query.get("tagId", ""),
        "tplSetId": query.get("tplSetId", ""),
        "rows": attrs.get("rows", "15"),
    }
    return [response.urljoin(attrs["uniturl"] + "?" + urlencode({**base, "pageNo": n})) for n in range(2, pages + 1)]
