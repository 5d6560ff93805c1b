"""An Inner Mongolia banner on JEECMS: the start URL is one 苏木乡镇 report page
(/xxgk/zfxxgknb/smxz/{id}.jhtml); its breadcrumb leads to the 苏木乡镇年报 channel, whose tabs
lead to the 旗政府年报 channel (index.jhtml, index_2.jhtml by 下一页) and 部门年报. PDFs are
uploaded under /u/cms/www/YYYYMM/ and one is linked straight from the list."""

from .kit import (esc, image_table_report, interpretation, notice, synthetic_report, work_plan)

BANNER = "哈达旗"
SITE = {
    "stem": "jeecms_banner_channels",
    "host": "www.hadaqi.gov.cn",
    "family": "jeecms",
    "start_paths": ["/xxgk/zfxxgknb/smxz/24971296.jhtml"],
    "seen_at": [
        "JEECMS report page {channel}/{id}.jhtml of a 镇: http://guyang.gov.cn/jdbsc/24971296.jhtml (../shared/spec/portals.md item 42)",
        "uploads /u/cms/www/YYYYMM/{ddhhmmss}{rand}.pdf: ../shared/spec/portals.md 2.2 G (pattern confirmed on other JEECMS sites in the code index)",
        "channel lists index.jhtml, index_2.jhtml chained by 下一页: tests/fixtures/portals/jeecms (this project's JEECMS fixture, from the same sources)",
    ],
    "structures": ["start at one report page (climb by breadcrumb)", "旗政府/部门/苏木乡镇 channel tabs", "pagination (下一页)",
                   "vague titles", "interpretation", "letter", "work plan", "same report in 旗政府 and 部门",
                   "attachment-only (PDF from the list)", "image tables", "2019 and 2021 layouts"],
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
    return (f'<div class="location">您现在的位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.jhtml">信息公开</a> &gt; '
            f'<a href="{NB}index.jhtml">政府信息公开年报</a>{tail}</div>')


def build(site, rng):
    ids = iter(range(24971280, 24971400))
    lists = {channel: [] for channel, _ in CHANNELS}

    def detail(channel, title, agency, date, body, docid=None):
        path = f"{NB}{channel}{docid or next(ids)}.jhtml"
        meta = f'<meta name="description" content="{esc(title)}">'
        site.page(path, HEAD.format(title=esc(title), banner=BANNER, meta=meta) + crumbs(channel)
                  + f'<div class="article"><h2>{esc(title)}</h2><p class="info">发布时间：{date} 来源：{agency}</p>'
                    f'<div class="content">{body}</div></div></body></html>')
        return path

    def table_report(channel, agency, year, date, list_title=None, page_title=None, docid=None):
        layout, facts, body = synthetic_report(agency, year, rng)
        title = page_title or f"{agency}{year}年政府信息公开工作年度报告"
        path = detail(channel, title, agency, date, body, docid)
        site.report(path, title, year, facts, layout, list_title=list_title)
        lists[channel].append((list_title or title, path, date))

    gov = f"{BANNER}人民政府"
    table_report("", gov, 2023, "2024-01-31")
    title, body = interpretation(BANNER, 2023, rng)
    path = detail("", title, f"{BANNER}政务服务与数据管理局", "2024-02-01", body)
    site.non_report(path, title, "interpretation")
    lists[""].append((title, path, "2024-02-01"))
    office = f"{BANNER}人民政府办公室"
    layout, facts, body = synthetic_report(office, 2023, rng)
    office_title = f"{office}2023年政府信息公开工作年度报告"
    first = detail("", office_title, office, "2024-01-26", body)
    second = detail("bmnb/", office_title, office, "2024-01-26", body)
    site.report(first, office_title, 2023, facts, layout, also_at=[second])
    lists[""].append((office_title, first, "2024-01-26"))
    lists["bmnb/"].append((office_title, second, "2024-01-26"))
    table_report("", gov, 2022, "2023-01-30")
    title, body = work_plan(BANNER, 2024)
    path = detail("", title, gov, "2024-03-12", body)
    site.non_report(path, title, "plan")
    lists[""].append((title, path, "2024-03-12"))
    title, _, year, _, _ = site.seed_truth("doc000")
    pdf = "/u/cms/www/202101/25093012x4f7.pdf"
    site.seed_file(pdf, "pdf_chrome", "doc000")
    site.report(pdf, title, year, None)
    lists[""].append((title, pdf, "2021-01-25"))

    table_report("bmnb/", f"{BANNER}财政局", 2023, "2024-01-24", list_title=f"{BANNER}财政局")
    agency = f"{BANNER}教育局"
    images = [f"/u/cms/www/202401/2315{n}211a9c.png" for n in (2, 3, 4)]
    title = f"{agency}2023年政府信息公开工作年度报告"
    path = detail("bmnb/", title, agency, "2024-01-23", image_table_report(agency, 2023, images))
    for image in images:
        site.image(image)
    site.report(path, title, 2023, None)
    lists["bmnb/"].append((title, path, "2024-01-23"))
    table_report("bmnb/", f"{BANNER}卫生健康委员会", 2019, "2020-01-21")

    table_report("smxz/", "乌兰苏木人民政府", 2023, "2024-01-22", docid=24971296)
    table_report("smxz/", "巴彦镇人民政府", 2023, "2024-01-25", list_title="年度报告", page_title="年度报告")
    title, body = notice(BANNER, 2023, "submit", sender="巴彦镇人民政府")
    path = detail("smxz/", title, "巴彦镇人民政府", "2024-01-20", body)
    site.non_report(path, title, "notice")
    lists["smxz/"].append((title, path, "2024-01-20"))

    site.home(f"{BANNER}人民政府", [("信息公开", "/xxgk/index.jhtml")])
    site.page("/xxgk/index.jhtml", HEAD.format(title="信息公开", banner=BANNER, meta="")
              + f'<ul class="xxgk"><li><a href="/xxgk/zfxxgkzn/index.jhtml">政府信息公开指南</a></li>'
                f'<li><a href="{NB}index.jhtml">政府信息公开年报</a></li></ul></body></html>')
    tabs = '<ul class="tab">' + "".join(f'<li><a href="{NB}{c}index.jhtml">{n}</a></li>' for c, n in CHANNELS) + "</ul>"
    for channel, name in CHANNELS:
        items = sorted(lists[channel], key=lambda item: item[2], reverse=True)
        chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
        for n, chunk in enumerate(chunks, 1):
            here = f"{NB}{channel}index.jhtml" if n == 1 else f"{NB}{channel}index_{n}.jhtml"
            rows = "".join(f'<li><a href="{p}" title="{esc(t)}" target="_blank">{esc(t)}</a><span>{d}</span></li>'
                           for t, p, d in chunk)
            nxt = f'<a href="index_{n + 1}.jhtml">下一页</a>' if n < len(chunks) else ""
            prev = (f'<a href="{"index.jhtml" if n == 2 else f"index_{n - 1}.jhtml"}">上一页</a>' if n > 1 else "")
            site.page(here, HEAD.format(title=name, banner=BANNER, meta="") + crumbs(channel) + tabs
                      + f'<ul class="list">{rows}</ul><div class="pagination">{prev}{nxt} 共{len(chunks)}页</div></body></html>')
        site.column(f"{NB}{channel}index.jhtml")
