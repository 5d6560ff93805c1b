"""Anhui (and Hulunbuir) 政务公开平台: `/public/` shells and `Openness*` modules.

URL patterns handled:
- column shells `/public/column/{organId}?type=4&action=list&catId=…` whose rows arrive by
  AJAX from `/site/label/8888?IsAjax=1&dataType=html&labelName=publicInfoList&siteId=…
  &organId=…&catId=…&pageSize=15&pageIndex={n}&action=list…` (the shell's script carries that
  URL and `pageCount:N`; each answer is an HTML fragment of `a[href]` rows). The script
  spells that call two ways: the whole URL as one string literal, or `$.ajax({url:
  "/site/label/8888", data: {labelName: "publicInfoList", pageIndex: 1, …}})`, the parameters
  as an object literal (or a query string) whose values may be variables set in the page's
  script (`var catId = "7300001";`); both are decoded to the same fragment URLs;
- details `/public/{organId}/{id}.html`, `/OpennessContent/show/{id}.html`,
  `/openness/OpennessAnnualReport/show/{id}.html`;
- the unit-by-year module `/OpennessAnnualReport/year/show/{unit}/{year}.html`: the other
  years of the unit are probed;
- attachments on FastDFS paths `/group6/M00/…/x.docx`.
"""

import re
from urllib.parse import urlencode

from .generic import GenericFamily

# url: "/site/label/8888?IsAjax=1&dataType=html&labelName=publicInfoList&...&pageIndex=1&..."
LABEL_URL_RE = re.compile(r"""['"](/site/label/8888\?[^'"]*labelName=publicInfoList[^'"]*)['"]""")
# $.ajax({url: "/site/label/8888", ..., data: {IsAjax: 1, labelName: "publicInfoList", pageIndex: 1, ...}})
AJAX_CALL_RE = re.compile(
    r"""url\s*:\s*['"](?P<url>[^'"?]*/site/label/8888)['"](?P<rest>.{0,2000}?)\bdata\s*:\s*"""
    r"""(?:\{(?P<object>[^{}]*)\}|['"](?P<query>[^'"]*)['"])""",
    re.S,
)
# IsAjax: 1 / "labelName": 'publicInfoList' / catId: catId (a variable)
OBJECT_PAIR_RE = re.compile(r"""['"]?(?P<key>\w+)['"]?\s*:\s*(?:['"](?P<text>[^'"]*)['"]|(?P<bare>[\w.$-]+))""")
# var catId = "7300001"; / let organId = 6611001
VARIABLE_RE = re.compile(
    r"""(?:\b(?:var|let|const)\s+)(?P<name>[\w$]+)\s*=\s*(?:['"](?P<text>[^'"]*)['"]|(?P<number>\d+))"""
)
LIST_LABEL_MARKER = re.compile(r"""labelName['"]?\s*[:=]\s*['"]?publicInfoList""")  # labelName: "publicInfoList"
PAGE_COUNT_RE = re.compile(r"pageCount\s*[:=]\s*['\"]?(\d+)")  # pageCount:5
PAGE_INDEX_RE = re.compile(r"pageIndex=\d+")
DETAIL_ID_RE = re.compile(r"/(?:public/\d+|OpennessContent/show|OpennessAnnualReport/show)/(\d+)\.html")
# …/OpennessAnnualReport/year/show/341/2022.html: unit 341, year 2022
YEAR_SHOW_RE = re.compile(r"/OpennessAnnualReport/year/show/(?P<unit>\d+)/(?P<year>\d{4})\.html")
FASTDFS_RE = re.compile(r"/group\d+/M\d+/", re.I)  # /group6/M00/0A/1B/rBAB....docx


class OpennessFamily(GenericFamily):
    name = "openness"
    detection_order = 20  # tried before the families with a higher number
    url_markers = ("/public/column/", "OpennessAnnualReport")
    page_markers = (LIST_LABEL_MARKER,)
    document_keys = (
        (YEAR_SHOW_RE, "openness-annual:{}:{}"),  # …/year/show/341/2022.html -> openness-annual:341:2022
        (DETAIL_ID_RE, "openness:{}"),  # /public/6598771/35994956.html -> openness:35994956
    )
    yearly_module = (YEAR_SHOW_RE, "{year}.html")  # …/year/show/341/2022.html -> …/341/2021.html
    download_re = FASTDFS_RE

    def next_pages(self, response):
        """The shell's AJAX list, page by page; a fragment page has no further pages."""
        template = label_url(response.text)
        if "/site/label/" in response.url or not template:
            return super().next_pages(response)
        count = PAGE_COUNT_RE.search(response.text)
        return [
            response.urljoin(PAGE_INDEX_RE.sub(f"pageIndex={n}", template))
            for n in range(1, int(count.group(1)) + 1 if count else 2)
        ]


def label_url(script):
    """The list's fragment URL (with pageIndex) the shell's script asks for, whichever way it
    spells the call; None when the script names no list or a parameter it cannot resolve."""
    literal = LABEL_URL_RE.search(script)
    if literal:
        return literal.group(1).replace("&amp;", "&")
    for call in AJAX_CALL_RE.finditer(script):
        query = call["query"] if call["query"] is not None else object_query(call["object"], script)
        if query and "labelName=publicInfoList" in query:
            return f"{call['url']}?{query.replace('&amp;', '&')}"
    return None


def object_query(literal, script):
    """The query string jQuery makes of a flat object literal ({pageIndex: 1, catId: catId}),
    variables read from the script's assignments; None when a value is not known."""
    variables = {m["name"]: m["text"] if m["text"] is not None else m["number"] for m in VARIABLE_RE.finditer(script)}
    pairs = []
    for pair in OBJECT_PAIR_RE.finditer(literal):
        value = pair["text"]
        if value is None:
            bare = pair["bare"]
            value = bare if re.fullmatch(r"-?[\d.]+|true|false", bare) else variables.get(bare)
        if value is None and pair["key"] != "pageIndex":  # the page number is replaced anyway
            return None
        pairs.append((pair["key"], value or "1"))
    if "pageIndex" not in dict(pairs):
        pairs.append(("pageIndex", "1"))
    return urlencode(pairs)
