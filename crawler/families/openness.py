"""Anhui (and Hulunbuir) 政务公开平台: `/public/` shells and `Openness*` modules.

URL patterns handled:
- column shells `/public/column/{organId}?type=4&action=list&catId=…` whose rows arrive by
  AJAX from `/site/label/8888?IsAjax=1&dataType=html&labelName=publicInfoList&siteId=…
  &organId=…&catId=…&pageSize=15&pageIndex={n}&action=list…` (the shell's script carries that
  URL and `pageCount:N`; each answer is an HTML fragment of `a[href]` rows);
- details `/public/{organId}/{id}.html`, `/OpennessContent/show/{id}.html`,
  `/openness/OpennessAnnualReport/show/{id}.html`;
- the unit-by-year module `/OpennessAnnualReport/year/show/{unit}/{year}.html`: the other
  years of the unit are probed;
- attachments on FastDFS paths `/group6/M00/…/x.docx`.
"""

import re

from .generic import GenericFamily

# url: "/site/label/8888?IsAjax=1&dataType=html&labelName=publicInfoList&...&pageIndex=1&..."
LABEL_URL_RE = re.compile(r"""['"](/site/label/8888\?[^'"]*labelName=publicInfoList[^'"]*)['"]""")
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
    page_markers = ("labelName=publicInfoList",)
    document_keys = (
        (YEAR_SHOW_RE, "openness-annual:{}:{}"),  # …/year/show/341/2022.html -> openness-annual:341:2022
        (DETAIL_ID_RE, "openness:{}"),  # /public/6598771/35994956.html -> openness:35994956
    )
    yearly_module = (YEAR_SHOW_RE, "{year}.html")  # …/year/show/341/2022.html -> …/341/2021.html
    download_re = FASTDFS_RE

    def next_pages(self, response):
        """The shell's AJAX list, page by page; a fragment page has no further pages."""
        label = LABEL_URL_RE.search(response.text)
        if "/site/label/" in response.url or not label:
            return super().next_pages(response)
        count = PAGE_COUNT_RE.search(response.text)
        template = label.group(1).replace("&amp;", "&")
        return [
            response.urljoin(PAGE_INDEX_RE.sub(f"pageIndex={n}", template))
            for n in range(1, int(count.group(1)) + 1 if count else 2)
        ]
