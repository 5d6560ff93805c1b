"""A Guangdong district on the gkmlpt platform: the home page links the Vue index
/gkmlpt/index, whose window._CONFIG.TREE holds a 政府信息公开年报 category with three child
categories (区政府 / 区直部门 / 镇（街道）年报); every category lists its posts through the JSON
API /gkmlpt/api/all/{catId}?page=1&sid=…, the parent category listing all of them again."""

import html
import json

from fixturekit.portal import attachment_only_body, esc, interpretation, notice, statistical_bulletin

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
        "Guangdong annual reports as post_ pages: https://eea.gd.gov.cn/zwgk_xxgknb/content/post_4127379.html, https://www.qingxin.gov.cn/bmxz/zgbm/qxqrmzfbgs/zfxxgkgzndbg/content/post_1665156.html (docs/portals.md items 13, 34)",
        "attachments /attachment/0/88/88389/963149.pdf with a.nfw-cms-attachment: docs/portals.md 2.2 C",
    ],
    "structures": [
        "start at the home page",
        "category tree in a script (JSON)",
        "JSON data call per category",
        "parent category repeating its children's posts",
        "vague titles (agency name only, 年度报告)",
        "interpretation",
        "letter",
        "statistical bulletin",
        "same report in 区政府 and 区直部门",
        "attachment-only (PDF)",
        "seed page GBK 2021 layout",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8 except the seed post page (GB18030 bytes declaring gb2312). Columns are named as the site "
    "links them, /gkmlpt/index#{catId}; their posts come from the API pages /gkmlpt/api/all/{catId}?page=1&sid=….",
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

    def writer(cat, attachment=""):
        """write(title, agency, date, body) -> path of a new post of category cat."""

        def write(title, agency, date, body):
            post_id = next(ids)
            path = post_path(post_id)
            site.page(
                path,
                POST.format(
                    title=esc(title),
                    date=date,
                    agency=agency,
                    sid=SID,
                    id=post_id,
                    year=date[:4],
                    n=post_id % 100,
                    category=names[cat],
                    body=body,
                    attachment=attachment,
                ),
            )
            return path

        return write

    def listed(cat, date, title, path, attachments=()):
        post_id = int(path.rsplit("_", 1)[1].split(".")[0])
        articles[cat].append(
            {
                "id": post_id,
                "title": title,
                "url": f"http://{site.host}{path}",
                "created_at": f"{date} 16:25:04",
                "attachment": list(attachments),
            }
        )

    def table_report(cat, agency, year, date, **titles):
        listed(cat, date, *site.table_report(writer(cat), agency, year, date, rng, **titles))

    def rejected(cat, why, content, agency, date):
        listed(cat, date, *site.rejected(writer(cat), why, content, agency, date))

    gov = f"{DISTRICT}人民政府"
    table_report(2411, gov, 2023, "2024-01-23")
    table_report(2411, gov, 2022, "2023-01-19")
    rejected(
        2411,
        "interpretation",
        interpretation(DISTRICT, 2023, rng, kind="图解"),
        f"{DISTRICT}政务服务数据管理局",
        "2024-01-25",
    )
    office_title, first, second = site.report_in_two_columns(
        writer(2411), writer(2412), f"{DISTRICT}人民政府办公室", 2023, "2024-01-18", rng
    )
    listed(2411, "2024-01-18", office_title, first)
    listed(2412, "2024-01-18", office_title, second)

    table_report(2412, f"{DISTRICT}财政局", 2023, "2024-01-22", list_title=f"{DISTRICT}财政局")
    images = [f"/attachment/0/24/2411{n}/img_{n}.png" for n in (2, 3, 4)]
    listed(2412, "2024-01-17", *site.picture_report(writer(2412), f"{DISTRICT}教育局", 2023, "2024-01-17", images))
    seed_path = post_path(2412010)
    title, year, layout, facts = site.seed_page(seed_path, "doc003", "/index.html")
    site.report(seed_path, title, year, facts, layout)
    listed(2412, "2023-01-30", title, seed_path)
    title, _, year, _, _ = site.seed_truth("doc004")
    pdf = "/attachment/0/88/88390/2411020.pdf"
    site.seed_file(pdf, "pdf_chrome", "doc004")
    link = (
        f'<div class="m-attachment"><a class="nfw-cms-attachment pdf" href="{pdf}">{html.escape(title)}.pdf</a></div>'
    )
    path = writer(2412, link)(title, f"{DISTRICT}金融工作局", "2023-01-31", attachment_only_body(title, []))
    site.report(path, title, year, None, attachment=pdf)
    listed(
        2412,
        "2023-01-31",
        title,
        path,
        [{"name": f"{title}.pdf", "type": "pdf", "mime": "application/pdf", "size": "312410", "url": pdf}],
    )
    rejected(2412, "other_yearly", statistical_bulletin(DISTRICT, 2023, rng), f"{DISTRICT}统计局", "2024-03-28")

    table_report(2413, "梅岭街道办事处", 2023, "2024-01-26", list_title="年度报告")
    table_report(2413, "梅岭镇人民政府", 2020, "2021-01-29")
    rejected(
        2413, "notice", notice(f"{DISTRICT}", 2023, "submit", sender="沙坪镇人民政府"), "沙坪镇人民政府", "2024-01-20"
    )

    site.page(
        "/index.html",
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{DISTRICT}人民政府门户网站</title></head>'
        '<body><ul class="nav"><li><a href="/index.html">首页</a></li><li><a href="/gkmlpt/index">政府信息公开</a></li>'
        f'<li><a href="/gkmlpt/index#{PARENT}">政府信息公开年报</a></li></ul></body></html>',
    )
    tree = [
        {"id": 2400, "name": "政策文件", "parent": 0, "children": [{"id": 2401, "name": "区政府文件", "parent": 2400}]},
        {
            "id": PARENT,
            "name": "政府信息公开年报",
            "parent": 0,
            "children": [{"id": cat, "name": name, "parent": PARENT} for cat, name in CHILDREN],
        },
        {"id": 2420, "name": "政府信息公开指南", "parent": 0, "jump_url": "/zwgk/zfxxgkzn/"},
    ]
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
    site.data(
        f"/gkmlpt/api/all/{cat}",
        json.dumps(data, ensure_ascii=False).encode(),
        "application/json; charset=utf-8",
        query=query,
    )
    site.column(f"/gkmlpt/index#{cat}")  # the column as the site links it; its posts come from the API
