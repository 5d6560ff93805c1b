"""A county whose 政府信息公开年度报告 column is an empty list filled by JSONP: the site's own
loader adds a <script src="/api/list.jsonp?callback=listCallback&channelId=ndbg&page=N">, whose
answer calls listCallback({...}) with the rows; the pager is drawn by script, 下一页 has no
address."""

from .scripted import PAGER_SCRIPT, SHELL_HEAD, build_scripted

COUNTY = "梧溪县"
COLUMN = "/zwgk/ndbg/index.html"
API = "/api/list.jsonp"
CALLBACK = "listCallback"
SITE = {
    "stem": "jsonp_county",
    "host": "www.wuxixian.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "seen_at": [
        "a list filled by JSONP: $.ajax({type: 'GET', url: 'https://www.gov.cn/pushinfo/v150203/pushinfo.jsonp', "
        "dataType: 'jsonp', jsonpCallback: 'pushInfoJsonpCallBack'}) whose rows (link, title, pubDate) are drawn "
        "into an empty .info-list: lqc3413/tesk3-3 js/index.js",
        "a site's paging loader: $.ajax({url, type: 'GET', dataType: 'jsonp', jsonp: 'CALLBACK'}) with the page "
        "in the query string: tangzhaofeng/jiqi_novel suixinmh.com/scripts/ajax.js",
    ],
    "structures": [
        "start at the home page",
        "column filled by JSONP (a script element, fixed callback name, page number in the query string)",
        "pager drawn by script (下一页 without an address)",
        "vague title",
        "interpretation",
        "work plan",
    ],
    "note": "UTF-8. The JSONP answers are query entries of /api/list.jsonp (application/javascript). The "
    "site's own loader adds the script element itself (what jQuery's dataType 'jsonp' does), no library.",
}

SHELL = (
    SHELL_HEAD
    + """<div class="list-box"><ul id="list"></ul></div><div id="pager"></div>
<script>{pager}
var current = 1;
function {callback}(data) {{ drawRows(data.list); drawPager(current, data.pages, load); }}
function load(page) {{
  current = page;
  var tag = document.createElement("script");
  tag.src = "{api}?callback={callback}&channelId=ndbg&page=" + page;
  document.body.appendChild(tag);
}}
load(1);
</script></body></html>"""
)


def build(site, rng):
    def shell(pages):
        return SHELL.format(name=COUNTY, pager=PAGER_SCRIPT, api=API, callback=CALLBACK)

    def api_answer(site, page, payload):
        query = f"callback={CALLBACK}&channelId=ndbg&page={page}"
        body = CALLBACK.encode() + b"(" + payload + b");"
        site.data(API, body, "application/javascript;charset=UTF-8", query=query)

    build_scripted(site, rng, COUNTY, COLUMN, shell, api_answer)
