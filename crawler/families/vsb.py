"""VSB 博达 (Visual SiteBuilder): northwest, Shandong and Yunnan counties.

URL patterns handled:
- list pages `…/nb.htm`, then numbered pages `…/nb/2.htm`, `…/nb/1.htm` (numbers count
  down), reached by the `下页` / `下一页` links;
- details `/info/{columnId}/{articleId}.htm`, with a 索引号 / 发布机构 table above the body;
- attachments `/system/_content/download.jsp?urltype=news.DownloadAttachUrl&…&wbfileid=…`.
"""

import re

from .generic import GenericFamily

INFO_RE = re.compile(r"/info/(\d+)/(\d+)\.htm")  # /info/1667/53878.htm


class VsbFamily(GenericFamily):
    name = "vsb"
    detection_order = 60  # tried before the families with a higher number
    url_markers = (INFO_RE,)
    page_markers = (INFO_RE,)
    detail_url_re = re.compile(r"/info/\d+/\d+", re.I)  # /info/1667/53878.htm
    document_keys = ((INFO_RE, "vsb:{1}"),)  # /info/1667/53878.htm -> vsb:53878
    download_re = re.compile(r"download\.jsp\?urltype=news\.DownloadAttachUrl", re.I)
