"""The words every layer shares, said once: the six parts of a report, the facets a reader
filters reports by, and which characters are Han. Here, at the bottom of the layers, so the
extractors, storage and the pages all read the same ones."""

from collections import namedtuple

# A part of a report: its key (in `sections`), its official heading, and the words that
# mark it in a body of text (a report holds three or more: extractors/judge.py)
Section = namedtuple("Section", "key title marker")

# The six parts the 《条例》's outline gives every annual report (docs/tables.md), in order
SECTIONS = (
    Section("overview", "一、总体情况", "总体情况"),
    Section("proactive", "二、主动公开政府信息情况", "主动公开政府信息情况"),
    Section("requests", "三、收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况"),
    Section("appeals", "四、政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议"),
    Section("problems", "五、存在的主要问题及改进情况", "存在的主要问题及改进情况"),
    Section("other", "六、其他需要报告的事项", "其他需要报告的事项"),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)

# The report columns a reader filters by (the search page's facets, the reports page's
# counted facets in govreports/datasette/metadata.yml, the facet summary report_counts), with
# their Chinese labels. A facet added here needs its column in report_counts: append
# storage.migrations.add_columns("report_counts", column)
FACETS = (
    ("year", "报告年度"),
    ("region", "地区"),
    ("layout", "表格版式"),
    ("level", "行政层级"),
    ("check_status", "勾稽校验"),
)
FACET_COLUMNS = tuple(column for column, _ in FACETS)

# Han characters, for a regex character class: CJK Unified Ideographs, Extension A and the
# Compatibility Ideographs (not U+4DC0-4DFF between them: the Yijing hexagram symbols)
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
