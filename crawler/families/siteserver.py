"""SiteServer CMS (SSCMS, by 百容千域): a .NET CMS that writes every channel and content as a
static page; county and prefecture government sites run it.

URL patterns handled (the CMS's default file-path rules, `ChannelFilePathRule` and
`ContentFilePathRule`, and its pager, as siteserver/cms's PathManager writes them):
- list pages `/channels/{channelId}.html` (/channels/1583.html), then `/channels/1583_2.html`,
  `_3.html` … reached by the 下一页 link `<stl:pageItems>` writes;
- details `/contents/{channelId}/{contentId}.html` (/contents/1583/27706.html), a long
  article's further pages `/contents/1583/27706_2.html`;
- attachments: links to PDF and office files under the site's upload folder
  (/upload/files/2023/1/…pdf), which the generic attachment links already find.
"""

import re

from .generic import GenericFamily

CHANNEL_RE = re.compile(r"/channels/\d+(?:_\d+)?\.html")  # /channels/1583.html, /channels/1583_2.html
CONTENT_RE = re.compile(r"/contents/(\d+)/(\d+)\.html")  # /contents/1583/27706.html


class SiteserverFamily(GenericFamily):
    name = "siteserver"
    detection_order = 70  # tried before the families with a higher number
    url_markers = (CHANNEL_RE,)
    page_markers = (CONTENT_RE,)  # its list pages link contents
    detail_url_re = re.compile(r"/contents/\d+/\d+(?:_\d+)?\.html", re.I)  # /contents/1583/27706_2.html
    document_keys = ((CONTENT_RE, "siteserver:{1}"),)  # /contents/1583/27706.html -> siteserver:27706
