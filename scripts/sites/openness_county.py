"""An Anhui county on the 政务公开 platform: the start URL is the county's 信息公开 list
/public/column/{organ}?type=4&action=list, whose left nav leads to the 政府信息公开年报
category; its tabs lead to 部门年报 and 乡镇年报 categories. Every category page is a shell
whose rows come from /site/label/8888 (AJAX, paged by pageIndex, pageCount in the shell).
乡镇 reports are unit x year pages /OpennessAnnualReport/year/show/{unit}/{year}.html."""

import html

from fixturekit.portal import esc, guide, interpretation, work_plan

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
        "list quoted by a report: https://www.shucheng.gov.cn/public/column/6598771?type=4&action=list; detail /public/6598771/35994956.html (docs/portals.md item 37)",
        "unit x year annual-report pages: https://www.dongzhi.gov.cn/OpennessAnnualReport/year/show/341/2022.html (portals.md item 35); FastDFS attachments /group6/M00/…: code index id 68846782674",
    ],
    "structures": [
        "start at the 信息公开 list (not the column)",
        "县政府/部门/乡镇 category tabs",
        "AJAX (HTML fragment) data call paging",
        "unit x year report pages",
        "vague titles",
        "interpretation",
        "guide",
        "work plan",
        "same report in 县政府 and 部门 (two organ paths)",
        "attachment-only (DOCX from the list, DOC behind a page)",
        "2019 and 2021 layouts",
    ],
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
    return (
        f"labelName=publicInfoList&siteId={SITE_ID}&pageSize={PAGE_SIZE}&pageIndex={page}&action=list&isDate=true"
        f"&dateFormat=yyyy-MM-dd&length=80&organId={organ}&type=4&catId={cat}&file=/xxgk/publicInfoList_newest2022"
    )


def column_query(cat):
    return f"type=4&action=list&nav=3&catId={cat}"


def build(site, rng):
    rows = {cat: [] for cat, _ in CATS}
    ids = iter(range(35990001, 35990099))

    def writer(organ, cat, path=None):
        """write(title, agency, date, body) -> path of a new detail page of organ in category cat."""

        def write(title, agency, date, body):
            page = path or f"/public/{organ}/{next(ids)}.html"
            site.page(
                page,
                DETAIL.format(
                    title=esc(title), date=date, agency=agency, organ=ORGAN, cat=cat, date_compact=date[:4], body=body
                ),
            )
            return page

        return write

    def listed(cat, date, title, path):
        rows[cat].append((title, path, date))

    def table_report(organ, cat, agency, year, date, path=None, **titles):
        listed(cat, date, *site.table_report(writer(organ, cat, path), agency, year, date, rng, **titles))

    def rejected(cat, why, content, agency, date, path=None):
        listed(cat, date, *site.rejected(writer(ORGAN, cat, path), why, content, agency, date))

    gov, (county_cat, dept_cat, town_cat) = f"{COUNTY}人民政府", (cat for cat, _ in CATS)
    table_report(ORGAN, county_cat, gov, 2023, "2024-01-30")
    rejected(
        county_cat, "interpretation", interpretation(gov, 2023, rng, kind="解读"), f"{COUNTY}政务公开办", "2024-01-31"
    )
    office_title, first, second = site.report_in_two_columns(
        writer(ORGAN, county_cat), writer(6611002, dept_cat), f"{COUNTY}人民政府办公室", 2023, "2024-01-26", rng
    )
    listed(county_cat, "2024-01-26", office_title, first)
    listed(dept_cat, "2024-01-26", office_title, second)
    table_report(ORGAN, county_cat, gov, 2022, "2023-01-29")
    rejected(county_cat, "guide", guide(gov), gov, "2023-05-10", path="/public/6611001/35990100.html")
    rejected(county_cat, "plan", work_plan(COUNTY, 2024), gov, "2024-04-02")
    table_report(ORGAN, county_cat, gov, 2020, "2021-01-27")

    table_report(6611023, dept_cat, f"{COUNTY}财政局", 2023, "2024-01-24")
    table_report(6611027, dept_cat, f"{COUNTY}住房和城乡建设局", 2023, "2024-01-23", list_title="2023年报")
    listed(dept_cat, "2021-01-25", *site.file_report("/group6/M00/0B/2C/wKgBAGVz3xSAQ1xYAAEn8Q.docx", "docx", "doc000"))

    for unit, agency, list_title in ((5101, "花园乡人民政府", "花园乡"), (5102, "官港镇人民政府", None)):
        table_report(
            ORGAN,
            town_cat,
            agency,
            2023,
            "2024-01-22",
            path=f"/OpennessAnnualReport/year/show/{unit}/2023.html",
            list_title=list_title,
        )
    listed(
        town_cat,
        "2021-01-19",
        *site.attachment_report(
            writer(6611031, town_cat),
            "doc001",
            "doc",
            "洛河镇人民政府",
            "2021-01-19",
            "/group6/M00/0B/2D/wKgBAGVz4aSAH7cPAAFq1w.doc",
        ),
    )

    site.home(f"{COUNTY}人民政府", [("信息公开", f"/public/column/{ORGAN}?type=4&amp;action=list")])
    # shells and label fragments
    tabs = (
        '<ul class="xxgk_tab">'
        + "".join(
            f'<li><a href="/public/column/{ORGAN}?{html.escape(column_query(cat))}">{name}</a></li>'
            for cat, name in CATS
        )
        + "</ul>"
    )
    site.page(
        f"/public/column/{ORGAN}",
        SHELL.format(
            name="信息公开", county=COUNTY, organ=ORGAN, first=CATS[0][0], tabs="", label=label(ORGAN, 0, 1), pages=1
        ),
        query="type=4&action=list",
    )
    site.page("/site/label/8888", '<ul class="clearfix xxgk_nav_list"></ul>', query=label(ORGAN, 0, 1))
    for cat, name in CATS:
        items = sorted(rows[cat], key=lambda row: row[2], reverse=True)
        pages = [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)]
        site.page(
            f"/public/column/{ORGAN}",
            SHELL.format(
                name=name,
                county=COUNTY,
                organ=ORGAN,
                first=CATS[0][0],
                tabs=tabs,
                label=label(ORGAN, cat, 1),
                pages=len(pages),
            ),
            query=column_query(cat),
        )
        site.column(f"/public/column/{ORGAN}?{column_query(cat)}")
        for index, chunk in enumerate(pages, 1):
            fragment = (
                '<ul class="clearfix xxgk_nav_list">'
                + "".join(
                    f'<li class="xxgk_navli"><a href="{href}" title="{esc(title)}" target="_blank">{esc(title)}</a>'
                    f'<span class="date">{date}</span></li>'
                    for title, href, date in chunk
                )
                + "</ul>"
            )
            site.page("/site/label/8888", fragment, query=label(ORGAN, cat, index))
