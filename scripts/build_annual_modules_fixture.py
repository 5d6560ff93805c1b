"""Build the annual-report module fixture portal (tests/fixtures/portals/annual_modules/):
modules that show one unit's report for one year, as on real portals
(济宁 https://www.jining.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=11370800004312466C&fbtime=2025,
东至 https://www.dongzhi.gov.cn/OpennessAnnualReport/year/show/341/2022.html).

- Hanweb `/module/xxgk/xxgkAnnualReport.jsp?area=11370800004312466C&fbtime={year}`: reports for
  2023 and 2022, a "no report" page for 2021, every other year a 404;
- Openness `/OpennessAnnualReport/year/show/341/{year}.html`: reports for 2023 and 2022,
  every other year a 404.

    python scripts/build_annual_modules_fixture.py
"""

import random
from pathlib import Path

from fixturekit.portal import Portal

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals" / "annual_modules"
AREA = "11370800004312466C"
MODULE = "/module/xxgk/xxgkAnnualReport.jsp"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>信息公开年报</title></head><body>
<div class="nav">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<h1>{title}</h1><p class="time">发布时间:{published}</p><div class="bt_content">{body}</div></body></html>"""


def build():
    portal = Portal(OUT, report_keys=("path", "title", "facts"))

    def module_page(path, query):
        """write(title, agency, date, body) of the module's answer at path?query."""

        def write(title, agency, date, body):
            portal.page(path, PAGE.format(title=title, published=date, body=body), query=query)
            return f"{path}?{query}" if query else path

        return write

    for agency, url_for in (
        ("示例市人民政府办公室", lambda y: (MODULE, f"area={AREA}&fbtime={y}")),
        ("示例县花园乡人民政府", lambda y: (f"/OpennessAnnualReport/year/show/341/{y}.html", None)),
    ):
        for year in (2023, 2022):
            date = f"{year + 1}-01-20"
            portal.table_report(
                module_page(*url_for(year)), agency, year, date, random.Random(f"{agency}{year}"), signed=date
            )
    module_page(MODULE, f"area={AREA}&fbtime=2021")("暂无该年度信息公开年报", None, "", "<p>暂无数据</p>")
    portal.save()  # no list: the modules answer a year at a time


if __name__ == "__main__":
    build()
