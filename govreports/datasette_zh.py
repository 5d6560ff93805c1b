"""Datasette's own pages in Chinese: the index, database, table, view, row and query pages
(/, /archive, /archive/checks, /archive/checks/1, /archive/failing_checks), their filters,
facets, export links and footer; a facet's values and a filter's value shown as the page
shows the key (labels.shown_value: level=county -> 县级).

Datasette 0.65 has no translations, so its templates are translated as they load: a loader
wrapped around Datasette's (install, from the plugin's prepare_jinja2_environment) replaces
each English text of TEXTS in the template it belongs to, whichever folder the template comes
from (Datasette's own or a plugin's override of it). tests/test_datasette_chinese.py checks
that every text is still found in the installed Datasette's templates. The few English words
Datasette writes from Python (filter operators, "where year = 2021 sorted by year") are
rewritten by the filters and the function registered here; the column menu of table.js by
COLUMN_MENU_SCRIPT. One more change to base.html: SQL shown on a page wraps, so a canned
query's page fits a phone.
"""

import json

from jinja2 import BaseLoader

from .labels import check_detail, label, shown_value

# a table page's row count, in its title and heading: "1,234 rows"
ROWS = '{{ "{:,}".format(filtered_table_rows_count) }} row{% if filtered_table_rows_count == 1 %}{% else %}s{% endif %}'

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">'
# a canned query's SQL and a table's definition wrap on a phone instead of widening the page
WRAPPED_SQL = "<style>pre#sql-query, pre.wrapped-sql { white-space: pre-wrap; overflow-wrap: anywhere; }</style>"

# template -> [(Datasette's text, the Chinese text)], each replaced wherever it occurs
TEXTS = {
    "base.html": [
        ("<html>", '<html lang="zh-CN">'),
        (VIEWPORT, VIEWPORT + WRAPPED_SQL),
        ('<title id="nav-menu-svg-title">Menu</title>', '<title id="nav-menu-svg-title">菜单</title>'),
        (">Log out</button>", ">退出登录</button>"),
    ],
    "index.html": [
        (" rows in {% endif %}", " 行，{% endif %}"),
        (" table{% if database.tables_count != 1 %}s{% endif %}", " 个表"),
        (" hidden table{% if database.hidden_tables_count != 1 %}s{% endif -%}", " 个隐藏表"),
        (" view{% if database.views_count != 1 %}s{% endif %}", " 个视图"),
        (' title="{{ table.count }} rows"', ' title="{{ table.count }} 行"'),
    ],
    "database.html": [
        (
            '<title id="actions-menu-links-title">Table actions</title>',
            '<title id="actions-menu-links-title">操作</title>',
        ),
        ("<h3>Custom SQL query</h3>", "<h3>自定义 SQL 查询</h3>"),
        (">Format SQL</button>", ">格式化 SQL</button>"),
        ('value="Run SQL"', 'value="运行 SQL"'),
        ('<h2 id="queries">Queries</h2>', '<h2 id="queries">预设查询</h2>'),
        ('<h2 id="tables">Tables</h2>', '<h2 id="tables">表</h2>'),
        ("<em> (hidden)</em>", "<em>（隐藏）</em>"),
        ("Many rows", "行数很多"),
        (" row{% if table.count == 1 %}{% else %}s{% endif %}", " 行"),
        ("<p>... and <a", "<p>……另有 <a"),
        (" hidden table{% if hidden_count == 1 %}{% else %}s{% endif %}</a>", " 个隐藏表</a>"),
        ('<h2 id="views">Views</h2>', '<h2 id="views">视图</h2>'),
        ("Download SQLite DB:", "下载 SQLite 数据库："),
        ("The following databases are attached", "以下数据库已附加到此连接"),
    ],
    "table.html": [
        (ROWS, '共 {{ "{:,}".format(filtered_table_rows_count) }} 行'),
        (
            "{% if human_description_en %} {{ human_description_en }}{% endif %}",
            " {{ zh_description(filters, search, sort, sort_desc, table) }}",
        ),
        (
            "{% if human_description_en %}{{ human_description_en }}{% endif %}",
            "{{ zh_description(filters, search, sort, sort_desc, table) }}",
        ),
        ("{% if is_view %} (view){% endif %}", "{% if is_view %}（视图）{% endif %}"),
        (
            '<title id="actions-menu-links-title">Table actions</title>',
            '<title id="actions-menu-links-title">表操作</title>',
        ),
        ('<label for="_search">Search:</label>', '<label for="_search">检索：</label>'),
        ('<option value="">- remove filter -</option>', '<option value="">- 删除此条件 -</option>'),
        ('<option value="">- column -</option>', '<option value="">- 列 -</option>'),
        ("{{ display }}</option>", "{{ display|zh_operator }}</option>"),
        ('<option value="">Sort...</option>', '<option value="">排序……</option>'),
        (">Sort by {{ column.name }}</option>", ">按 {{ column.name }} 排序</option>"),
        ("> descending</label>", "> 降序</label>"),
        ('<input type="submit" value="Apply">', '<input type="submit" value="应用">'),
        (" extra where clause{% if extra_wheres_for_ui|length != 1 %}s{% endif %}", " 个附加 where 条件"),
        ('">remove</a>]', '">删除</a>]'),
        ('<span class="underlined">View and edit SQL</span>', '<span class="underlined">查看和编辑 SQL</span>'),
        ("This data as ", "此数据的格式："),
        ('(<a href="#export">advanced</a>)', '（<a href="#export">高级导出</a>）'),
        ("These facets timed out:", "这些分面统计超时："),
        ('<p><a href="{{ next_url }}">Next page</a></p>', '<p><a href="{{ next_url }}">下一页</a></p>'),
        ("<h3>Advanced export</h3>", "<h3>高级导出</h3>"),
        ("<p>JSON shape:", "<p>JSON 形式："),
        (">default</a>,", ">默认</a>，"),
        (">array</a>,", ">数组</a>，"),
        (">newline-delimited</a>", ">逐行</a>"),
        (">object</a>", ">对象</a>"),
        ("CSV options:", "CSV 选项："),
        ("> download file</label>", "> 下载为文件</label>"),
        ("> expand labels</label>", "> 展开标签</label>"),
        ("> stream all rows</label>", "> 导出全部行</label>"),
        ('<input type="submit" value="Export CSV">', '<input type="submit" value="导出 CSV">'),
    ],
    "_table.html": [
        ('<p class="zero-results">0 records</p>', '<p class="zero-results">没有记录</p>'),
    ],
    "_facet_results.html": [
        ('{% if facet_info.type != "column" %} ({{ facet_info.type }}){% endif %}', ""),
        (
            '{{ (facet_value.label | string()) or "-" }}',
            '{{ zh_value(table, facet_info.name, facet_value.label|string) or "-" }}',
        ),
        ('{{ facet_value.label or "-" }}', '{{ zh_value(table, facet_info.name, facet_value.label) or "-" }}'),
    ],
    "_suggested_facets.html": [
        ("Suggested facets:", "建议的分面："),
        (
            "{% if facet.type %} ({{ facet.type }}){% endif %}",
            "{% if facet.type %}（{{ facet.type|zh_word }}）{% endif %}",
        ),
    ],
    "_crumbs.html": [
        ('<a href="{{ item.href }}">{{ item.label }}</a>', '<a href="{{ item.href }}">{{ item.label|zh_word }}</a>'),
    ],
    "_description_source_license.html": [
        ("Data license:", "数据许可："),
        ("Data source:", "数据来源："),
        ("About:", "关于："),
    ],
    "_footer.html": [
        ("Powered by ", "基于 "),
        ("Queries took {{ query_ms|round(3) }}ms", "查询用时 {{ query_ms|round(3) }} 毫秒"),
        ("Data license:", "数据许可："),
        ("Data source:", "数据来源："),
        ("About:", "关于："),
    ],
    "query.html": [
        ("This query cannot be executed because the database is immutable.", "数据库为只读，此查询无法执行。"),
        (
            "Custom SQL query{% if display_rows %} returning {% if truncated %}more than {% endif %}",
            "SQL 查询{% if display_rows %}，返回 {% if truncated %}超过 {% endif %}",
        ),
        (" row{% if display_rows|length == 1 %}{% else %}s{% endif %}{% endif %}", " 行{% endif %}"),
        ("{{ show_hide_text }}</a>", "{{ show_hide_text|zh_word }}</a>"),
        ("<h3>Query parameters</h3>", "<h3>查询参数</h3>"),
        (
            '<label for="qp{{ loop.index }}">{{ name }}</label>',
            '<label for="qp{{ loop.index }}">{{ name|zh_parameter }}</label>',
        ),
        (">Format SQL</button>", ">格式化 SQL</button>"),
        ('value="Run SQL"', 'value="运行查询"'),
        ('class="canned-query-edit-sql">Edit SQL</a>', 'class="canned-query-edit-sql">编辑 SQL</a>'),
        ("This data as ", "此数据的格式："),
        ('<p class="zero-results">0 results</p>', '<p class="zero-results">没有结果</p>'),
    ],
    "row.html": [
        ("This data as ", "此数据的格式："),
        ("<h2>Links from other tables</h2>", "<h2>其他表中的引用</h2>"),
        (" row{% if other.count == 1 %}{% else %}s{% endif %}</a>", " 行</a>"),
        (
            "from {{ other.other_column }} in {{ other.other_table }}",
            "（{{ other.other_table }} 的 {{ other.other_column }} 列）",
        ),
    ],
    "error.html": [
        ("Error {{ status }}", "错误 {{ status }}"),
    ],
}

# Datasette's filter operators (Filters.lookups: the words of the operator menu)
OPERATORS = {
    "=": "等于",
    "!=": "不等于",
    "contains": "包含",
    "ends with": "结尾是",
    "starts with": "开头是",
    ">": "大于",
    "\u2265": "大于等于",
    "<": "小于",
    "\u2264": "小于等于",
    "like": "like 匹配",
    "not like": "like 不匹配",
    "glob": "glob 匹配",
    "in": "属于（逗号分隔）",
    "not in": "不属于（逗号分隔）",
    "array contains": "数组包含",
    "array does not contain": "数组不包含",
    "date": "日期为",
    "is null": "为 null",
    "is not null": "不为 null",
    "is blank": "为空",
    "is not blank": "不为空",
}

# words Datasette writes from Python: the query page's show/hide SQL link, the crumbs' first
# item, the kinds of suggested facets
WORDS = {"hide": "隐藏", "show": "显示", "home": "首页", "date": "按日期", "array": "数组"}

# the canned queries' parameters (metadata.yml, charts.py), as their forms name them
PARAMETERS = {"q": "检索词", "year": "年度", "id": "报告编号", "region": "地区", "level": "层级"}

# table.js builds each column's menu in English: its items by class
COLUMN_MENU = {
    "dropdown-sort-asc": "升序排列",
    "dropdown-sort-desc": "降序排列",
    "dropdown-facet": "按此列分面",
    "dropdown-hide-column": "隐藏此列",
    "dropdown-show-all-columns": "显示所有列",
    "dropdown-not-blank": "只显示此列不为空的行",
}
COLUMN_MENU_SCRIPT = f"""
document.addEventListener('DOMContentLoaded', function () {{
  var words = {json.dumps(COLUMN_MENU, ensure_ascii=False)};
  Object.keys(words).forEach(function (name) {{
    document.querySelectorAll('.dropdown-menu a.' + name).forEach(function (a) {{ a.textContent = words[name]; }});
  }});
}});"""


def translated(name, source):
    """A template's source with its English texts replaced by Chinese ones."""
    for english, chinese in TEXTS.get(name.removeprefix("default:"), ()):
        source = source.replace(english, chinese)
    return source


class ChineseLoader(BaseLoader):
    """Datasette's template loader, its templates translated (translated) as they load."""

    def __init__(self, loader):
        self.loader = loader

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        return translated(template, source), filename, uptodate

    def list_templates(self):
        return self.loader.list_templates()


def operator_word(display):
    """Datasette's filter operator in Chinese ("contains" -> "包含"), else as it is."""
    return OPERATORS.get(display, display)


def description(filters, search, sort, sort_desc, table):
    """What a table page shows, in Chinese: `检索“复议”，year 等于 2021，按 year 降序`
    (Datasette's human_description_en: `where search matches "复议" and year = 2021 sorted by
    year descending`)."""
    parts = [f"检索“{search}”"] if search else []
    for column, lookup, value in filters.selections():
        word = operator_word(dict((key, shown) for key, shown, _ in filters.lookups()).get(lookup, lookup))
        parts.append(f"{column} {word} {shown_value(table, column, value)}".strip())
    if sort or sort_desc:
        parts.append(f"按 {sort or sort_desc} {'降序' if sort_desc else '升序'}")
    return "，".join(parts)


def install(env):
    """Make Datasette's Jinja environment Chinese (the plugin's prepare_jinja2_environment)."""
    if not isinstance(env.loader, ChineseLoader):
        env.loader = ChineseLoader(env.loader)
    env.filters["zh_operator"] = operator_word
    env.filters["zh_word"] = lambda word: WORDS.get(word, word)
    env.filters["zh_parameter"] = lambda name: f"{PARAMETERS[name]}（{name}）" if name in PARAMETERS else name
    env.globals["zh_description"] = description
    env.globals["zh_value"] = shown_value
    # for the project's own pages: {{ report.level|label("level") }}, {{ check.detail|check_detail }}
    env.filters["label"] = lambda value, kind: label(kind, value)
    env.filters["check_detail"] = check_detail
