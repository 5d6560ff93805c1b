"""A district whose 政府信息公开年度报告 column is a Vue-style shell: the rows are a template in
the HTML (`<li v-for="item in list"><a :href="item.url">{{ item.title }}</a></li>`), the data
comes from a JSON API (GET /api/column/list?channelId=…&page=N) once the page has loaded, and the
pager is a template too. The site's own small script binds the template (no library from
another host)."""

from .scripted import SHELL_HEAD, build_scripted

DISTRICT = "青溪区"
COLUMN = "/zwgk/ndbg/index.html"
API = "/api/column/list"
SITE = {
    "stem": "vue_shell_district",
    "host": "www.qingxiqu.gov.cn",
    "family": None,
    "start_paths": ["/index.html"],
    "seen_at": [
        "a Vue shell: new Vue({el: '#app', data: {list: []}, mounted() { this.loadData() }}) whose loadData "
        "calls axios.get(api) and sets list from the answer, the rows a v-for template in the page: "
        "aopstudio/aopstudio.github.io js/timelist.js",
        "a Vue.createApp page that fetches a page of articles ({limit, page}) on mount and draws its pager from "
        "the answer's page count: code search 'Vue.createApp article paging' (unnamed excerpt)",
    ],
    "structures": [
        "start at the home page",
        "Vue-style shell: template rows in the HTML, data from a JSON API (GET)",
        "pager in the template (下一页 without an address)",
        "vague title",
        "interpretation",
        "work plan",
    ],
    "note": "UTF-8. The API answers are query entries of /api/column/list.",
}

# The site's binder: a minimal stand-in for Vue's v-for / :href / {{ }} on one list and its pager.
BINDER = """
function Vue(options) {
  var root = document.querySelector(options.el), view = this;
  var template = root.innerHTML;
  this.data = options.data;
  this.render = function () {
    var html = template.replace(/<li v-for="item in list">([\\s\\S]*?)<\\/li>/, function (_, row) {
      return view.data.list.map(function (item) {
        return "<li>" + row.replace(/:href="item\\.(\\w+)"/g, function (_, k) { return 'href="' + item[k] + '"'; })
          .replace(/\\{\\{\\s*item\\.(\\w+)\\s*\\}\\}/g, function (_, k) { return item[k]; }) + "</li>";
      }).join("");
    });
    html = html.replace(/\\{\\{\\s*(\\w+)\\s*\\}\\}/g, function (_, k) { return view.data[k]; });
    html = html.replace(/<a v-if="more"([^>]*)>/, view.data.page < view.data.pages ? "<a$1>" : '<a class="disabled"$1>');
    root.innerHTML = html;
    var next = root.querySelector("a.next");
    if (next && view.data.page < view.data.pages) next.onclick = function () { options.methods.go.call(view, view.data.page + 1); };
  };
  options.mounted.call(this);
}
"""

SHELL = (
    SHELL_HEAD
    + """<div id="app"><ul class="list"><li v-for="item in list"><a :href="item.url" target="_blank">{{{{ item.title }}}}</a>
<span>{{{{ item.date }}}}</span></li></ul>
<div class="pager">第{{{{ page }}}}页/共{{{{ pages }}}}页 <a v-if="more" class="next" href="javascript:void(0)">下一页</a></div></div>
<script>{binder}
new Vue({{
  el: "#app",
  data: {{list: [], page: 1, pages: 1}},
  mounted: function () {{ this.data.page = 0; options_go.call(this, 1); }},
  methods: {{go: function (page) {{ options_go.call(this, page); }}}}
}});
function options_go(page) {{
  var view = this;
  var xhr = new XMLHttpRequest();
  xhr.open("GET", "{api}?channelId=zfxxgknb&page=" + page);
  xhr.onload = function () {{
    var data = JSON.parse(xhr.responseText);
    view.data.list = data.list; view.data.page = page; view.data.pages = data.pages; view.render();
  }};
  xhr.send();
}}
</script></body></html>"""
)


def build(site, rng):
    def shell(pages):
        return SHELL.format(name=DISTRICT, binder=BINDER, api=API)

    def api_answer(site, page, payload):
        site.data(API, payload, "application/json;charset=UTF-8", query=f"channelId=zfxxgknb&page={page}")

    build_scripted(site, rng, DISTRICT, COLUMN, shell, api_answer)
