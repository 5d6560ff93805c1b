"""A Beijing district on TRS WCM with its reports in a year tree: 政府信息公开专栏 ->
政府信息公开年报 (year columns and a 集中公开 page listing the year's reports) -> {Y}nb/ with
区政府 (qzf{Y}/), 委办局 (wbj{Y}/) and 镇乡街道 (zxjd{Y}/) sub-columns. Many reports are PDF
attachments behind a page, one is a DOCX straight from a list."""

from fixturekit.portal import article_meta, esc, interpretation, notice, pages_of

DISTRICT = "西山区"
SITE = {
    "stem": "beijing_district_years",
    "host": "www.bjxishan.gov.cn",
    "family": "trs",
    "start_paths": ["/index.html"],
    "seen_at": [
        "年报 trees /zfxxgkzl/gknb/{Y}nb/ with a 街乡镇 sub-tree /zfxxgkzl/gknb/{Y}nb/zxjd{Y}/ (怀柔), /{Y}n/xzjd/ (大兴), report pages …/gknb2017/201802/t20180223_195744.html (密云), many reports as Office/PDF attachments (东城, 西城, 大兴): code index id 71556330860 (北京政府信息公开年报 街乡镇线索树)",
        "a 集中公开专题页面 listing a year's reports: https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html (docs/portals.md item 14); TRS report pages https://csglw.beijing.gov.cn/zwxx/zfxxgk/zfxxgknb/202301/t20230117_2902907.html (item 15)",
        "TRS appendix links a[appendix=true] ./P0….pdf and createPageHTML paging: docs/portals.md 2.2 A",
    ],
    "structures": [
        "start at the home page",
        "per-year columns with 区政府/委办局/镇乡街道 sub-columns",
        "a 集中公开 page (table of contents) linking reports",
        "pagination",
        "vague titles",
        "interpretation",
        "notice",
        "same report in 区政府 and 委办局",
        "attachment-only (PDFs behind pages, DOCX from the list)",
        "seed page UTF-8 2021 layout",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8. The 集中公开 page links report pages that are also in their columns: each is one report.",
}

GKNB = "/zfxxgkzl/gknb/"
HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{district}人民政府网站</title>{meta}</head><body>
<div class="header"><a href="/index.html">首页</a> <a href="/zfxxgkzl/index.html">政府信息公开专栏</a></div>"""
KIDS = (("qzf", "区政府"), ("wbj", "委办局"), ("zxjd", "镇乡街道"))
PER_PAGE = 4


def detail_page(title, agency, date, body, year, kid):
    meta = article_meta(title, f"{date} 18:00", agency)
    crumb = (
        f'<a href="/index.html">首页</a> &gt; <a href="/zfxxgkzl/index.html">政府信息公开专栏</a> &gt; '
        f'<a href="../../../">政府信息公开年报</a> &gt; <a href="../../">{year}年</a> &gt; <a href="../">{dict(KIDS)[kid]}</a>'
    )
    return (
        HEAD.format(title=esc(title), district=DISTRICT, meta=meta)
        + f'<div class="location">{crumb}</div>'
        + f'<div class="gkzl-content"><h2>{esc(title)}</h2><div class="TRS_UEDITOR TRS_WEB">{body}</div></div></body></html>'
    )


def list_page(name, crumb, tabs, items, pages=1, index=0):
    rows = "".join(
        f'<li><a href="{p}" target="_blank" title="{esc(t)}">{esc(t)}</a><span>{d}</span></li>' for t, p, d in items
    )
    tab = "".join(f'<a href="{h}">{n}</a>' for n, h in tabs)
    pager = f'<script>createPageHTML({pages}, {index}, "index", "html");</script>' if pages > 1 else ""
    return (
        HEAD.format(title=name, district=DISTRICT, meta="")
        + f'<div class="location">{crumb}</div>'
        + (f'<div class="tabs">{tab}</div>' if tab else "")
        + f'<ul class="gkzl-list">{rows}</ul>{pager}</body></html>'
    )


def build(site, rng):
    ids = iter(range(195701, 195800))
    lists = {}

    def writer(year, kid):
        """write(title, agency, date, body) -> path of a new page in the column {year}nb/{kid}{year}/."""

        def write(title, agency, date, body):
            compact = date.replace("-", "")
            path = f"{GKNB}{year}nb/{kid}{year}/{compact[:6]}/t{compact}_{next(ids)}.html"
            site.page(path, detail_page(title, agency, date, body, year, kid))
            return path

        return write

    def listed(year, kid, date, title, path):
        lists.setdefault((year, kid), []).append((title, path, date))

    def table_report(year, kid, agency, report_year, date, **titles):
        """(the page's title, path) of a report in the official table format."""
        text, path = site.table_report(writer(year, kid), agency, report_year, date, rng, **titles)
        listed(year, kid, date, text, path)
        return site.reports[-1]["title"], path

    def pdf_report(year, kid, agency, date, seed, kind="pdf_chrome"):
        name = f"./P0{date.replace('-', '')}{rng.randint(100000000, 999999999)}.pdf"
        title, path = site.attachment_report(
            writer(year, kid), seed, kind, agency, date, name, ' appendix="true" data-appendix="true"'
        )
        listed(year, kid, date, title, path)
        return title, path

    def rejected(year, kid, why, content, agency, date):
        listed(year, kid, date, *site.rejected(writer(year, kid), why, content, agency, date))

    gov, office = f"{DISTRICT}人民政府", f"{DISTRICT}人民政府办公室"
    showcase = [table_report(2023, "qzf", gov, 2023, "2024-01-31")]
    rejected(
        2023, "qzf", "interpretation", interpretation(DISTRICT, 2023, rng), f"{DISTRICT}政务服务管理局", "2024-02-01"
    )
    office_title, first, second = site.report_in_two_columns(
        writer(2023, "qzf"), writer(2023, "wbj"), office, 2023, "2024-01-26", rng
    )
    listed(2023, "qzf", "2024-01-26", office_title, first)
    listed(2023, "wbj", "2024-01-26", office_title, second)
    showcase.append((office_title, first))

    showcase.append(pdf_report(2023, "wbj", f"{DISTRICT}发展和改革委员会", "2024-01-25", "doc002"))
    showcase.append(table_report(2023, "wbj", f"{DISTRICT}教育委员会", 2023, "2024-01-24", list_title="2023年报"))
    seed_path = f"{GKNB}2023nb/wbj2023/202401/t20240123_195790.html"
    title, year, layout, facts = site.seed_page(seed_path, "doc004", "/zfxxgkzl/index.html")
    site.report(seed_path, title, year, facts, layout)
    listed(2023, "wbj", "2024-01-23", title, seed_path)
    showcase.append(pdf_report(2023, "wbj", f"{DISTRICT}卫生健康委员会", "2024-01-22", "doc001", "pdf_libreoffice"))
    rejected(2023, "wbj", "notice", notice(gov, 2023, "prepare"), f"{DISTRICT}政务服务管理局", "2023-12-08")

    showcase.append(table_report(2023, "zxjd", "青龙镇人民政府", 2023, "2024-01-20", list_title="年度报告"))
    showcase.append(table_report(2023, "zxjd", "西苑街道办事处", 2023, "2024-01-19"))

    table_report(2022, "qzf", gov, 2022, "2023-01-30")
    table_report(2022, "zxjd", "青龙镇人民政府", 2022, "2023-01-19", list_title="青龙镇")
    listed(
        2022,
        "zxjd",
        "2023-01-18",
        *site.file_report(f"{GKNB}2022nb/zxjd2022/202301/P020230118612340987123.docx", "docx", "doc003"),
    )
    table_report(2020, "qzf", gov, 2020, "2021-01-29")

    # the 集中公开 page of 2023: links to reports that also are in their columns
    toc_title = f"{DISTRICT}2023年政府信息公开工作年度报告集中公开专题页面"
    links = "".join(f'<li><a href="{path}">{esc(title)}</a></li>' for title, path in showcase)
    toc = f"{GKNB}202403/t20240331_195799.html"
    site.page(
        toc,
        HEAD.format(title=toc_title, district=DISTRICT, meta=f'<meta name="ArticleTitle" content="{toc_title}">')
        + f'<div class="gkzl-content"><h2>{toc_title}</h2><div class="TRS_UEDITOR TRS_WEB"><p>按照《中华人民共和国政府信息公开条例》规定，'
        f"现将本区各单位2023年政府信息公开工作年度报告集中公开如下：</p><ul>{links}</ul></div></div></body></html>",
    )
    site.non_report(toc, toc_title, "toc")

    root_crumb = (
        '<a href="/index.html">首页</a> &gt; <a href="/zfxxgkzl/index.html">政府信息公开专栏</a> &gt; 政府信息公开年报'
    )
    years = ((2023, ("qzf", "wbj", "zxjd")), (2022, ("qzf", "zxjd")), (2020, ("qzf",)))
    site.page(
        GKNB + "index.html",
        list_page(
            "政府信息公开年报",
            root_crumb,
            [(f"{y}年", f"./{y}nb/index.html") for y, _ in years],
            [(toc_title, "./202403/t20240331_195799.html", "2024-03-31")],
        ),
    )
    site.column(GKNB + "index.html")
    for year, kids in years:
        ycol = f"{GKNB}{year}nb/"
        tabs = [(dict(KIDS)[k], f"{ycol}{k}{year}/index.html") for k in kids]
        crumb = root_crumb.replace("政府信息公开年报", f'<a href="{GKNB}index.html">政府信息公开年报</a> &gt; {year}年')
        site.page(ycol + "index.html", list_page(f"{year}年", crumb, tabs, []))
        site.column(ycol + "index.html")
        for kid in kids:
            col = f"{ycol}{kid}{year}/"
            items = sorted(
                ((t, "./" + p[len(col) :], d) for t, p, d in lists[(year, kid)]), key=lambda i: i[2], reverse=True
            )
            chunks = pages_of(items, PER_PAGE)
            for index, chunk in enumerate(chunks):
                name = "index.html" if index == 0 else f"index_{index}.html"
                site.page(
                    col + name,
                    list_page(dict(KIDS)[kid], crumb + f" &gt; {dict(KIDS)[kid]}", tabs, chunk, len(chunks), index),
                )
            site.column(col + "index.html")

    site.page(
        "/zfxxgkzl/index.html",
        HEAD.format(title="政府信息公开专栏", district=DISTRICT, meta="")
        + f'<ul class="gkzl-nav"><li><a href="/zfxxgkzl/zn/index.html">政府信息公开指南</a></li>'
        f'<li><a href="{GKNB}index.html">政府信息公开年报</a></li></ul></body></html>',
    )
    site.page(
        "/index.html", HEAD.format(title="首页", district=DISTRICT, meta="") + "<div>要闻动态</div></body></html>"
    )
