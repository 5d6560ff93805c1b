"""An old county site in GB2312 with hand-named static pages: home -> 政府信息公开 ->
政府信息公开年报, a hand-made page grouping the reports by year (n2023n/, n2022n/, n2020n/)
with 县直部门 and 乡镇 sub-pages. Link URLs hold Chinese: raw in the href (a browser sends the
path as UTF-8), percent-encoded as UTF-8, and once percent-encoded as GBK. Some pages declare
their charset only in <meta> (the header says text/html)."""

from urllib.parse import quote, unquote

from fixturekit.portal import article_meta, esc, notice, rule_of_law_report, table_of_contents

COUNTY = "长芦县"
SITE = {
    "stem": "gbk_county_static",
    "host": "www.changluxian.gov.cn",
    "family": None,
    "start_paths": ["/index.htm"],
    "seen_at": [
        "hand-named static pages by year and kind zfxxgk/zfxxgknb/n2022n/xz/zgz.htm: https://www.schy.gov.cn/zfxxgk/zfxxgknb/n2022n/xz/zgz.htm (docs/portals.md item 43)",
        "old table-layout 信息公开 pages with a 政府信息公开年报 entry in the left menu: code index id 1105408992 (凉山州 xxgk page, lsz.gov.cn/xxgk-xxgknb)",
        'older TRS / static templates declaring <meta http-equiv="Content-Type" content="text/html; charset=gb2312">, decoded as GB18030: docs/portals.md 2.3; 朝阳区 pages in GB2312/GBK: code index id 71556330860',
        "a whole GB2312 portal and a PDF linked from a GBK list page: issue 14 (observed on unseen portals)",
    ],
    "structures": [
        "start at the home page",
        "GB2312/GBK pages, charset only in <meta> on some",
        "same report in the year folder and in 县直部门 (byte-identical copies)",
        "Chinese in link URLs (raw, UTF-8 %-encoded, GBK %-encoded)",
        "per-year groups with 县直部门/乡镇 sub-pages",
        "vague titles",
        "notice",
        "other yearly report",
        "table of contents",
        "attachment-only (PDF behind a page, DOC from the list)",
        "seed page GBK 2019 layout",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "Every HTML page is GBK bytes. _headers.json keys are urllib.parse.unquote of the request path, as "
    "govreports/fixture_server.py computes them; for the GBK-%-encoded link that key holds U+FFFD, and "
    "expected.json gives the exact link target in `href`.",
}

NB = "/zfxxgk/zfxxgknb/"
PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}</title>{meta}</head><body><table width="980" align="center"><tr><td class="top">
<a href="/index.htm">长芦县人民政府</a> | <a href="/zfxxgk/index.htm">政府信息公开</a></td></tr>
<tr><td class="dqwz">当前位置：<a href="/index.htm">首页</a> &gt;&gt; <a href="/zfxxgk/index.htm">政府信息公开</a> &gt;&gt; <a href="/zfxxgk/zfxxgknb/index.htm">政府信息公开年报</a>{crumb}</td></tr>
<tr><td>{content}</td></tr></table></body></html>"""


def page(title, content, crumb="", meta=""):
    return PAGE.format(title=esc(title), content=content, crumb=crumb, meta=meta)


def build(site, rng):
    def writer(path, crumb, charset_header=True):
        """write(title, agency, date, body) -> path, a hand-named GBK page."""

        def write(title, agency, date, body):
            meta = article_meta(title, date, agency)
            content = (
                f'<div align="center" class="bt">{esc(title)}</div><div class="sj">发布日期：{date}　来源：{agency}</div>'
                f'<div class="zw">{body}</div>'
            )
            site.page(path, page(title, content, crumb, meta), gbk=True, charset_header=charset_header)
            return path

        return write

    def table_report(path, crumb, agency, year, date, charset_header=True, **titles):
        """(list text, file name) of a report in the official table format at path."""
        title, path = site.table_report(writer(path, crumb, charset_header), agency, year, date, rng, **titles)
        return title, path.rsplit("/", 1)[1]

    def rejected(path, crumb, why, content, agency, date):
        title, path = site.rejected(writer(path, crumb), why, content, agency, date)
        return title, path.rsplit("/", 1)[1]

    gov = f"{COUNTY}人民政府"
    crumb23bm = ' &gt;&gt; <a href="/zfxxgk/zfxxgknb/n2023n/bm/index.htm">2023年度县直部门</a>'
    crumb23xz = ' &gt;&gt; <a href="/zfxxgk/zfxxgknb/n2023n/xz/index.htm">2023年度乡镇</a>'
    crumb22bm = ' &gt;&gt; <a href="/zfxxgk/zfxxgknb/n2022n/bm/index.htm">2022年度县直部门</a>'

    # the county's own reports, linked from the 年报 page with Chinese file names
    table_report(NB + "n2023n/长芦县人民政府.htm", "", gov, 2023, "2024-01-30", charset_header=False)
    gbk_href = NB + "n2022n/" + quote("长芦县人民政府".encode("gbk")) + ".htm"
    table_report(unquote(gbk_href), "", gov, 2022, "2023-01-29", href=gbk_href)
    seed_path = NB + "n2020n/扶贫办.htm"
    title, year, layout, facts = site.seed_page(seed_path, "doc002", "/zfxxgk/index.htm")
    site.report(seed_path, title, year, facts, layout)
    toc_title, toc_body = table_of_contents(gov, ["机构职能", "政策文件", "财政信息", "政府信息公开年报"])
    site.page("/zfxxgk/zfxxgkml.htm", page(toc_title, toc_body), gbk=True, charset_header=False)
    site.non_report("/zfxxgk/zfxxgkml.htm", toc_title, "toc")

    # the office report, the same file in the year's folder and in 县直部门 (byte-identical copies)
    office_title, _, _ = site.report_in_two_columns(
        writer(NB + "n2023n/县政府办公室.htm", ""),
        writer(NB + "n2023n/bm/bgs.htm", ""),
        f"{COUNTY}人民政府办公室",
        2023,
        "2024-01-26",
        rng,
    )

    # 2023 县直部门
    items = [(office_title, "bgs.htm")]
    items.append(table_report(NB + "n2023n/bm/jyj.htm", crumb23bm, f"{COUNTY}教育局", 2023, "2024-01-24"))
    title, _ = site.attachment_report(
        writer(NB + "n2023n/bm/czj.htm", crumb23bm),
        "doc000",
        "pdf_libreoffice",
        f"{COUNTY}财政局",
        "2024-01-25",
        quote("财政局年报.pdf"),
    )
    items.append((title, "czj.htm"))
    items.append(
        rejected(
            NB + "n2023n/bm/tz1215.htm",
            crumb23bm,
            "notice",
            notice(gov, 2023, "prepare"),
            f"{COUNTY}人民政府办公室",
            "2023-12-15",
        )
    )
    items.append(
        rejected(
            NB + "n2023n/bm/fzzf.htm",
            crumb23bm,
            "other_yearly",
            rule_of_law_report(gov, 2023),
            f"{COUNTY}司法局",
            "2024-03-01",
        )
    )
    rows = "".join(f'<tr><td>·<a href="{href}" target="_blank">{esc(t)}</a></td></tr>' for t, href in items)
    site.page(
        NB + "n2023n/bm/index.htm",
        page("2023年度县直部门政府信息公开年报", f"<table>{rows}</table>", crumb23bm),
        gbk=True,
    )
    site.column(NB + "n2023n/bm/index.htm")

    # 2023 乡镇 (charset only in <meta>)
    items = [
        table_report(
            NB + "n2023n/xz/bsz.htm",
            crumb23xz,
            "白沙镇人民政府",
            2023,
            "2024-01-22",
            list_title="白沙镇",
            charset_header=False,
        ),
        table_report(
            NB + "n2023n/xz/hkx.htm",
            crumb23xz,
            "河口乡人民政府",
            2023,
            "2024-01-23",
            list_title="年度报告",
            page_title="年度报告",
            charset_header=False,
        ),
    ]
    rows = "".join(f'<tr><td>·<a href="{href}">{esc(t)}</a></td></tr>' for t, href in items)
    site.page(
        NB + "n2023n/xz/index.htm",
        page("2023年度乡镇政府信息公开年报", f"<table>{rows}</table>", crumb23xz),
        gbk=True,
        charset_header=False,
    )
    site.column(NB + "n2023n/xz/index.htm")

    # 2022 县直部门: picture tables, a vague title, a DOC straight from the list
    images = [f"/UploadFiles/2023/1/20230117{n}.png" for n in (2, 3, 4)]
    title, _ = site.picture_report(
        writer(NB + "n2022n/bm/jyj.htm", crumb22bm), f"{COUNTY}教育局", 2022, "2023-01-17", images
    )
    items = [
        (title, "jyj.htm"),
        table_report(NB + "n2022n/bm/mzj.htm", crumb22bm, f"{COUNTY}民政局", 2022, "2023-01-18", list_title="2022年报"),
    ]
    items.append((site.file_report(NB + "n2022n/bm/nyj2022.doc", "doc", "doc003")[0], "nyj2022.doc"))
    rows = "".join(f'<tr><td>·<a href="{href}">{esc(t)}</a></td></tr>' for t, href in items)
    site.page(
        NB + "n2022n/bm/index.htm",
        page("2022年度县直部门政府信息公开年报", f"<table>{rows}</table>", crumb22bm),
        gbk=True,
    )
    site.column(NB + "n2022n/bm/index.htm")

    # the 年报 page, 政府信息公开, home
    years = (
        (
            "2023年度",
            [
                ("长芦县人民政府2023年政府信息公开工作年度报告", "n2023n/长芦县人民政府.htm"),
                ("县政府办公室2023年政府信息公开工作年度报告", "n2023n/县政府办公室.htm"),
                ("县直部门", "n2023n/bm/index.htm"),
                ("乡镇", "n2023n/xz/index.htm"),
            ],
        ),
        (
            "2022年度",
            [
                ("长芦县人民政府2022年政府信息公开工作年度报告", gbk_href[len(NB) :]),
                ("县直部门", "n2022n/bm/index.htm"),
            ],
        ),
        (
            "2020年度",
            [
                (
                    "鄂尔多斯市扶贫开发办公室2020年政府信息公开工作年度报告",
                    "n2020n/" + quote("扶贫办".encode()) + ".htm",
                )
            ],
        ),
    )
    blocks = "".join(
        f"<h3>{year}</h3><ul>" + "".join(f'<li><a href="{href}">{esc(t)}</a></li>' for t, href in links) + "</ul>"
        for year, links in years
    )
    blocks += f'<p><a href="/zfxxgk/zfxxgkml.htm">{esc(toc_title)}</a></p>'
    site.page(NB + "index.htm", page("政府信息公开年报", blocks), gbk=True, charset_header=False)
    site.column(NB + "index.htm")
    site.page(
        "/zfxxgk/index.htm",
        page(
            "政府信息公开",
            '<table class="xxgk_nav14"><tr><td><a href="/zfxxgk/zfxxgkzn.htm">政府信息公开指南</a></td></tr>'
            '<tr><td><a href="/zfxxgk/zfxxgknb/index.htm">政府信息公开年报</a></td></tr></table>',
        ),
        gbk=True,
    )
    site.page(
        "/index.htm",
        page("长芦县人民政府", '<a href="/zfxxgk/index.htm">政府信息公开</a> <a href="/zwdt/index.htm">政务动态</a>'),
        gbk=True,
        charset_header=False,
    )
