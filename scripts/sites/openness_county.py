"""An Anhui county on the 政务公开 platform: the start URL is the county's 信息公开 list
/public/column/{organ}?type=4&action=list, whose left nav leads to the 政府信息公开年报
category; its tabs lead to 部门年报 and 乡镇年报 categories. Every category page is a shell
whose rows come from /site/label/8888 (AJAX, paged by pageIndex, pageCount in the shell).
乡镇 reports are unit x year pages /OpennessAnnualReport/year/show/{unit}/{year}.html."""

import html

from .kit import attachment_only_body, esc, guide, interpretation, synthetic_report, work_plan, DOCX

COUNTY = "樵山县"
ORGAN, SITE_ID, PAGE_SIZE = 6611001, 10915003, 3
CATS = ((7200001, "县政府年报"), (7200002, "部门年报"), (7200003, "乡镇年报"))
SITE = {
    "stem": "openness_county_tabs",
    "host": "www.qiaoshanxian.gov.cn",
    "family": "openness",
    "start_paths": [f"/public/column/{ORGAN}?type=4&action=list"],
    "seen_at": [
        "column shell /public/column/{organ}?type=4&action=list&nav=&sub=&catId=… with pageCount:N; rows from /site/label/8888?labelName=publicInfoList&siteId=…&pageSize=15&pageIndex={n}&…&organId=…&type=4&file=/xxgk/publicInfoList_newest2022&catId=…: code index id 25486375557 (feapder AnHuiInfoParser, mpa.ah.gov.cn), rows ul.xxgk_nav_list li > a + span",
        "list quoted by a report: https://www.shucheng.gov.cn/public/column/6598771?type=4&action=list; detail /public/6598771/35994956.html (../shared/spec/portals.md item 37)",
        "unit x year annual-report pages: https://www.dongzhi.gov.cn/OpennessAnnualReport/year/show/341/2022.html (portals.md item 35); FastDFS attachments /group6/M00/…: code index id 68846782674",
    ],
    "structures": ["start at the 信息公开 list (not the column)", "县政府/部门/乡镇 category tabs", "AJAX (HTML fragment) data call paging",
                   "unit x year report pages", "vague titles", "interpretation", "guide", "work plan",
                   "same report in 县政府 and 部门 (two organ paths)", "attachment-only (DOCX from the list, DOC behind a page)",
                   "2019 and 2021 layouts"],
    "note": "UTF-8. Category pages and label fragments are query entries.",
}

SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}_{county}人民政府</title></head><body>
<div class="xxgk_left"><ul class="xxgk_nav">
<li><a href="/public/{organ}/35990100.html">政府信息公开指南</a></li>
<li><a href="/public/column/{organ}?type=4&amp;action=list&amp;nav=3&amp;catId={first}">政府信息公开年报</a></li></ul></div>
<div class="xxgk_right">{tabs}<div id="xxgk_lmcon"></div><div id="page"></div></div>
<script>$(function(){{ $("#xxgk_lmcon").load("/site/label/8888?{label}");
 Pager({{elem: "#page", pageCount:{pages}, pageIndex:1}}); }});</script></body></html>"""

DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date}"><meta name="ContentSource" content="{agency}"><title>{title}</title></head><body>
<div class="wz_position">当前位置：<a href="/">首页</a> &gt; <a href="/public/column/{organ}?type=4&amp;action=list">信息公开</a> &gt; <a href="/public/column/{organ}?type=4&amp;action=list&amp;nav=3&amp;catId={cat}">政府信息公开年报</a></div>
<table class="div_table_suoyin"><tr><th>索引号：</th><td>{organ}/{date_compact}-0001</td><th>发布机构：</th><td>{agency}</td></tr></table>
<div class="gzk-article"><h1 class="newstitle">{title}</h1><div id="zoom" class="j-fontContent">{body}</div></div></body></html>"""


def label(organ, cat, page):
    return ("labelName=publicInfoList&siteId={site}&pageSize={size}&pageIndex={page}&action=list&isDate=true"
            "&dateFormat=yyyy-MM-dd&length=80&organId={organ}&type=4&catId={cat}&file=/xxgk/publicInfoList_newest2022"
            ).format(site=SITE_ID, size=PAGE_SIZE, page=page, organ=organ, cat=cat)


def column_query(cat):
    return f"type=4&action=list&nav=3&catId={cat}"


def build(site, rng):
    rows = {cat: [] for cat, _ in CATS}
    ids = iter(range(35990001, 35990099))

    def detail(organ, cat, title, agency, date, body):
        path = f"/public/{organ}/{next(ids)}.html"
        site.page(path, DETAIL.format(title=esc(title), date=date, agency=agency, organ=ORGAN, cat=cat,
                                      date_compact=date[:4], body=body))
        return path

    def table_report(organ, cat, agency, year, date, list_title=None):
        layout, facts, body = synthetic_report(agency, year, rng)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        path = detail(organ, cat, title, agency, date, body)
        site.report(path, title, year, facts, layout, list_title=list_title)
        rows[cat].append((list_title or title, path, date))

    gov, county_cat = f"{COUNTY}人民政府", CATS[0][0]
    table_report(ORGAN, county_cat, gov, 2023, "2024-01-30")
    title, body = interpretation(gov, 2023, rng, kind="解读")
    path = detail(ORGAN, county_cat, title, f"{COUNTY}政务公开办", "2024-01-31", body)
    site.non_report(path, title, "interpretation")
    rows[county_cat].append((title, path, "2024-01-31"))
    office = f"{COUNTY}人民政府办公室"
    layout, facts, body = synthetic_report(office, 2023, rng)
    office_title = f"{office}2023年政府信息公开工作年度报告"
    first = detail(ORGAN, county_cat, office_title, office, "2024-01-26", body)
    second = detail(6611002, CATS[1][0], office_title, office, "2024-01-26", body)
    site.report(first, office_title, 2023, facts, layout, also_at=[second])
    rows[county_cat].append((office_title, first, "2024-01-26"))
    rows[CATS[1][0]].append((office_title, second, "2024-01-26"))
    table_report(ORGAN, county_cat, gov, 2022, "2023-01-29")
    title, body = guide(gov)
    path = "/public/6611001/35990100.html"
    site.page(path, DETAIL.format(title=esc(title), date="2023-05-10", agency=gov, organ=ORGAN, cat=county_cat,
                                  date_compact="2023", body=body))
    site.non_report(path, title, "guide")
    rows[county_cat].append((title, path, "2023-05-10"))
    title, body = work_plan(COUNTY, 2024)
    path = detail(ORGAN, county_cat, title, gov, "2024-04-02", body)
    site.non_report(path, title, "plan")
    rows[county_cat].append((title, path, "2024-04-02"))
    table_report(ORGAN, county_cat, gov, 2020, "2021-01-27")

    dept_cat = CATS[1][0]
    table_report(6611023, dept_cat, f"{COUNTY}财政局", 2023, "2024-01-24")
    table_report(6611027, dept_cat, f"{COUNTY}住房和城乡建设局", 2023, "2024-01-23", list_title="2023年报")
    title, _, year, _, _ = site.seed_truth("doc000")
    docx = "/group6/M00/0B/2C/wKgBAGVz3xSAQ1xYAAEn8Q.docx"
    site.seed_file(docx, "docx", "doc000")
    site.report(docx, title, year, None)
    rows[dept_cat].append((title, docx, "2021-01-25"))

    town_cat = CATS[2][0]
    for unit, agency, list_title in ((5101, "花园乡人民政府", "花园乡"), (5102, "官港镇人民政府", None)):
        layout, facts, body = synthetic_report(agency, 2023, rng)
        title = f"{agency}2023年政府信息公开工作年度报告"
        path = f"/OpennessAnnualReport/year/show/{unit}/2023.html"
        site.page(path, DETAIL.format(title=esc(title), date="2024-01-22", agency=agency, organ=ORGAN, cat=town_cat,
                                      date_compact="2024", body=body))
        site.report(path, title, 2023, facts, layout, list_title=list_title)
        rows[town_cat].append((list_title or title, path, "2024-01-22"))
    title, _, year, _, _ = site.seed_truth("doc001")
    doc = "/group6/M00/0B/2D/wKgBAGVz4aSAH7cPAAFq1w.doc"
    site.seed_file(doc, "doc", "doc001")
    path = detail(6611031, town_cat, title, "洛河镇人民政府", "2021-01-19",
                  attachment_only_body(title, [(doc, title + ".doc", "")]))
    site.report(path, title, year, None, attachment=doc)
    rows[town_cat].append((title, path, "2021-01-19"))

    site.home(f"{COUNTY}人民政府", [("信息公开", f"/public/column/{ORGAN}?type=4&amp;action=list")])
    # shells and label fragments
    tabs = '<ul class="xxgk_tab">' + "".join(
        f'<li><a href="/public/column/{ORGAN}?{html.escape(column_query(cat))}">{name}</a></li>' for cat, name in CATS) + "</ul>"
    site.page(f"/public/column/{ORGAN}", SHELL.format(name="信息公开", county=COUNTY, organ=ORGAN, first=CATS[0][0],
                                                       tabs="", label=html.escape(label(ORGAN, 0, 1)), pages=1),
              query="type=4&action=list")
    site.page("/site/label/8888", '<ul class="clearfix xxgk_nav_list"></ul>', query=label(ORGAN, 0, 1))
    for cat, name in CATS:
        items = sorted(rows[cat], key=lambda row: row[2], reverse=True)
        pages = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)]
        site.page(f"/public/column/{ORGAN}", SHELL.format(name=name, county=COUNTY, organ=ORGAN, first=CATS[0][0], tabs=tabs,
                                                           label=html.escape(label(ORGAN, cat, 1)), pages=len(pages)),
                  query=column_query(cat))
        site.column(f"/public/column/{ORGAN}?{column_query(cat)}")
        for index, chunk in enumerate(pages, 1):
            fragment = '<ul class="clearfix xxgk_nav_list">' + "".join(
                f'<li class="xxgk_navli"><a href="{href}" title="{esc(title)}" target="_blank">{esc(title)}</a>'
                f'<span class="date">{date}</span></li>' for title, href, date in chunk) + "</ul>"
            site.page("/site/label/8888", fragment, query=label(ORGAN, cat, index))
