"""An Inner Mongolia banner on JEECMS: the start URL is one 苏木乡镇 report page
(/xxgk/zfxxgknb/smxz/{id}.jhtml); its breadcrumb leads to the 苏木乡镇年报 channel, whose tabs
lead to the 旗政府年报 channel (index.jhtml, index_2.jhtml by 下一页) and 部门年报. PDFs are
uploaded under /u/cms/www/YYYYMM/ and one is linked straight from the list."""

from fixturekit.portal import Columns, esc, interpretation, notice, pages_of, work_plan

BANNER = "哈达旗"
SITE = {
    "stem": "jeecms_banner_channels",
    "host": "www.hadaqi.gov.cn",
    "family": "jeecms",
    "start_paths": ["/xxgk/zfxxgknb/smxz/24971296.jhtml"],
    "seen_at": [
        "JEECMS report page {channel}/{id}.jhtml of a 镇: http://guyang.gov.cn/jdbsc/24971296.jhtml (docs/portals.md item 42)",
        "uploads /u/cms/www/YYYYMM/{ddhhmmss}{rand}.pdf: docs/portals.md 2.2 G (pattern confirmed on other JEECMS sites in the code index)",
        "channel lists index.jhtml, index_2.jhtml chained by 下一页: tests/fixtures/portals/jeecms (this project's JEECMS fixture, from the same sources)",
    ],
    "structures": [
        "start at one report page (climb by breadcrumb)",
        "旗政府/部门/苏木乡镇 channel tabs",
        "pagination (下一页)",
        "vague titles",
        "interpretation",
        "letter",
        "work plan",
        "same report in 旗政府 and 部门",
        "attachment-only (PDF from the list)",
        "image tables",
        "2019 and 2021 layouts",
    ],
    "note": "UTF-8.",
}

NB = "/xxgk/zfxxgknb/"
CHANNELS = (("", "旗政府年报"), ("bmnb/", "部门年报"), ("smxz/", "苏木乡镇年报"))
PER_PAGE = 4

HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-{banner}人民政府</title>{meta}</head><body>
<div class="header"><a href="/">{banner}人民政府</a></div>"""


def crumbs(channel):
    name = dict(CHANNELS)[channel]
    tail = f' &gt; <a href="{NB}{channel}index.jhtml">{name}</a>' if channel else ""
    return (
        f'<div class="location">您现在的位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.jhtml">信息公开</a> &gt; '
        f'<a href="{NB}index.jhtml">政府信息公开年报</a>{tail}</div>'
    )


def build(site, rng):
    ids = iter(range(24971280, 24971400))

    def writer(channel, docid=None):
        """write(title, agency, date, body) -> path of a new .jhtml page of channel."""

        def write(title, agency, date, body):
            path = f"{NB}{channel}{docid or next(ids)}.jhtml"
            meta = f'<meta name="description" content="{esc(title)}">'
            site.page(
                path,
                HEAD.format(title=esc(title), banner=BANNER, meta=meta)
                + crumbs(channel)
                + f'<div class="article"><h2>{esc(title)}</h2><p class="info">发布时间：{date} 来源：{agency}</p>'
                f'<div class="content">{body}</div></div></body></html>',
            )
            return path

        return write

    columns = Columns(site, writer, rng, [channel for channel, _ in CHANNELS])

    gov = f"{BANNER}人民政府"
    columns.table_report("", gov, 2023, "2024-01-31")
    columns.rejected(
        "", "interpretation", interpretation(BANNER, 2023, rng), f"{BANNER}政务服务与数据管理局", "2024-02-01"
    )
    office_title, first, second = site.report_in_two_columns(
        writer(""), writer("bmnb/"), f"{BANNER}人民政府办公室", 2023, "2024-01-26", rng
    )
    columns.listed("", "2024-01-26", office_title, first)
    columns.listed("bmnb/", "2024-01-26", office_title, second)
    columns.table_report("", gov, 2022, "2023-01-30")
    columns.rejected("", "plan", work_plan(BANNER, 2024), gov, "2024-03-12")
    columns.listed("", "2021-01-25", *site.file_report("/u/cms/www/202101/25093012x4f7.pdf", "pdf_chrome", "doc000"))

    columns.table_report("bmnb/", f"{BANNER}财政局", 2023, "2024-01-24", list_title=f"{BANNER}财政局")
    images = [f"/u/cms/www/202401/2315{n}211a9c.png" for n in (2, 3, 4)]
    columns.listed(
        "bmnb/", "2024-01-23", *site.picture_report(writer("bmnb/"), f"{BANNER}教育局", 2023, "2024-01-23", images)
    )
    columns.table_report("bmnb/", f"{BANNER}卫生健康委员会", 2019, "2020-01-21")

    columns.table_report("smxz/", "乌兰苏木人民政府", 2023, "2024-01-22", where={"docid": 24971296})
    columns.table_report("smxz/", "巴彦镇人民政府", 2023, "2024-01-25", list_title="年度报告", page_title="年度报告")
    columns.rejected(
        "smxz/", "notice", notice(BANNER, 2023, "submit", sender="巴彦镇人民政府"), "巴彦镇人民政府", "2024-01-20"
    )

    site.home(f"{BANNER}人民政府", [("信息公开", "/xxgk/index.jhtml")])
    site.page(
        "/xxgk/index.jhtml",
        HEAD.format(title="信息公开", banner=BANNER, meta="")
        + f'<ul class="xxgk"><li><a href="/xxgk/zfxxgkzn/index.jhtml">政府信息公开指南</a></li>'
        f'<li><a href="{NB}index.jhtml">政府信息公开年报</a></li></ul></body></html>',
    )
    tabs = '<ul class="tab">' + "".join(f'<li><a href="{NB}{c}index.jhtml">{n}</a></li>' for c, n in CHANNELS) + "</ul>"
    for channel, name in CHANNELS:
        items = columns.newest_first(channel)
        chunks = pages_of(items, PER_PAGE)
        for n, chunk in enumerate(chunks, 1):
            here = f"{NB}{channel}index.jhtml" if n == 1 else f"{NB}{channel}index_{n}.jhtml"
            rows = "".join(
                f'<li><a href="{p}" title="{esc(t)}" target="_blank">{esc(t)}</a><span>{d}</span></li>'
                for t, p, d in chunk
            )
            nxt = f'<a href="index_{n + 1}.jhtml">下一页</a>' if n < len(chunks) else ""
            prev = f'<a href="{"index.jhtml" if n == 2 else f"index_{n - 1}.jhtml"}">上一页</a>' if n > 1 else ""
            site.page(
                here,
                HEAD.format(title=name, banner=BANNER, meta="")
                + crumbs(channel)
                + tabs
                + f'<ul class="list">{rows}</ul><div class="pagination">{prev}{nxt} 共{len(chunks)}页</div></body></html>',
            )
        site.column(f"{NB}{channel}index.jhtml")
