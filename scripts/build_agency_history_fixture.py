"""Build the agency-history fixture portal (tests/fixtures/portals/agency_history/): a TRS
city portal whose agencies change over the years, for the compliance grid's cases.

- 示例市卫生和计划生育委员会 publishes its 2018 report on time, then, renamed
  示例市卫生健康委员会 (the 2019 reform), its 2019 report on time and its 2020 report late
  (2021-03-10, 38 days after 31 January); nothing after: missing from 2021.
- 示例市交通运输局 publishes 2018 and 2019 on time, then stops: missing from 2020.
- 示例市人民政府, the portal's own government (its registry name), publishes nothing: missing
  every year.

The rename is not guessed: the tests give it as a reviewed alias (agency_aliases.yaml).

    python scripts/build_agency_history_fixture.py
"""

import random
from pathlib import Path

from fixturekit import synthetic
from fixturekit.portal import Portal

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "portals" / "agency_history"
COLUMN = "/xxgk/gknb/"

# (agency, report year, publication date, document number)
REPORTS = (
    ("示例市卫生和计划生育委员会", 2018, "2019-01-20", 5001),
    ("示例市卫生健康委员会", 2019, "2020-01-15", 5002),
    ("示例市卫生健康委员会", 2020, "2021-03-10", 5003),
    ("示例市交通运输局", 2018, "2019-01-25", 5004),
    ("示例市交通运输局", 2019, "2020-01-22", 5005),
)

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{published} 09:00"></head><body>
<div class="crumb">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<div class="TRS_Editor">{body}</div></body></html>"""

LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>{items}</ul>
<script>createPageHTML(1, 0, "index", "html");</script></body></html>"""


def path_of(published, number):
    return f"{COLUMN}{published[:7].replace('-', '')}/t{published.replace('-', '')}_{number}.html"


def build():
    portal = Portal(OUT)
    items = []
    for agency, year, published, number in REPORTS:
        title = f"{agency}{year}年政府信息公开工作年度报告"
        facts = synthetic.make_facts("2019", random.Random(number))
        body = synthetic.report_body(agency, year, "2019", facts, published)
        path = path_of(published, number)
        portal.page(path, PAGE.format(title=title, published=published, body=body))
        portal.report(path, title, year=year, facts=facts, layout="2019")
        items.append(
            f'<li><a href=".{path[len(COLUMN) - 1 :]}" title="{title}">{title}</a><span>{published}</span></li>'
        )
    portal.page(COLUMN + "index.html", LIST.format(items="".join(reversed(items))))
    portal.column(COLUMN + "index.html")
    portal.save()


if __name__ == "__main__":
    build()
