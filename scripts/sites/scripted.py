"""Shared pieces of the portals whose annual-report column is an empty shell filled by script
from a JSON API (the list and its pager both drawn by script): home -> 政务公开 -> the
column; details are static pages. Each portal module gives the shell's markup and script and
how its API is addressed page by page; the page scripts are the site's own small code (no
library is fetched from another host)."""

import json

from fixturekit.portal import esc, guide, interpretation, work_plan

PAGE_SIZE = 3

DISCLOSURE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务公开_{name}</title></head><body>
<div class="zwgk-nav"><ul><li><a href="/zwgk/zfxxgkzn/index.html">政府信息公开指南</a></li>
<li><a href="/zwgk/zfxxgkzd/index.html">政府信息公开制度</a></li>
<li><a href="{column}">政府信息公开年度报告</a></li></ul></div></body></html>"""

HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head><body>
<ul class="nav"><li><a href="/index.html">首页</a></li><li><a href="/zwgk/index.html">政务公开</a></li></ul>
{script}</body></html>"""

DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}"><meta name="ContentSource" content="{agency}"><title>{title}</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政务公开</a> &gt;
<a href="{column}">政府信息公开年度报告</a></div>
<div class="article"><h1>{title}</h1><div class="info">发布机构：{agency} 发布日期：{date}</div>
<div class="content">{body}</div></div></body></html>"""


def build_scripted(site, rng, place, column, shell, api_answer, home_script=""):
    """The portal of `place`: its reports and non-reports listed by an API; shell(pages) is the
    column's HTML for a list of `pages` pages, api_answer(site, page, payload) writes the API's
    answer for one page (payload: the JSON the API returns); home_script: markup the home page
    carries besides its links."""
    rows = []
    ids = iter(range(4100, 4200))

    def write(title, agency, date, body):
        path = f"/zwgk/ndbg/{date[:7].replace('-', '')}/t{date.replace('-', '')}_{next(ids)}.html"
        site.page(path, DETAIL.format(title=esc(title), date=date, agency=agency, column=column, body=body))
        return path

    gov = f"{place}人民政府"
    office = f"{place}人民政府办公室"
    for year, date in ((2023, "2024-01-30"), (2022, "2023-01-28"), (2021, "2022-01-27"), (2020, "2021-01-29")):
        rows.append((date, *site.table_report(write, gov, year, date, rng)))
    rows.append(("2024-01-25", *site.table_report(write, office, 2023, "2024-01-25", rng, list_title="办公室年报")))
    rows.append(
        ("2024-01-31", *site.rejected(write, "interpretation", interpretation(gov, 2023, rng), gov, "2024-01-31"))
    )
    rows.append(("2024-03-02", *site.rejected(write, "plan", work_plan(place, 2024), gov, "2024-03-02")))
    rows.sort(reverse=True)
    pages = [rows[i : i + PAGE_SIZE] for i in range(0, len(rows), PAGE_SIZE)]
    for number, chunk in enumerate(pages, 1):
        payload = {
            "total": len(rows),
            "pages": len(pages),
            "list": [{"title": title, "url": path, "date": date} for date, title, path in chunk],
        }
        api_answer(site, number, json.dumps(payload, ensure_ascii=False).encode())
    site.page(column, shell(len(pages)))
    site.column(column)
    site.page("/zwgk/index.html", DISCLOSURE.format(name=gov, column=column))
    site.page("/zwgk/zfxxgkzn/index.html", detail_page(f"{gov}政府信息公开指南", guide(gov)[1], gov, column))
    site.page("/zwgk/zfxxgkzd/index.html", detail_page("政府信息公开制度", "<p>制度。</p>", gov, column))
    if home_script:
        site.page("/index.html", HOME.format(name=gov, script=home_script))
        site.data("/visits.json", b"12345", "application/json")
    else:
        site.home(gov, [("政务公开", "/zwgk/index.html")])


def detail_page(title, body, agency, column):
    return DETAIL.format(title=esc(title), date="2023-05-10", agency=agency, column=column, body=body)


# The pager every shell draws: 下一页 is a control with no address, its click loads the next page.
PAGER_SCRIPT = """
function drawPager(page, pages, go) {
  var pager = document.getElementById("pager");
  pager.innerHTML = "<span>第" + page + "页/共" + pages + "页</span>"
    + (page < pages ? ' <a href="javascript:;" class="next">下一页</a>' : ' <span class="next disabled">下一页</span>');
  var next = pager.querySelector("a.next");
  if (next) next.onclick = function () { go(page + 1); };
}
function drawRows(list) {
  document.getElementById("list").innerHTML = list.map(function (row) {
    return '<li><a href="' + row.url + '" target="_blank" title="' + row.title + '">' + row.title
      + '</a><span class="date">' + row.date + "</span></li>";
  }).join("");
}
"""

SHELL_HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年度报告_{name}</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政务公开</a> &gt; 政府信息公开年度报告</div>
<div class="list-title">政府信息公开年度报告</div>"""
