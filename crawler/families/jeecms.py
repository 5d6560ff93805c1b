"""JEECMS: `.jhtml` sites of counties and townships.

URL patterns handled:
- list pages `/{channel}/index.jhtml`, then `index_2.jhtml`, … by the `下一页` link;
- details `/{channel}/{id}.jhtml` (e.g. `/jdbsc/24971296.jhtml`);
- attachments uploaded as `/u/cms/www/YYYYMM/{ddhhmmss}{rand}.pdf|doc|docx`.
"""

import re

from .generic import GenericFamily


class JeecmsFamily(GenericFamily):
    name = "jeecms"
    detection_order = 50  # tried before the families with a higher number
    url_markers = (".jhtml",)
    page_markers = ("/u/cms/www/",)
    detail_url_re = re.compile(r"/\d+\.jhtml", re.I)  # /jdbsc/24971296.jhtml
    document_keys = ((re.compile(r"/(\d+)\.jhtml"), "jeecms:{}"),)  # /jdbsc/24971296.jhtml -> jeecms:24971296
