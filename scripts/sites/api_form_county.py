"""A county whose 政府信息公开年度报告 column is an empty <ul> filled by XMLHttpRequest: a POST
to /queryList with a form body (current=N&pageSize=…&webSiteCode[]=…&channelCode[]=…&sort=…
&order=desc) answered with JSON rows; the pager is drawn by script, 下一页 has no address."""

from .scripted import PAGER_SCRIPT, SHELL_HEAD, build_scripted

COUNTY = "柘溪县"
COLUMN = "/zwgk/ndbg/index.html"
FORM = "current={page}&pageSize=3&webSiteCode[]=zxxrmzf&channelCode[]=zfxxgknb&sort=sortNum&order=desc"
SITE = {
    "stem": "api_form_county",
    "host": "www.zhexixian.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "seen_at": [
        "a column listed by POST https://gxt.jiangxi.gov.cn/queryList with the form body current=1&pageSize=15"
        "&webSiteCode[]=jxsgyhxxht&channelCode[]=gfxwj&sort=sortNum&order=desc, JSON rows, shell "
        "/jxsgyhxxht/gfxwj/index.html: jas0no7/local_spider_jason 临时测试/政策文件及解读/规范性文件.py",
        "POST https://www.mohurd.gov.cn/dynamic/document/search with the page number in the form body "
        "(pageSize=30&currentPageNum=N), JSON data.list: destiny-zxj/dumpInfo src/main.py",
    ],
    "structures": [
        "start at the home page",
        "column filled by script from a JSON API, page number in a POST form body",
        "pager drawn by script (下一页 without an address)",
        "vague title",
        "interpretation",
        "work plan",
        "home page with a script (a visit counter by XMLHttpRequest)",
    ],
    "note": "UTF-8. The API answers are query entries of /queryList keyed by the form body (the fixture "
    "server answers a POST like a GET of its body).",
}

SHELL = (
    SHELL_HEAD
    + """<ul id="list" class="news-list"></ul><div id="pager"></div>
<script>{pager}
function load(page) {{
  var xhr = new XMLHttpRequest();
  xhr.open("POST", "/queryList");
  xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  xhr.onload = function () {{ var data = JSON.parse(xhr.responseText); drawRows(data.list); drawPager(page, data.pages, load); }};
  xhr.send("{form}".replace("{{page}}", page));
}}
load(1);
</script></body></html>"""
)


# The home page's visit counter, loaded by script like the lists (a home page is never rendered).
VISITS = """<span id="visits"></span><script>var xhr = new XMLHttpRequest(); xhr.open("GET", "/visits.json");
xhr.onload = function () { document.getElementById("visits").textContent = xhr.responseText; }; xhr.send();</script>"""


def build(site, rng):
    def shell(pages):
        return SHELL.format(name=COUNTY, pager=PAGER_SCRIPT, form=FORM)

    def api_answer(site, page, payload):
        site.data("/queryList", payload, "application/json;charset=UTF-8", query=FORM.format(page=page))

    build_scripted(site, rng, COUNTY, COLUMN, shell, api_answer, home_script=VISITS)
