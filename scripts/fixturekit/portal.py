"""The one kit every fixture portal is built with (scripts/build_*_fixture.py,
scripts/build_sample_portal.py, the generalization corpus of scripts/build_sites.py): a
Portal declares its pages as raw bytes plus the headers they are served with, the reports and
non-reports a crawl must find there, and writes _headers.json, expected.json (and site.json
where the builder declares it); beside it the page contents every portal mixes (synthetic
reports in the official table format, attachment-only reports, interpretations, notices,
guides, plans, other yearly reports) and list paging, all deterministic."""

import html
import json
import struct
import zlib
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from fixturekit import synthetic
from fixturekit.fixture_site import FixtureSite

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = "rendered-seeds"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": "application/pdf", "doc": "application/msword", "docx": DOCX}
INDEX_NAMES = ("index.html", "index.shtml", "index.htm", "index.jhtml")
REPORT_KEYS = ("path", "title", "year", "facts", "list_title", "layout", "also_at", "attachment", "href")
ALWAYS_KEYS = ("path", "title", "facts")  # recorded even when null; the others only when given
SEED_YEARS = {"doc000": 2020, "doc001": 2020, "doc002": 2020, "doc003": 2022, "doc004": 2022}

# Hanweb JCMS column markup (format fields web, column, unit, records, total, per_page): the
# first records inline in a <datastore>, the rest from dataproxy.jsp (HANWEB_PROXY: total,
# pages, records), as hulelan/china-governance crawlers/trs.py and jiangsu col pages show.
HANWEB_DATASTORE = """<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid={web}&path=/&columnid={column}&unitid={unit}&webname=&permissiontype=0"></a>]]></nextgroup>
<recordset>
{records}
</recordset></datastore></script>"""
HANWEB_JPAGE = """<script>$(document).ready(function(){{ $('#{unit}').jpage({{ dataStore: dataStore, totalRecord: {total}, perPage: {per_page},
 proxyUrl: '/module/web/jpage/dataproxy.jsp', webid: {web}, unitid: {unit}, columnid: {column} }}); }});</script>"""
HANWEB_PROXY = """<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage>
<recordset>
{records}
</recordset></datastore>"""


def tiny_png():
    """A valid 1x1 grey PNG (the picture of a table on image-table report pages)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
    )


def esc(text):
    return html.escape(text, quote=True)


def article_meta(title, published, agency):
    """The <meta> tags a CMS detail page names its article by (published: 'YYYY-MM-DD[ HH:MM]')."""
    return (
        f'<meta name="ArticleTitle" content="{esc(title)}"><meta name="PubDate" content="{published}">'
        f'<meta name="ContentSource" content="{agency}">'
    )


class Portal:
    """One fixture portal at root: raw files + _headers.json, expected.json, and site.json
    when meta is given (else the hand-written site.json is kept). corpus holds the rendered
    seeds (tests/fixtures/corpus). report_keys: the keys expected.json records a report
    with, in that order (a key left out is not recorded). serve_directories: an index
    page is also named by its directory URL, as a static web server serves it."""

    def __init__(
        self,
        root,
        corpus=ROOT / "tests" / "fixtures" / "corpus",
        meta=None,
        report_keys=REPORT_KEYS,
        serve_directories=False,
    ):
        self.corpus = Path(corpus)
        self.files = FixtureSite(root)
        self.stem = self.files.root.name
        self.meta = meta
        self.host = meta["host"] if meta else None
        self.report_keys = report_keys
        self.serve_directories = serve_directories
        self.reports, self.non_reports, self.columns, self.failures = [], [], [], []
        self.other_hosts = []

    @classmethod
    def of_corpus(cls, corpus, folder, spec):
        """A portal of the generalization corpus, tests/fixtures/<folder>/<stem>/, declared by
        a scripts/sites module's SITE (its site.json: host, start paths, family, seen_at,
        structures, note, and the registry's unit when given)."""
        host = spec["host"]
        meta = {
            "host": host,
            "start_urls": [f"http://{host}{p}" for p in spec["start_paths"]],
            "family": spec["family"],
            "seen_at": spec["seen_at"],
            "structures": spec["structures"],
            "note": spec["note"],
        }
        if "unit" in spec:  # the registry's name and code of the portal's unit
            meta["unit"] = spec["unit"]
        return cls(ROOT / "tests" / "fixtures" / folder / spec["stem"], corpus, meta, serve_directories=True)

    def other_host(self, host):
        """Another host the portal's pages live on (a province-wide platform), served beside the
        site from hosts/<host>/; what is expected there is the site's, by full URL."""
        root = self.files.root / "hosts" / host
        other = Portal(root, self.corpus, {"host": host}, self.report_keys, self.serve_directories)
        self.other_hosts.append(other)
        return other

    # -- raw files ------------------------------------------------------------------------
    def page(self, path, text, gbk=False, charset_header=True, query=None, gbk_label="gb2312"):
        """An HTML page; GBK pages are stored as GBK bytes, with or without a charset header.
        A column's index page is also named by its directory URL (see alias_directory)."""
        data = text.encode("gbk") if gbk else text.encode("utf-8")
        charset = gbk_label if gbk else "utf-8"
        self._check_new(path, query)
        self.files.write(path, data, f"text/html; charset={charset}" if charset_header else "text/html", query=query)
        if self.serve_directories and not query and path.rsplit("/", 1)[1] in INDEX_NAMES:
            self.alias_directory(path)

    def writer(self, path, template, **fields):
        """write(title, agency, date, body) -> path, for table_report and its kin: the UTF-8
        page template.format(title=…, agency=…, date=…, body=…, **fields) at path."""

        def write(title, agency, date, body):
            self.page(path, template.format(title=title, agency=agency, date=date, body=body, **fields))
            return path

        return write

    def alias_directory(self, index_path):
        """Name index_path also by its directory URL ("/a/b/" -> "/a/b/index.html"), as a
        static web server serves it: an entry whose "file" is the index page."""
        directory = index_path.rsplit("/", 1)[0] + "/"
        self.files.headers[directory] = {**self.files.headers[index_path], "file": index_path}

    def data(self, path, payload, content_type, query=None, **extra_headers):
        """Any file: payload (bytes) served at path (?query) with content_type and extra_headers."""
        self._check_new(path, query)
        self.files.write(path, payload, content_type, query=query, **extra_headers)

    def _check_new(self, path, query):
        key = f"{path}?{query}" if query else path
        assert key not in self.files.headers, f"{self.stem}: {key} written twice"

    def seed_file(self, path, kind, doc, query=None):
        """A rendered seed (pdf_chrome / pdf_libreoffice / doc / docx) served at path."""
        suffix = "pdf" if kind.startswith("pdf") else kind
        payload = (self.corpus / SEEDS / kind / f"{doc}.{suffix}").read_bytes()
        self.data(path, payload, CONTENT_TYPES[suffix], query=query)

    def home(self, name, links, gbk=False):
        """The site's home page /index.html (also "/"), linking links [(text, href)]."""
        nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in links)
        charset = "gb2312" if gbk else "utf-8"
        self.page(
            "/index.html",
            f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f'<title>{esc(name)}</title></head><body><ul class="nav">{nav}</ul></body></html>',
            gbk=gbk,
        )

    def challenge(self, path, text, status, cookie):
        """A page that answers `status` with a script challenge and sets a cookie."""
        self.data(path, text.encode("utf-8"), "text/html; charset=utf-8", **{"Set-Cookie": cookie})
        self.files.headers[path]["status"] = status

    def image(self, path):
        self.data(path, tiny_png(), "image/png")

    # -- expectations -----------------------------------------------------------------------
    def report(self, path, title, year=None, facts=None, layout=None, **more):
        """A report the crawl must store: title as its page shows it, facts
        {(table, row, col): value} when they are checked, the table layout; more says what
        else the crawl must find (also_at, its other URLs; list_title when the list names it otherwise,
        a vague title; attachment when its text is in a file; agency, published …). Recorded
        in the order of report_keys: path, title and facts even when null, the others
        when given."""
        fields = {"path": path, "title": title, "year": year, "facts": facts_list(facts) if facts is not None else None}
        fields.update(layout=layout, **more)
        self.reports.append(
            {key: fields[key] for key in self.report_keys if key in ALWAYS_KEYS or fields.get(key) is not None}
        )

    def non_report(self, path, title, why):
        self.non_reports.append({"path": path, "title": title, "why": why})

    # -- pages and their expectations at once: write(title, agency, date, body) -> path --------
    def table_report(self, write, agency, year, date, rng, page_title=None, signed=None, **expected):
        """A report in the official table format (signed: its closing date, by default one in
        the January after year), expected with its facts (and expected's list_title, href …):
        (list text, path)."""
        layout, facts, body = synthetic_report(agency, year, rng, signed)
        title = page_title or report_title(agency, year)
        path = write(title, agency, date, body)
        self.report(path, title, year, facts, layout=layout, **expected)
        return expected.get("list_title") or title, path

    def picture_report(self, write, agency, year, date, srcs):
        """A report whose three tables are the pictures srcs (relative to its page or absolute)."""
        title = report_title(agency, year)
        path = write(title, agency, date, image_table_report(agency, year, srcs))
        for src in srcs:
            self.image(urljoin(path, src))
        self.report(path, title, year, None)
        return title, path

    def report_in_two_columns(self, write_first, write_second, agency, year, date, rng):
        """One report published in two columns: (title, its path, its other path)."""
        layout, facts, body = synthetic_report(agency, year, rng)
        title = report_title(agency, year)
        first = write_first(title, agency, date, body)
        second = write_second(title, agency, date, body)
        self.report(first, title, year, facts, layout=layout, also_at=[second])
        return title, first, second

    def attachment_report(self, write, doc, kind, agency, date, href, link_attributes=""):
        """A rendered seed (kind: pdf_chrome, pdf_libreoffice, doc, docx) published behind a page
        that says 详见附件 and links it as href (relative to the page, may hold a query):
        (title, page path)."""
        title, _, year, _, _ = self.seed_truth(doc)
        suffix = "pdf" if kind.startswith("pdf") else kind
        link = (html.escape(href), f"{title}.{suffix}", link_attributes)
        path = write(title, agency, date, attachment_only_body(title, [link]))
        target = urlsplit(urljoin(path, href))
        self.seed_file(unquote(target.path), kind, doc, query=target.query or None)
        self.report(
            path, title, year, None, attachment=unquote(target.path) + (f"?{target.query}" if target.query else "")
        )
        return title, path

    def file_report(self, path, kind, doc):
        """A rendered seed linked straight from a list: (title, path)."""
        title, _, year, _, _ = self.seed_truth(doc)
        self.seed_file(path, kind, doc)
        self.report(path, title, year, None)
        return title, path

    def rejected(self, write, why, content, agency, date):
        """A candidate that is no report: content is (title, body); (title, path)."""
        title, body = content
        path = write(title, agency, date, body)
        self.non_report(path, title, why)
        return title, path

    def column(self, path):
        self.columns.append(path)

    def failure(self, kind):
        """A failure the crawl must record for the portal (the one of a portal behind a challenge)."""
        self.failures.append({"kind": kind})

    def save(self):
        """Write _headers.json, site.json (when declared) and expected.json, the other hosts'
        expectations joined by full URL: (reports, non-reports, columns) counted."""
        for other in self.other_hosts:
            other.save_files()
            base = f"http://{other.host}"
            self.reports += [{**r, "path": base + r["path"]} for r in other.reports]
            self.non_reports += [{**n, "path": base + n["path"]} for n in other.non_reports]
            self.columns += [base + c for c in other.columns]
        self.save_files()
        write_expected(self.files.root, self.reports, self.non_reports, self.columns, self.failures)
        return len(self.reports), len(self.non_reports), len(self.columns)

    def save_files(self):
        self.files.save()
        if self.meta is not None:
            text = json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n"
            (self.files.root / "site.json").write_text(text, encoding="utf-8")

    # -- seeds ------------------------------------------------------------------------------
    def seed_truth(self, doc):
        """(title, agency, year, layout, facts) of a rendered seed, from its ground truth."""
        from build_sample_portal import gt_facts

        gt = json.loads((self.corpus / SEEDS / "gt" / f"{doc}.gt.json").read_text(encoding="utf-8"))
        layout = "2019" if gt["format"] == "2020" else "2021"
        return gt["blocks"][0]["text"], gt["agency"], SEED_YEARS[doc], layout, gt_facts(gt)

    def seed_page(self, path, doc, nav_href):
        """A rendered seed's real detail page served at path, in its own bytes encoding. Its
        dead links are pointed at this site: the top nav at nav_href, the related-articles
        box removed (its items are not on this site). Breadcrumb links (../, ../../) stay."""
        meta = json.loads((self.corpus / SEEDS / "gt" / f"{doc}.gt.json").read_text(encoding="utf-8"))["html"]
        encoding = "gb18030" if meta["bytes_encoding"] != "utf-8" else "utf-8"
        text = (self.corpus / SEEDS / "html" / f"{doc}.html").read_bytes().decode(encoding)
        for n in range(8):
            text = text.replace(f'href="/col/col100{n}/index.html"', f'href="{nav_href}"')
        start = text.find('<div class="related">')
        if start >= 0:
            end = text.find("</ul></div>", start) + len("</ul></div>")
            text = text[:start] + text[end:]
        charset = "gb2312" if encoding != "utf-8" else "utf-8"
        self.files.write(path, text.encode(encoding), f"text/html; charset={charset}")
        title, agency, year, layout, facts = self.seed_truth(doc)
        return title, year, layout, facts


class Columns:
    """What a portal's columns list, by column: (title, path, date) items, the reports and
    non-reports among them written through writer(column, **where), the write(title, agency,
    date, body) of a page of that column."""

    def __init__(self, portal, writer, rng, columns=()):
        self.portal, self.writer, self.rng = portal, writer, rng
        self.items = {column: [] for column in columns}

    def listed(self, column, date, title, path):
        self.items.setdefault(column, []).append((title, path, date))

    def table_report(self, column, agency, year, date, where=None, **expected):
        """A report in the official table format (Portal.table_report), listed in column; where:
        what else the writer needs to place its page (a docid, a path)."""
        write = self.writer(column, **(where or {}))
        self.listed(column, date, *self.portal.table_report(write, agency, year, date, self.rng, **expected))

    def rejected(self, column, why, content, agency, date):
        self.listed(column, date, *self.portal.rejected(self.writer(column), why, content, agency, date))

    def newest_first(self, column):
        return sorted(self.items[column], key=lambda item: item[2], reverse=True)


def write_expected(root, reports, non_reports=(), columns=(), failures=()):
    """expected.json, one shape for every fixture portal (tests/fixtures/sites/README.md says
    each key): `reports` (each with its `path`, `title` and `facts`, null for a report whose
    facts are not checked, and optionally `also_at`, the same report's other URLs, `year`,
    `layout`, `list_title` …), `non_reports` (`path`,
    `title`, `why`: what it is, e.g. notice, interpretation, guide), `columns` (the paths of the
    annual-report columns a crawl must find), and `failures` only when the crawl must record
    some (`kind`)."""
    expected = {"reports": list(reports), "non_reports": list(non_reports), "columns": list(columns)}
    if failures:
        expected["failures"] = list(failures)
    (Path(root) / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def facts_list(facts):
    """{(table, row, col): value} as expected.json lists facts, sorted."""
    return [{"table": t, "row": r, "col": c, "value": v} for (t, r, c), v in sorted(facts.items())]


# -- bodies ---------------------------------------------------------------------------------
def report_title(agency, year):
    return f"{agency}{year}年政府信息公开工作年度报告"


def pages_of(items, size):
    """items cut into list pages of size (one empty page for no items)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def synthetic_report(agency, year, rng, signed=None):
    """(layout, facts, article HTML) of a report in the official table format, signed on
    signed ('YYYY-MM-DD'; by default a stable day in the January after year)."""
    layout = "2021" if year >= 2021 else "2019"
    facts = synthetic.make_facts(layout, rng)
    signed = signed or f"{year + 1}-01-{synthetic.rng_day(agency, year):02d}"
    return layout, facts, synthetic.report_body(agency, year, layout, facts, signed)


def image_table_report(agency, year, images):
    """A report whose six sections are text and whose three tables are pictures (images:
    the three picture paths)."""
    t2, t3, t4 = images
    return "\n".join(
        [
            f"<p>本年度报告根据《中华人民共和国政府信息公开条例》要求编制，由{agency}负责。统计期限为{year}年1月1日至{year}年12月31日。</p>",
            "<p><strong>一、总体情况</strong></p>",
            f"<p>{year}年，{agency}坚持以公开为常态、不公开为例外，主动公开政府信息，依法办理政府信息公开申请。</p>",
            "<p><strong>二、主动公开政府信息情况</strong></p>",
            f'<p style="text-align:center"><img src="{t2}" alt="主动公开政府信息情况"></p>',
            "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>",
            f'<p style="text-align:center"><img src="{t3}" alt="收到和处理政府信息公开申请情况"></p>',
            "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>",
            f'<p style="text-align:center"><img src="{t4}" alt="行政复议、行政诉讼情况"></p>',
            "<p><strong>五、存在的主要问题及改进情况</strong></p>",
            "<p>一是公开内容的规范性有待提高；二是政策解读形式较为单一。下一步将加强业务培训，丰富解读形式。</p>",
            "<p><strong>六、其他需要报告的事项</strong></p>",
            f"<p>{year}年度未收取信息处理费。</p>",
            f'<p style="text-align:right">{agency}</p>',
        ]
    )


def attachment_only_body(title, links):
    """The page of a report published as an attachment: a line and the file links."""
    anchors = "".join(f'<p>附件：<a href="{href}"{extra}>{esc(name)}</a></p>' for href, name, extra in links)
    return f"<p>{esc(title)}详见附件。</p>{anchors}"


def interpretation(agency, year, rng, kind="一图读懂", image=None):
    """(title, body) of an interpretation of a report: it quotes the report's numbers
    (image: the path of its picture, written by the caller)."""
    title = {
        "一图读懂": f"一图读懂{agency}{year}年政府信息公开工作年度报告",
        "图解": f"图解：{agency}{year}年政府信息公开工作年度报告",
        "解读": f"{agency}{year}年政府信息公开工作年度报告解读",
    }[kind]
    published, received, granted = rng.randint(300, 2000), rng.randint(5, 80), rng.randint(2, 40)
    body = "\n".join(
        [
            f"<p>近日，{agency}发布了《{agency}{year}年政府信息公开工作年度报告》。为便于公众理解，现将报告主要内容{'图解' if kind != '解读' else '解读'}如下。</p>",
            f"<p><strong>主动公开：</strong>全年主动公开政府信息{published}条，其中政策文件{published // 20}件。</p>",
            f"<p><strong>依申请公开：</strong>全年新收政府信息公开申请{received}件，予以公开{granted}件，均在法定期限内答复。</p>",
            "<p><strong>复议诉讼：</strong>全年未发生因政府信息公开引起的行政复议、行政诉讼被纠错的情况。</p>",
            f'<p><img src="{image}" alt="{esc(title)}"></p>' if image else "",
            "<p>（来源：政务公开办）</p>",
        ]
    )
    return title, body


def notice(issuer, year, kind, sender=None):
    """(title, body) of a notice (kind "prepare", from issuer) or a letter (kind "submit",
    from sender to issuer) about preparing / submitting the yearly report."""
    if kind == "prepare":
        title = f"关于做好{year}年度政府信息公开工作年度报告编制和发布工作的通知"
        body = (
            f"<p>各乡镇人民政府、街道办事处，{issuer}各部门：</p>"
            f"<p>根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，现就做好{year}年度政府信息公开工作年度报告编制和发布工作通知如下：</p>"
            "<p>一、严格按照国务院办公厅政府信息与政务公开办公室印发的年度报告格式编制，不得遗漏，不宜泛化。</p>"
            f"<p>二、各单位于{year + 1}年1月31日前在本单位政府信息公开专栏“政府信息公开年报”栏目发布年度报告，并将电子版报送政务公开办。</p>"
            "<p>三、数据须与政府信息公开申请台账一致，勾稽关系准确。</p>"
            f'<p style="text-align:right">{issuer}政务公开办公室</p><p style="text-align:right">{year}年12月15日</p>'
        )
    else:
        title = f"关于报送{year}年度政府信息公开工作年度报告的函"
        body = (
            f"<p>{issuer}政务公开办公室：</p>"
            f"<p>根据《关于做好{year}年度政府信息公开工作年度报告编制和发布工作的通知》要求，现将我单位{year}年度政府信息公开工作年度报告报送你办，请审阅。</p>"
            "<p>附件：年度报告（电子版）</p>"
            f'<p style="text-align:right">{sender or issuer}</p><p style="text-align:right">{year + 1}年1月20日</p>'
        )
    return title, body


def guide(agency):
    title = f"{agency}政府信息公开指南"
    body = (
        "<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
        "<p><strong>一、主动公开</strong></p><p>（一）公开范围……（二）公开方式：政府网站、政务新媒体、公开查阅点。</p>"
        "<p><strong>二、依申请公开</strong></p><p>（一）受理机构：办公室，办公时间：工作日上午9:00-12:00，下午13:30-17:30。（二）申请方式：当面、信函、网络。</p>"
        "<p><strong>三、监督和救济</strong></p><p>申请人认为行政机关侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。</p>"
    )
    return title, body


def work_plan(agency, year):
    title = f"{agency}{year}年政务公开工作要点"
    body = (
        f"<p>{year}年政务公开工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，持续推进决策、执行、管理、服务、结果公开。</p>"
        "<p><strong>一、围绕稳经济促发展加强信息公开</strong></p><p>……</p>"
        "<p><strong>二、加强政策解读和回应关切</strong></p><p>……</p>"
        f"<p><strong>三、夯实公开工作基础</strong></p><p>按时编制发布{year - 1}年度政府信息公开工作年度报告。</p>"
    )
    return title, body


def rule_of_law_report(agency, year):
    """(title, body) of another yearly report: 法治政府建设年度报告."""
    title = f"{agency}{year}年法治政府建设年度报告"
    body = (
        f"<p>{year}年，{agency}深入学习贯彻习近平法治思想，全面推进法治政府建设，现将有关情况报告如下。</p>"
        "<p><strong>一、主要举措和成效</strong></p><p>（一）依法全面履行政府职能……（二）完善依法行政制度体系……（三）推进严格规范公正文明执法……</p>"
        "<p><strong>二、存在的不足和原因</strong></p><p>……</p>"
        "<p><strong>三、党政主要负责人履行推进法治建设第一责任人职责情况</strong></p><p>……</p>"
        f"<p><strong>四、{year + 1}年推进法治政府建设的主要安排</strong></p><p>……</p>"
    )
    return title, body


def statistical_bulletin(place, year, rng):
    """(title, body) of another yearly report: 国民经济和社会发展统计公报 (full of numbers)."""
    title = f"{place}{year}年国民经济和社会发展统计公报"
    gdp = rng.randint(80, 600)
    body = (
        f"<p><strong>一、综合</strong></p><p>初步核算，全年地区生产总值{gdp}.{rng.randint(1, 9)}亿元，比上年增长{rng.randint(3, 8)}.{rng.randint(0, 9)}%。</p>"
        f"<p><strong>二、农业</strong></p><p>全年粮食总产量{rng.randint(5, 40)}.{rng.randint(0, 9)}万吨。</p>"
        f"<p><strong>三、工业和建筑业</strong></p><p>规模以上工业增加值增长{rng.randint(2, 12)}.{rng.randint(0, 9)}%。</p>"
        '<table border="1"><tr><td>指标</td><td>单位</td><td>绝对数</td><td>比上年增长(%)</td></tr>'
        f"<tr><td>地区生产总值</td><td>亿元</td><td>{gdp}</td><td>5.1</td></tr>"
        f"<tr><td>一般公共预算收入</td><td>亿元</td><td>{gdp // 10}</td><td>3.2</td></tr></table>"
    )
    return title, body


def table_of_contents(agency, entries):
    """(title, body) of a 政府信息公开目录 page listing categories."""
    title = f"{agency}政府信息公开目录"
    rows = "".join(f"<tr><td>{n}</td><td>{esc(name)}</td><td>主动公开</td></tr>" for n, name in enumerate(entries, 1))
    body = f'<table border="1"><tr><td>序号</td><td>类别</td><td>公开方式</td></tr>{rows}</table>'
    return title, body
