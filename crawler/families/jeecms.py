"""JEECMS: `.jhtml` sites of counties and townships.

URL patterns handled:
- list pages `/{channel}/index.jhtml`, then `index_2.jhtml`, … by the `下一页` link;
- details `/{channel}/{id}.jhtml` (e.g. `/jdbsc/24971296.jhtml`);
- attachments uploaded as `/u/cms/www/YYYYMM/{ddhhmmss}{rand}.pdf|doc|docx`.
"""

import re

from .generic import GenericFamily

DETAIL_RE = re.compile(r"/(\d+)\.jhtml")  # /jdbsc/24971296.jhtml


class JeecmsFamily(GenericFamily):
    name = "jeecms"
    detection_order = 50  # tried before the families with a higher number

    def matches(self, response):
        return ".jhtml" in response.url or "/u/cms/www/" in response.text

    def document_key(self, url):
        """/jdbsc/24971296.jhtml -> jeecms:24971296."""
        match = DETAIL_RE.search(url)
        return f"jeecms:{match.group(1)}" if match else super().document_key(url)
