"""A northwest county on VSB (博达): the home page leads to 政务公开, then to the 政府信息公开年报
column, which aggregates its three sub-columns (县政府 / 部门 / 乡镇年报, linked from the left
nav) over three pages numbered downward (nb.htm, nb/2.htm, nb/1.htm); 部门年报 has two pages
of its own. Detail pages /info/{col}/{id}.htm carry the 索引号 table and div#vsb_content."""

import posixpath

from fixturekit.portal import Columns, article_meta, esc, interpretation, notice, pages_of, statistical_bulletin

COUNTY = "北石县"
SITE = {
    "stem": "vsb_county_aggregate",
    "host": "www.beishixian.gov.cn",
    "family": "vsb",
    "start_paths": ["/index.htm"],
    "seen_at": [
        'VSB pager <span class="p_pages">…<span class="p_next p_fun"><a href="zbgg/10.htm">下页</a></span><span class="p_last p_fun"><a href="zbgg/1.htm">尾页</a></span>, pages numbered downward: code index id 67592798815 (a stored VSB list page) and 54963374769',
        "gov VSB lists ul > li > a + span, breadcrumb div.position, body div[id^=vsb_content] / div.v_news_content, meta ArticleTitle/PubDate/ContentSource: code index ids 52432114558, 51806925410 (Portia spiders of VSB gov sites)",
        "details /info/{col}/{id}.htm: http://fg.gov.cn/info/1648/47211.htm, http://www.gangu.gov.cn/info/3701/199331.htm, http://jyj.linyi.gov.cn/info/1667/53878.htm (docs/portals.md items 39, 40, 20)",
        "attachments /system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=…&wbfileid=…: tests/fixtures/portals/vsb (this project's VSB fixture)",
    ],
    "structures": [
        "start at the home page",
        "parent column aggregating sub-columns",
        "县政府/部门/乡镇 sub-columns",
        "pagination numbered downward",
        "vague titles",
        "interpretation",
        "notice",
        "statistical bulletin",
        "same report in 县政府 and 部门",
        "attachment-only (download.jsp DOCX)",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8. The parent column lists the same detail URLs as its sub-columns: one report each, not two.",
}

COLS = (("xzfnb", 1648, "县政府年报"), ("bmnb", 1649, "部门年报"), ("xznb", 1650, "乡镇年报"))
NB = "/zfxxgk/zfxxgknb"
PER_PAGE = 5

HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-{county}人民政府</title>{meta}</head><body>
<div class="head"><a href="/index.htm">首页</a> <a href="/zwgk.htm">政务公开</a></div>"""


def left_nav():
    return (
        '<div class="left"><h2>政府信息公开年报</h2><ul>'
        + "".join(f'<li><a href="{NB}/{code}.htm">{name}</a></li>' for code, _, name in COLS)
        + "</ul></div>"
    )


def pager(total, page_no, pages, href):
    """VSB pager for page page_no (1 = newest) of pages; href(n) is the file of page n."""
    nxt = (
        (
            f'<span class="p_next p_fun"><a href="{href(page_no + 1)}">下页</a></span>'
            f'<span class="p_last p_fun"><a href="{href(pages)}">尾页</a></span>'
        )
        if page_no < pages
        else ""
    )
    return (
        f'<div class="pb_sys_common pb_sys_normal pb_sys_style1"><span class="p_t">共{total}条</span> '
        f'<span class="p_pages"><span class="p_no_d">{page_no}</span>{nxt}</span> <span class="p_t">{page_no}/{pages}</span></div>'
    )


def relative(target, here):
    """target as VSB writes it: relative to the directory of the page here."""
    return posixpath.relpath(target, posixpath.dirname(here))


def list_pages(site, base, name, items):
    """Write a VSB list: base.htm then base/{pages-1}.htm … base/1.htm, links relative."""
    chunks = pages_of(items, PER_PAGE)
    pages = len(chunks)

    def file_of(n):  # page n (1 = newest) -> site path
        return f"{base}.htm" if n == 1 else f"{base}/{pages - n + 1}.htm"

    for n, chunk in enumerate(chunks, 1):
        here = file_of(n)
        rows = "".join(
            f'<li><a href="{relative(p, here)}" title="{esc(t)}">{esc(t)}</a><span>{d}</span></li>' for t, p, d in chunk
        )
        site.page(
            here,
            HEAD.format(title=name, county=COUNTY, meta="")
            + f'<div class="position">当前位置：<a href="/index.htm">首页</a>&gt;&gt;<a href="/zwgk.htm">政务公开</a>&gt;&gt;{name}</div>'
            + left_nav()
            + f'<div class="list fr"><ul class="gg-list">{rows}</ul>'
            + pager(len(items), n, pages, lambda m: relative(file_of(m), here))
            + "</div></body></html>",
        )
    site.column(f"{base}.htm")


def build(site, rng):
    ids = iter(range(47201, 47300))
    col_of = {code: (col, name) for code, col, name in COLS}

    def writer(code):
        """write(title, agency, date, body) -> path of a new /info/ page of sub-column code."""

        def write(title, agency, date, body):
            col, name = col_of[code]
            path = f"/info/{col}/{next(ids)}.htm"
            meta = article_meta(title, f"{date} 11:02", agency)
            site.page(
                path,
                HEAD.format(title=esc(title), county=COUNTY, meta=meta)
                + f'<div class="position">当前位置：<a href="/index.htm">首页</a>&gt;&gt;<a href="/zwgk.htm">政务公开</a>&gt;&gt;'
                f'<a href="{NB}.htm">政府信息公开年报</a>&gt;&gt;<a href="{NB}/{code}.htm">{name}</a>&gt;&gt;正文</div>'
                + f'<table class="xxgk-meta"><tr><td>索引号：</td><td>013561/{date[:4]}-0{next(ids) % 100:02d}</td>'
                f"<td>发布机构：</td><td>{agency}</td></tr></table>"
                + f'<form name="_newscontent_fromname"><h1>{esc(title)}</h1><div id="vsb_content_2">'
                f'<div class="v_news_content">{body}</div></div></form></body></html>',
            )
            return path

        return write

    columns = Columns(site, writer, rng, [code for code, _, _ in COLS])

    gov = f"{COUNTY}人民政府"
    columns.table_report("xzfnb", gov, 2023, "2024-01-27")
    images = [f"/__local/9/3F/A1/2023{n}F0C7B1.png" for n in (2, 3, 4)]
    columns.listed("xzfnb", "2023-01-28", *site.picture_report(writer("xzfnb"), gov, 2022, "2023-01-28", images))
    columns.rejected(
        "xzfnb", "interpretation", interpretation(gov, 2023, rng, kind="图解"), f"{COUNTY}政务公开办", "2024-01-29"
    )
    columns.rejected("xzfnb", "notice", notice(gov, 2023, "prepare"), f"{COUNTY}政务公开办", "2023-12-18")
    office_title, first, second = site.report_in_two_columns(
        writer("xzfnb"), writer("bmnb"), f"{COUNTY}人民政府办公室", 2023, "2024-01-21", rng
    )
    columns.listed("xzfnb", "2024-01-21", office_title, first)
    columns.listed("bmnb", "2024-01-21", office_title, second)

    columns.table_report("bmnb", f"{COUNTY}审计局", 2023, "2024-01-25")
    columns.table_report(
        "bmnb", f"{COUNTY}林业局", 2023, "2024-01-19", list_title="政府信息公开年报", page_title="政府信息公开年报"
    )
    columns.listed(
        "bmnb",
        "2023-02-02",
        *site.attachment_report(
            writer("bmnb"),
            "doc004",
            "docx",
            f"{COUNTY}水务局",
            "2023-02-02",
            "/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1457245478&wbfileid=10251583",
        ),
    )
    columns.rejected("bmnb", "other_yearly", statistical_bulletin(COUNTY, 2023, rng), f"{COUNTY}统计局", "2024-03-30")
    columns.table_report("bmnb", f"{COUNTY}交通运输局", 2020, "2021-01-26")
    columns.table_report("bmnb", f"{COUNTY}民政局", 2021, "2022-01-24")

    columns.table_report("xznb", "城关镇人民政府", 2023, "2024-01-20", list_title="年度报告")
    columns.table_report("xznb", "东坝镇人民政府", 2023, "2024-01-22")

    site.page(
        "/index.htm",
        HEAD.format(title="首页", county=COUNTY, meta="") + '<div class="news">县政府常务会议召开</div></body></html>',
    )
    site.page(
        "/zwgk.htm",
        HEAD.format(title="政务公开", county=COUNTY, meta="")
        + '<ul class="zwgk-nav"><li><a href="/zfxxgk/zfxxgkzn.htm">政府信息公开指南</a></li>'
        f'<li><a href="{NB}.htm">政府信息公开年报</a></li></ul></body></html>',
    )
    everything = []
    for code, _, name in COLS:
        items = columns.newest_first(code)
        everything += items
        list_pages(site, f"{NB}/{code}", name, items)
    everything.sort(key=lambda item: item[2], reverse=True)
    list_pages(site, NB, "政府信息公开年报", everything)
