"""Guangdong 集约化平台 / gkmlpt (政府信息公开目录管理平台), every level in Guangdong.

URL patterns handled:
- the Vue index `/gkmlpt/index#{catId}`: the list is rendered by JavaScript; the site id
  comes from `window._CONFIG = {SID: '…'}` and the category from the fragment;
- the JSON API `/gkmlpt/api/all/{catId}?page={n}&sid={siteId}` ->
  `{"total": 145, "articles": [{"id": …, "title": "…", "url": "…/post_{id}.html",
  "attachment": [{"name": …, "url": …}]}]}` (some sites put the whole list on page 1 and
  answer 404 for page 2: pages are asked for only while `total` says there are more);
- details `…/content/post_{id}.html` and `/gkmlpt/content/{a}/{b}/post_{id}.html` (one post,
  key `gkmlpt:{id}`, served at both on one site: the platform's path, e.g.
  www.szpsq.gov.cn/gkmlpt/content/9/9103/post_9103540.html, and the site's own column,
  e.g. www.sz.gov.cn/cn/xxgk/zfxxgj/…/content/mpost_12193340.html; `mpost_{id}` is the
  mobile page of the post);
- attachments `/attachment/0/88/88389/963149.pdf`, `a.nfw-cms-attachment`;
- the category tree in `window._CONFIG = {…, TREE: [{"id": 2410, "name": "政府信息公开年报",
  "children": [{"id": 2411, "name": "区政府年报"}, …]}]}`: an annual-report category and
  its children are columns, `/gkmlpt/index#{id}`.
"""

import json
import math
import re
from urllib.parse import parse_qs, urlsplit

from .generic import COLUMN_TEXT_RE, GenericFamily

SID_RE = re.compile(r"SID['\"]?\s*:\s*['\"]?(\d+)")  # window._CONFIG = {SID: '755001', ...} or {"SID": "757013"}
CATEGORY_RE = re.compile(r"#(\d+)$")  # /gkmlpt/index#2345
# /gkmlpt/content/0/963/post_963149.html, its mobile page …/mpost_963149.html, and the same
# post in the site's own column …/content/post_963149.html
POST_RE = re.compile(r"/m?post_(\d+)\.html")
API_RE = re.compile(r"/gkmlpt/api/all/(\d+)")  # /gkmlpt/api/all/2345?page=1&sid=755001
# "TREE": [{"id": 2410, "name": "政府信息公开年报", "parent": 0, "children": [...]}, ...]
TREE_RE = re.compile(r"[\"']?TREE[\"']?\s*:\s*(\[.*?\])\s*[,}]\s*;?\s*</script>", re.S)


def api_page(response):
    """The JSON of an API list page, or None (not the API, or not JSON)."""
    if not API_RE.search(response.url):
        return None
    try:
        return json.loads(response.text)
    except ValueError:
        return None


def api_articles(response):
    """[(url, title)] of the articles of an API list page, or None when it is none."""
    data = api_page(response)
    if data is None:
        return None
    return [
        (article["url"], re.sub(r"\s+", "", article.get("title") or ""))
        for article in data.get("articles") or []
        if article.get("url")
    ]


class GkmlptFamily(GenericFamily):
    name = "gkmlpt"
    detection_order = 10  # tried before the families with a higher number
    url_markers = ("/gkmlpt/",)
    page_markers = ("window._CONFIG",)
    detail_url_re = re.compile(r"post_\d+", re.I)  # /gkmlpt/content/0/963/post_963149.html
    document_keys = ((POST_RE, "gkmlpt:{}"),)  # post_963149.html -> gkmlpt:963149
    list_decoders = (api_articles,)
    attachment_css = "a.nfw-cms-attachment::attr(href), a[href*='/attachment/']::attr(href)"
    index_url = "/gkmlpt/index#{category}"  # the Vue index of a category
    api_url = "/gkmlpt/api/all/{category}?page={page}&sid={site}"  # a page of a category's list

    def column_links(self, response, in_column):
        """Links that name columns, and the annual-report categories of the index's tree
        with their children."""
        columns = super().column_links(response, in_column)
        match = TREE_RE.search(response.text) if "/gkmlpt/" in response.url else None
        try:
            tree = json.loads(match.group(1)) if match else []
        except ValueError:
            tree = []
        for node in tree_nodes(tree):
            if COLUMN_TEXT_RE.search(node.get("name") or "") and not node.get("jump_url"):
                for each in [node, *tree_nodes(node.get("children") or [])]:
                    url = response.urljoin(self.index_url.format(category=each["id"]))
                    columns.append((url, each.get("name") or ""))
        return list(dict(columns).items())

    def next_pages(self, response):
        data = api_page(response)
        if data is None:  # the index page: start the API at page 1
            sid = SID_RE.search(response.text)
            category = CATEGORY_RE.search(response.request.url if response.request else response.url)
            if sid and category:
                return [response.urljoin(self.api_url.format(category=category.group(1), page=1, site=sid.group(1)))]
            return []
        query = parse_qs(urlsplit(response.url).query)
        page = int(query.get("page", ["1"])[0])
        articles = data.get("articles") or []
        if page != 1 or not articles:
            return []
        pages = math.ceil(int(data.get("total") or 0) / len(articles))
        category = API_RE.search(response.url).group(1)
        sid = query.get("sid", [""])[0]
        return [response.urljoin(self.api_url.format(category=category, page=n, site=sid)) for n in range(2, pages + 1)]


def tree_nodes(nodes):
    """Every node of a category tree, depth first."""
    for node in nodes:
        if isinstance(node, dict) and "id" in node:
            yield node
            yield from tree_nodes(node.get("children") or [])
