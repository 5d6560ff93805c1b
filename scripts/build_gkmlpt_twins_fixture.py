"""Build the gkmlpt twins fixture portal (tests/fixtures/portals/gkmlpt_twins/): a Guangdong
department site that serves each post twice, as gkmlpt sites do: in the platform,
/gkmlpt/content/0/971/post_{id}.html (listed by the JSON API of the Vue index
/gkmlpt/index#2410), and in the site's own column, /zwgk/zfxxgknb/content/post_{id}.html
(listed by /zwgk/zfxxgknb/index.html). Seen on real sites: the platform path
www.szpsq.gov.cn/gkmlpt/content/9/9103/post_9103540.html and the column path
www.sz.gov.cn/cn/xxgk/zfxxgj/…/content/mpost_12193340.html (gkmlpt notes in stored public
material), gd.gov.cn/gkmlpt/content/3/3774/post_3774882.html beside
gd.gov.cn/gdywdt/…/content/post_4083408.html.

The two pages of a post carry the same article in different chrome (the platform's
索引号/发布机构 header table and `article-content`; the site's banner, crumb, sidebar and
`zw-content`). The titles are the bare "2023年政府信息公开工作年度报告" a department's
site uses, and the article says 我局, never the agency: the agency is named on one page of
each post only, in a different place for each post:
- 971001 (2023): the platform's header table, 发布机构：深圳市示例区财政局;
- 971002 (2022): the site's page, <meta name="ArticleSource" content="深圳市示例区财政局">;
- 971003 (2021): the site's page, its info line 来源：深圳市示例区财政局.

    python scripts/build_gkmlpt_twins_fixture.py
"""

import json
import random
from pathlib import Path

from fixturekit.portal import Portal, synthetic_report

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "gkmlpt_twins"
AGENCY, SID, CATEGORY = "深圳市示例区财政局", "755031", "2410"
COLUMN = "/zwgk/zfxxgknb/"

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录</title>
<script>window._CONFIG = {SID: '%s', TREE: [{id: %s, name: '政府信息公开年报'}]};</script></head>
<body><div id="app"></div><script src="/gkmlpt/static/js/app.js"></script></body></html>"""

PLATFORM_POST = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}"><title>{title}</title>
<script>window._CONFIG = {{SID: '{sid}', DETAIL: {{id: {id}}}}};</script></head>
<body><table class="gkml-info"><tr><td>索引号：</td><td>11440300MB2C{id}/2024-{id}</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>{publisher}</td><td>成文日期：</td><td>{date}</td></tr>
<tr><td>名称：</td><td colspan="3">{title}</td></tr></table>
<div class="article-content">{body}</div></body></html>"""

SITE_POST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_深圳市示例区财政局网站</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 09:30">{meta}</head>
<body><div class="banner">深圳市示例区财政局 <a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>
<div class="crumb">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="side"><ul><li>财政资金</li><li>预决算公开</li><li>政府信息公开年报</li></ul></div>
<h1 class="title">{title}</h1><div class="info">发布时间：{date} {source}浏览次数：{visits}</div>
<div class="zw-content">{body}</div><div class="footer">主办：深圳市示例区人民政府 网站标识码4403000001</div>
</body></html>"""

LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div class="crumb">首页 &gt; 政务公开 &gt; 政府信息公开年报</div><ul>{items}</ul></body></html>"""

# (post id, year, where the agency is named: the platform's table, a <meta>, the info line)
POSTS = ((971001, 2023, "table"), (971002, 2022, "meta"), (971003, 2021, "line"))


def article(year, rng):
    """A report that names no agency: 我局 throughout, no signature line; its facts."""
    _, facts, body = synthetic_report("我局", year, rng, signed=f"{year + 1}-01-20")
    return body.replace('<p style="text-align:right">我局</p>\n', ""), facts


def build():
    rng = random.Random(971)
    portal = Portal(OUT, report_keys=("path", "also_at", "title", "agency", "year", "facts"))
    articles, items = [], []
    for post_id, year, named in POSTS:
        title = f"{year}年政府信息公开工作年度报告"
        date = f"{year + 1}-01-20"
        body, facts = article(year, rng)
        platform = f"/gkmlpt/content/0/971/post_{post_id}.html"
        column = f"{COLUMN}content/post_{post_id}.html"
        publisher = AGENCY if named == "table" else ""
        portal.page(
            platform, PLATFORM_POST.format(title=title, date=date, sid=SID, id=post_id, publisher=publisher, body=body)
        )
        meta = f'<meta name="ArticleSource" content="{AGENCY}">' if named == "meta" else ""
        source = f"来源：{AGENCY} " if named == "line" else ""
        portal.page(
            column, SITE_POST.format(title=title, date=date, meta=meta, source=source, visits=post_id % 97, body=body)
        )
        articles.append({"id": post_id, "title": title, "url": platform, "created_at": f"{date} 09:30:00"})
        items.append(f'<li><a href="./content/post_{post_id}.html" title="{title}">{title}</a><span>{date}</span></li>')
        portal.report(platform, title, year, facts, also_at=[column], agency=AGENCY)
    portal.page("/gkmlpt/index", INDEX % (SID, CATEGORY))
    data = {"total": len(articles), "articles": articles, "classify": {"id": int(CATEGORY)}}
    portal.data(
        f"/gkmlpt/api/all/{CATEGORY}",
        json.dumps(data, ensure_ascii=False).encode(),
        "application/json; charset=utf-8",
        query=f"page=1&sid={SID}",
    )
    portal.page(COLUMN + "index.html", LIST.format(items="".join(items)))
    portal.column("/gkmlpt/index")
    portal.column(COLUMN + "index.html")
    portal.save()
    print(f"{len(POSTS)} posts, each at two paths -> {OUT}")


if __name__ == "__main__":
    build()
