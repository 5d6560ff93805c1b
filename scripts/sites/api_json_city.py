"""A city whose 政府信息公开年度报告 column is an empty list filled by `fetch`: a POST to
/front/search/category with a JSON body ({"utm": …, "categoryCode": …, "pageSize": 3,
"pageNo": N}) answered with JSON rows; the pager is drawn by script, 下一页 has no address."""

import json
from urllib.parse import urlencode

from .scripted import PAGER_SCRIPT, SHELL_HEAD, build_scripted

CITY = "沅阳市"
COLUMN = "/zwgk/ndbg/index.html"
BODY = {"utm": "sites_group_front.4dd516b0.0.0.0", "categoryCode": "ZfxxgkNdbg", "pageSize": 3}
SITE = {
    "stem": "api_json_city",
    "host": "www.yuanyangshi.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "seen_at": [
        "a column listed by POST http://www.whggzy.com/front/search/category with the JSON body "
        '{"utm":"sites_group_front.…","categoryCode":"GovernmentProcurement","pageSize":15,"pageNo":1} '
        "(Content-Type: application/json), shell /PoliciesAndRegulations/index.html: "
        "ming-666-ming/reverse_js day1/demo1.py",
    ],
    "structures": [
        "start at the home page",
        "column filled by fetch() from a JSON API, page number in a JSON request body",
        "pager drawn by script (下一页 without an address)",
        "vague title",
        "interpretation",
        "work plan",
    ],
    "note": "UTF-8. The API answers are query entries of /front/search/category keyed by the JSON body's "
    "keys sorted (the fixture server answers a JSON POST like a GET of its fields).",
}

SHELL = (
    SHELL_HEAD
    + """<div class="list-box"><ul id="list"></ul></div><div id="pager"></div>
<script>{pager}
var query = {body};
function load(page) {{
  query.pageNo = page;
  fetch("/front/search/category", {{method: "POST", headers: {{"Content-Type": "application/json"}},
    body: JSON.stringify(query)}})
    .then(function (answer) {{ return answer.json(); }})
    .then(function (data) {{ drawRows(data.list); drawPager(page, data.pages, load); }});
}}
load(1);
</script></body></html>"""
)


def build(site, rng):
    def shell(pages):
        return SHELL.format(name=CITY, pager=PAGER_SCRIPT, body=json.dumps(BODY))

    def api_answer(site, page, payload):
        query = urlencode(sorted({**BODY, "pageNo": page}.items()))
        site.data("/front/search/category", payload, "application/json;charset=UTF-8", query=query)

    build_scripted(site, rng, CITY, COLUMN, shell, api_answer)
