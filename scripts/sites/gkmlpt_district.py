"""A Guangdong district on the gkmlpt platform: the home page links the Vue index
/gkmlpt/index, whose window._CONFIG.TREE holds a 政府信息公开年报 category with three child
categories (区政府 / 区直部门 / 镇（街道）年报); every category lists its posts through the JSON
API /gkmlpt/api/all/{catId}?page=1&sid=…, the parent category listing all of them again."""

import html
import json

from .kit import (attachment_only_body, esc, image_table_report, interpretation, notice, statistical_bulletin,
                  synthetic_report)

DISTRICT = "南韶区"
SID = "757013"
PARENT = 2410
CHILDREN = ((2411, "区政府年报"), (2412, "区直部门年报"), (2413, "镇（街道）年报"))
SITE = {
    "stem": "gkmlpt_district_tree",
    "host": "www.nanshaoqu.gov.cn",
    "family": "gkmlpt",
    "start_paths": ["/index.html"],
    "seen_at": [
        "gkmlpt index window._CONFIG with SID and a hierarchical TREE (ids, names, parents, jump_url); API /gkmlpt/api/all/{category_id}?page={n}&sid={site_id} returning articles with id, title, url, attachment[], classify.post_count: hulelan/china-governance SCRATCHPAD log (code index id 54108359337) and crawlers/gkmlpt.py",
        "post pages /gkmlpt/content/{a}/{b}/post_{id}.html with the 索引号/分类/发布机构/成文日期/名称/文号/发布日期 table and window._CONFIG.DETAIL: same log",
        "Guangdong annual reports as post_ pages: https://eea.gd.gov.cn/zwgk_xxgknb/content/post_4127379.html, https://www.qingxin.gov.cn/bmxz/zgbm/qxqrmzfbgs/zfxxgkgzndbg/content/post_1665156.html (../shared/spec/portals.md items 13, 34)",
        "attachments /attachment/0/88/88389/963149.pdf with a.nfw-cms-attachment: ../shared/spec/portals.md 2.2 C",
    ],
    "structures": ["start at the home page", "category tree in a script (JSON)", "JSON data call per category",
                   "parent category repeating its children's posts", "vague titles (agency name only, 年度报告)",
                   "interpretation", "letter", "statistical bulletin", "same report in 区政府 and 区直部门",
                   "attachment-only (PDF)", "seed page GBK 2021 layout", "image tables", "2019 and 2021 layouts"],
    "note": "UTF-8 except the seed post page (GB18030 bytes declaring gb2312). Column pages here are the API "
            "first pages; /gkmlpt/index#{catId} is how the site links them.",
}

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录_{district}人民政府</title>
<script>window._CONFIG = {{"SID": "{sid}", "TREE": {tree}}};</script></head>
<body><div id="app"></div><script src="/gkmlpt/gkml/pc/js/chunk-common.c1553651.js"></script></body></html>"""

POST = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 16:25"><meta name="ContentSource" content="{agency}"><title>{title}</title>
<script>window._CONFIG = {{"SID": "{sid}", "DETAIL": {{"id": {id}}}}};</script></head><body>
<div class="introduce"><table><tr><td>索引号：</td><td>114419000070{id}/{year}-00{n}</td><td>分类：</td><td>{category}</td></tr>
<tr><td>发布机构：</td><td>{agency}</td><td>成文日期：</td><td>{date}</td></tr>
<tr><td>名称：</td><td>{title}</td></tr><tr><td>文号：</td><td></td><td>发布日期：</td><td>{date}</td></tr></table></div>
<div class="article-content">{body}</div>{attachment}</body></html>"""


def post_path(post_id):
    return f"/gkmlpt/content/{post_id // 1000000}/{post_id // 1000}/post_{post_id}.html"


def build(site, rng):
    ids = iter(range(2411001, 2411100))
    articles = {cat: [] for cat, _ in CHILDREN}
    names = dict(CHILDREN)

    def post(cat, title, agency, date, body, attachment=""):
        post_id = next(ids)
        path = post_path(post_id)
        site.page(path, POST.format(title=esc(title), date=date, agency=agency, sid=SID, id=post_id, year=date[:4],
                                    n=post_id % 100, category=names[cat], body=body, attachment=attachment))
        return post_id, path

    def listed(cat, post_id, title, path, date, attachments=()):
        articles[cat].append({"id": post_id, "title": title, "url": f"http://{site.host}{path}",
                              "created_at": f"{date} 16:25:04", "attachment": list(attachments)})

    def table_report(cat, agency, year, date, list_title=None):
        layout, facts, body = synthetic_report(agency, year, rng)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        post_id, path = post(cat, title, agency, date, body)
        site.report(path, title, year, facts, layout, list_title=list_title)
        listed(cat, post_id, list_title or title, path, date)

    gov = f"{DISTRICT}人民政府"
    table_report(2411, gov, 2023, "2024-01-23")
    table_report(2411, gov, 2022, "2023-01-19")
    title, body = interpretation(DISTRICT, 2023, rng, kind="图解")
    post_id, path = post(2411, title, f"{DISTRICT}政务服务数据管理局", "2024-01-25", body)
    site.non_report(path, title, "interpretation")
    listed(2411, post_id, title, path, "2024-01-25")
    office = f"{DISTRICT}人民政府办公室"
    layout, facts, body = synthetic_report(office, 2023, rng)
    office_title = f"{office}2023年政府信息公开工作年度报告"
    first_id, first = post(2411, office_title, office, "2024-01-18", body)
    second_id, second = post(2412, office_title, office, "2024-01-18", body)
    site.report(first, office_title, 2023, facts, layout, also_at=[second])
    listed(2411, first_id, office_title, first, "2024-01-18")
    listed(2412, second_id, office_title, second, "2024-01-18")

    table_report(2412, f"{DISTRICT}财政局", 2023, "2024-01-22", list_title=f"{DISTRICT}财政局")
    agency = f"{DISTRICT}教育局"
    images = [f"/attachment/0/24/2411{n}/img_{n}.png" for n in (2, 3, 4)]
    title = f"{agency}2023年政府信息公开工作年度报告"
    post_id, path = post(2412, title, agency, "2024-01-17", image_table_report(agency, 2023, images))
    for image in images:
        site.image(image)
    site.report(path, title, 2023, None)
    listed(2412, post_id, title, path, "2024-01-17")
    seed_path = post_path(2412010)
    title, year, layout, facts = site.seed_page(seed_path, "doc003", "/index.html")
    site.report(seed_path, title, year, facts, layout)
    listed(2412, 2412010, title, seed_path, "2023-01-30")
    title, _, year, _, _ = site.seed_truth("doc004")
    pdf = "/attachment/0/88/88390/2411020.pdf"
    site.seed_file(pdf, "pdf_chrome", "doc004")
    link = f'<div class="m-attachment"><a class="nfw-cms-attachment pdf" href="{pdf}">{html.escape(title)}.pdf</a></div>'
    post_id, path = post(2412, title, f"{DISTRICT}金融工作局", "2023-01-31", attachment_only_body(title, []), link)
    site.report(path, title, year, None, attachment=pdf)
    listed(2412, post_id, title, path, "2023-01-31",
           [{"name": f"{title}.pdf", "type": "pdf", "mime": "application/pdf", "size": "312410", "url": pdf}])
    title, body = statistical_bulletin(DISTRICT, 2023, rng)
    post_id, path = post(2412, title, f"{DISTRICT}统计局", "2024-03-28", body)
    site.non_report(path, title, "other_yearly")
    listed(2412, post_id, title, path, "2024-03-28")

    table_report(2413, "梅岭街道办事处", 2023, "2024-01-26", list_title="年度报告")
    table_report(2413, "梅岭镇人民政府", 2020, "2021-01-29")
    title, body = notice(f"{DISTRICT}", 2023, "submit", sender="沙坪镇人民政府")
    post_id, path = post(2413, title, "沙坪镇人民政府", "2024-01-20", body)
    site.non_report(path, title, "notice")
    listed(2413, post_id, title, path, "2024-01-20")

    site.page("/index.html", f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{DISTRICT}人民政府门户网站</title></head>'
                             '<body><ul class="nav"><li><a href="/index.html">首页</a></li><li><a href="/gkmlpt/index">政府信息公开</a></li>'
                             f'<li><a href="/gkmlpt/index#{PARENT}">政府信息公开年报</a></li></ul></body></html>')
    tree = [{"id": 2400, "name": "政策文件", "parent": 0, "children": [{"id": 2401, "name": "区政府文件", "parent": 2400}]},
            {"id": PARENT, "name": "政府信息公开年报", "parent": 0,
             "children": [{"id": cat, "name": name, "parent": PARENT} for cat, name in CHILDREN]},
            {"id": 2420, "name": "政府信息公开指南", "parent": 0, "jump_url": "/zwgk/zfxxgkzn/"}]
    site.page("/gkmlpt/index", INDEX.format(district=DISTRICT, sid=SID, tree=json.dumps(tree, ensure_ascii=False)))
    every = []
    for cat, _ in CHILDREN:
        every += articles[cat]
        api(site, cat, articles[cat])
    api(site, PARENT, sorted(every, key=lambda a: a["created_at"], reverse=True))


def api(site, cat, items):
    items = sorted(items, key=lambda a: a["created_at"], reverse=True)
    data = {"classify": {"id": cat, "post_count": len(items)}, "total": len(items), "articles": items}
    query = f"page=1&sid={SID}"
    site.data(f"/gkmlpt/api/all/{cat}", json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8",
              query=query)
    site.column(f"/gkmlpt/api/all/{cat}?{query}")
