"""The report page's tables as printed (govreports/printed_tables.py), its checks in Chinese
(labels.explained_check), its 引用 block; the archived copy's banner and rewritten links
(archived_html.py, capture_page.py) and the download names, on the crawled sample portal."""

import html
import re
import sqlite3
from urllib.parse import unquote

import pytest
from helpers import datasette_get
from test_serving_hardening import copy_archive, get_all

from extractors import keys
from extractors.checks import cross_year_verdict, run_checks
from fixturekit.captures import archive_capture
from govreports import archived_html, capture_page
from govreports.fixture_server import SAMPLE_PORTAL
from govreports.labels import check_detail, explained_check
from govreports.printed_tables import NOT_PRINTED, number, printed_tables
from storage import crawl_records, schema

PDF_REPORT = "洪泽区人民政府2023年政府信息公开工作年度报告"  # layout 2021, （六） printed as one row
PAGE_URL = "http://www.shili.gov.cn/xxgk/zfxxgknb/202401/t20240131_1006.html"
PDF_URL = "http://www.shili.gov.cn/xxgk/zfxxgknb/202401/P020240131556021347115.pdf"


def facts_of(layout, skip_rows=(), other_rows=None):
    """Fact rows (table, row, col, value, raw, flags) for every cell of a layout but the rows in
    skip_rows; other_rows replaces 表三's （六） rows."""
    cells = keys.canonical_cells(layout)
    if other_rows is not None:
        cells = [c for c in cells if not (c[0] == "t3" and c[1].startswith("other"))]
        cells += [("t3", row, col) for row in other_rows for col in keys.T3_COLUMNS]
    return [(t, r, c, 1.0, "1", None) for t, r, c in cells if r not in skip_rows]


def table(tables, key):
    return next(t for t in tables if t["key"] == key)


def row_labels(body):
    return [" / ".join(c["text"] for c in row if c["tag"] == "th") for row in body]


def texts(row):
    return [c["text"] for c in row]


# -- the tables as printed -------------------------------------------------------------


@pytest.mark.unit
def test_2019_layout_prints_its_blocks_and_one_other_row():
    tables = printed_tables("2019", facts_of("2019"))
    t2 = table(tables, "t2")["body"]
    blocks = [row[0]["text"] for row in t2 if row[0]["css"] == "block"]
    assert blocks == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "第二十条第（九）项",
    ]
    assert ["信息内容", "采购项目数量", "金额（万元）"] == texts(t2[-2])
    assert all(sum(c["colspan"] for c in row) == 4 for row in t2)  # every block as wide as the widest
    t3 = table(tables, "t3")["body"]
    assert len(t3) == 23
    other = next(row for row in t3 if any(c["text"] == "（六）其他处理" for c in row))
    assert other[0]["colspan"] == 2 and len([c for c in other if c["tag"] == "td"]) == 7


@pytest.mark.unit
def test_2021_layout_prints_three_other_rows_under_their_group():
    t3 = table(printed_tables("2021", facts_of("2021")), "t3")["body"]
    assert len(t3) == 25
    group = next(c for row in t3 for c in row if c["text"] == "（六）其他处理")
    assert group["rowspan"] == 3
    outcomes = t3[2][0]
    assert outcomes["text"] == "三、本年度办理结果" and outcomes["rowspan"] == 22  # （一）…（七）
    denied = next(c for row in t3 for c in row if c["text"] == "（三）不予公开")
    assert denied["rowspan"] == 8


@pytest.mark.unit
def test_a_2021_report_printing_other_as_one_row_shows_that_row_in_its_place():
    t3 = table(printed_tables("2021", facts_of("2021", other_rows=("other",))), "t3")["body"]
    labels = row_labels(t3)
    assert len(t3) == 23
    assert not any("申请人无正当理由" in label or label.endswith("3.其他") for label in labels)
    assert labels.index("（六）其他处理") == labels.index("5.要求行政机关确认或重新出具已获取信息") + 1
    assert labels[-1] == "四、结转下年度继续办理"
    assert NOT_PRINTED not in str(t3)


@pytest.mark.unit
def test_table_three_and_four_carry_their_printed_header_groups():
    tables = printed_tables("2021", facts_of("2021"))
    head = table(tables, "t3")["head"]
    assert [(c["text"], c["colspan"], c["rowspan"]) for c in head[0]] == [("", 3, 3), ("申请人情况", 7, 1)]
    assert [(c["text"], c["colspan"], c["rowspan"]) for c in head[1]] == [
        ("自然人", 1, 2),
        ("法人或其他组织", 5, 1),
        ("总计", 1, 2),
    ]
    assert texts(head[2]) == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    t4 = table(tables, "t4")
    assert [(c["text"], c["colspan"]) for c in t4["head"][0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert texts(t4["head"][1]) == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
    ]
    assert all(c["rowspan"] == 2 for c in t4["head"][1][:5])
    assert texts(t4["head"][2]) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert len(t4["body"]) == 1 and len(t4["body"][0]) == 15


@pytest.mark.unit
def test_rows_not_printed_are_said_so_never_drawn_as_zeros():
    tables = printed_tables("2021", facts_of("2021", skip_rows=("denied_inquiry", "litigation_after_review")))
    t3 = table(tables, "t3")["body"]
    inquiry = next(row for row in t3 if row[-1]["text"] == NOT_PRINTED)
    assert inquiry[-2]["text"] == "8.属于行政查询事项"
    assert inquiry[-1]["colspan"] == 7 and inquiry[-1]["css"] == "not-printed"
    t4 = table(tables, "t4")["body"][0]
    assert len(t4) == 11 and t4[-1]["text"] == NOT_PRINTED and t4[-1]["colspan"] == 5
    assert "0" not in [c["text"] for c in t4]
    unread = printed_tables("2021", facts_of("2021", skip_rows=keys.T4_ROWS))
    assert table(unread, "t4")["read"] is False and table(unread, "t4")["body"] == []


@pytest.mark.unit
def test_numbers_are_written_as_printed():
    assert [number(v) for v in (1234567.0, 7730.28, -13.0, 0.0, None)] == ["1234567", "7730.28", "-13", "0", ""]


# -- checks in Chinese ------------------------------------------------------------------


def failing_values():
    """Every cell of 2021 at 1, then each identity broken once."""
    value = {(t, r, c): 1.0 for t, r, c in keys.canonical_cells("2021")}
    value.update({("t4", "review", col): n for col, n in zip(keys.T4_COLUMNS, (10, 1, 0, 0, 0))})
    value[("t3", "carried_forward", "natural_person")] = 5
    value[("t2", "fees", "amount")] = 2e8
    return value


@pytest.mark.unit
def test_row_totals_are_explained_with_the_tables_labels():
    checks = {c["rule"]: c for c in run_checks(failing_values(), "2021")}
    review = check_detail(checks["t4_row_totals"]["detail"])
    assert review.split("；")[0] == "行政复议：各项相加 10 + 1 + 0 + 0 = 11，但印出的总计为 0"
    balance = check_detail(checks["t3_balance"]["detail"])
    assert balance.startswith("自然人：本年新收 1 + 上年结转 1 = 2，不等于办理总计 1 + 结转下年度继续办理 5 = 6")
    outcomes = check_detail(checks["t3_outcomes_sum"]["detail"])
    assert outcomes.startswith("自然人：各项办理结果相加为 21，但印出的办理总计为 1")


@pytest.mark.unit
def test_every_check_detail_the_extractors_write_is_said_in_chinese():
    quoted = "本机关共收到政府信息公开申请12件。被申请行政复议3件。"
    details = [(c["rule"], c["detail"]) for c in run_checks(failing_values(), "2021", text=quoted) if c["detail"]]
    partial = {k: v for k, v in failing_values().items() if k[0] != "t4"}
    details += [(c["rule"], c["detail"]) for c in run_checks(partial, "2021") if c["detail"]]
    details += [("cross_year_carry", cross_year_verdict("5915", 2021, 2022, 3, 0)[1])]
    details += [("cross_year_carry", cross_year_verdict("5915", 2021, 2022, None, 0)[1])]
    rules = {rule for rule, _ in details}
    assert {
        "t2_plausible",
        "t3_balance",
        "t3_row_totals",
        "t4_row_totals",
        "text_versus_table",
        "tables_found",
    } <= rules
    for rule, detail in details:
        chinese = check_detail(detail)
        assert not re.search(r"[A-Za-z]{2,}", chinese), (rule, detail, chinese)
    assert "正文称收到申请 12 件；表格为 表三 一、本年新收政府信息公开申请数量 1" in check_detail(
        next(d for r, d in details if r == "text_versus_table")
    )


@pytest.mark.unit
def test_a_check_says_its_rule_status_and_explanation_in_chinese():
    shown = explained_check("t4_row_totals", "fail", "review: 10 + 1 + 0 + 0 = 11, total printed 0")
    assert shown["name"] == "表四各行合计" and shown["status"] == "未通过"
    assert shown["explanation"].startswith("表四每一组")
    assert explained_check("some_new_rule", "pass", "as stored")["detail"] == "as stored"  # unknown: kept


# -- archived HTML rewritten ----------------------------------------------------------------


GBK_PAGE = (
    '<html><head><meta charset="gbk"><base href="http://x.gov.cn/nb/"></head>'
    '<body class="b"><p>年度报告</p><a href="2023.pdf">附件</a> <a href=\'http://other.cn/a\'>外站</a>'
    ' <img src="/logo.png"> <a href="#top">顶部</a> <a href="mailto:a@x.cn">信</a></body></html>'
).encode("gbk")


@pytest.mark.unit
def test_links_are_read_against_the_pages_base_and_rewritten_or_marked_as_leaving():
    found = archived_html.links(GBK_PAGE, "http://x.gov.cn/nb/index.html", "gbk")
    assert [(tag, url) for _, _, tag, url in found] == [
        (b"a", "http://x.gov.cn/nb/2023.pdf"),
        (b"a", "http://other.cn/a"),
        (b"img", "http://x.gov.cn/logo.png"),
    ]
    archived = {
        ("http://x.gov.cn/nb/2023.pdf", True): "/archive/-/capture/7",
        ("http://x.gov.cn/logo.png", False): "/archive/-/capture/8",
    }
    page = archived_html.rewritten(GBK_PAGE, found, archived, archived_html.ascii_html("<div>本页为存档副本</div>"))
    text = page.decode("gbk")
    assert '<body class="b"><div>&#26412;&#39029;' in text
    assert html.unescape(text).count("本页为存档副本") == 1 and "<p>年度报告</p>" in text
    assert '<a href="/archive/-/capture/7" data-gr-archive="archived">附件</a>' in text
    assert '<a href="http://other.cn/a" data-gr-archive="leaves" rel="noreferrer nofollow"' in text
    assert '<img src="/archive/-/capture/8" data-gr-archive="archived">' in text
    assert 'href="#top"' in text and 'href="mailto:a@x.cn"' in text
    assert archived_html.charset("text/html", GBK_PAGE) == "gbk"
    assert archived_html.charset("text/html; charset=GB2312", GBK_PAGE) == "GB2312"


@pytest.mark.unit
def test_a_reports_file_downloads_as_agency_year_title():
    report = {"agency": "洪泽区人民政府", "year": 2023, "title": "洪泽区人民政府2023年政府信息公开工作年度报告"}
    name = capture_page.download_name(PDF_URL, "application/pdf", b"%PDF-1.4", report)
    assert name == "洪泽区人民政府-2023-洪泽区人民政府2023年政府信息公开工作年度报告.pdf"
    assert capture_page.download_name("http://x.cn/get?id=3", None, b"PK\x03\x04", {**report, "title": "a/b:c"}) == (
        "洪泽区人民政府-2023-a_b_c.docx"
    )
    assert capture_page.download_name(PDF_URL, "application/pdf", b"%PDF", None) == "P020240131556021347115.pdf"
    header = capture_page.content_disposition(name, "P020240131556021347115.pdf")
    assert header.startswith("attachment; filename=\"P020240131556021347115.pdf\"; filename*=UTF-8''")
    assert unquote(header.split("''", 1)[1]) == name


# -- on the crawled sample portal ----------------------------------------------------------


def report_id(db, title):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id from reports where title = ?", [title]).fetchone()[0]


def capture_of(db, url):
    """The first capture of url: (rowid, sha256, fetched_at)."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select rowid, sha256, fetched_at from fetches where url = ? order by rowid limit 1", [url]
        ).fetchone()


def test_the_report_page_cites_its_archived_copy_and_explains_its_checks(sample_crawl):
    db = sample_crawl["db"]
    rid = report_id(db, PDF_REPORT)
    page = datasette_get(db, f"/archive/reports/{rid}").text
    pdf, _, fetched_at = capture_of(db, PDF_URL)
    archived = f"http://localhost/archive/-/web/{re.sub(r'[^0-9]', '', fetched_at)[:14]}/{PDF_URL}"
    gbt = html.unescape(re.search(r'class="gr-cite-gbt">([^<]*)<', page).group(1))
    assert gbt == (
        f"洪泽区人民政府. {PDF_REPORT}[EB/OL]. (2024-01-31)[{fetched_at[:10]}]. {archived}. "
        f"原始网址：{PAGE_URL}，存档于 {fetched_at[:10]}."
    )
    apa = html.unescape(re.search(r'class="gr-cite-apa">([^<]*)<', page).group(1))
    assert apa.startswith(f"洪泽区人民政府. (2024, January 31). {PDF_REPORT}")
    assert f"captured {fetched_at[:10]}, retrieved from {archived}" in apa
    assert f'永久链接：<a href="http://localhost/archive/reports/{rid}">' in page
    assert "表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理" in page
    assert re.search(r"<td>表四各行合计</td><td class=\"status-(通过|未通过|无法判断)\">", page)
    t3 = page[page.index('data-table="t3"') : page.index('data-table="t4"')]
    assert t3.count(">（六）其他处理</th>") == 1 and "逾期不补正" not in t3


@pytest.fixture(scope="module")
def recaptured(sample_crawl, tmp_path_factory):
    """The sample archive with the 洪泽区 page captured a second time (other bytes) and a GBK
    page that links to the report page and its PDF relative to its <base>."""
    db_path = copy_archive(sample_crawl, tmp_path_factory.mktemp("recaptured"))
    second = archive_page(db_path, PAGE_URL, "<html><body><p>改版后的页面</p></body></html>".encode(), "utf-8")
    gbk = archive_page(
        db_path,
        "http://www.shili.gov.cn/gbk.html",
        (
            '<html><head><base href="http://www.shili.gov.cn/xxgk/zfxxgknb/202401/"></head><body><p>年报</p>'
            '<a href="t20240131_1006.html">年报页面</a><a href="P020240131556021347115.pdf">附件</a>'
            '<a href="http://elsewhere.gov.cn/">别处</a><a href="http://big5.shili.gov.cn/1006.html">繁体</a></body></html>'
        ).encode("gbk"),
        "gbk",
    )
    db = schema.open_db(db_path)
    crawl_records.record_alias(db, "http://big5.shili.gov.cn/1006.html", PAGE_URL, "big5", "sample_county")
    db.close()
    return db_path, second, gbk


def archive_page(db_path, url, body, charset):
    """An HTML page in this charset, archived; its capture number."""
    return archive_capture(db_path, url, [("Content-Type", f"text/html; charset={charset}")], body)


def test_the_archived_copy_has_a_banner_naming_time_url_hash_and_other_captures(recaptured):
    db, second, _ = recaptured
    first, sha256, fetched_at = capture_of(db, PAGE_URL)
    response = datasette_get(db, f"/archive/-/capture/{first}/view")
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("sandbox allow-downloads; default-src 'none';")
    page = html.unescape(response.text)
    banner = page[page.index('<div id="gr-archive-banner"') : page.index("</style>")]
    assert "本页为存档副本" in banner
    assert f'<time class="gr-captured">{fetched_at}</time>' in banner
    assert f'class="gr-original" href="{PAGE_URL}" data-gr-archive="leaves"' in banner
    assert f'<code class="gr-sha256" style="font-size:12px">{sha256}</code>' in banner
    assert f'href="/archive/-/capture/{second}/view"' in banner and f"{fetched_at}（本页）" in banner
    assert f'class="gr-raw" href="/archive/-/capture/{first}"' in banner
    permalink = f"http://localhost/archive/-/web/{re.sub(r'[^0-9]', '', fetched_at)[:14]}/{PAGE_URL}"
    assert f'class="gr-permalink" href="{permalink}"' in banner
    assert PDF_REPORT in banner  # its report
    pdf = capture_of(db, PDF_URL)[0]
    assert re.search(rf'href="/archive/-/capture/{pdf}" data-gr-archive="archived"[^>]*>{PDF_REPORT}\.pdf</a>', page)
    assert 'href="http://www.shili.gov.cn/" data-gr-archive="leaves"' in page


def test_a_gbk_page_keeps_its_encoding_and_its_relative_links_reach_the_archive(recaptured):
    db, second, gbk = recaptured
    response = datasette_get(db, f"/archive/-/capture/{gbk}/view")
    text = response.content.decode("gbk")
    assert "<p>年报</p>" in text and "本页为存档副本" in html.unescape(text)
    assert f'<a href="/archive/-/capture/{second}/view" data-gr-archive="archived">年报页面</a>' in text  # the newest
    assert f'<a href="/archive/-/capture/{capture_of(db, PDF_URL)[0]}" data-gr-archive="archived">附件</a>' in text
    assert '<a href="http://elsewhere.gov.cn/" data-gr-archive="leaves"' in text
    assert f'<a href="/archive/-/capture/{second}/view" data-gr-archive="archived">繁体</a>' in text  # an alias


def test_a_pdf_downloads_under_its_reports_name_and_its_view_leads_to_it(sample_crawl):
    db = sample_crawl["db"]
    pdf = capture_of(db, PDF_URL)[0]
    response = datasette_get(db, f"/archive/-/capture/{pdf}")
    disposition = response.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"洪泽区人民政府-2023-{PDF_REPORT}.pdf"
    assert response.content == (SAMPLE_PORTAL / "xxgk/zfxxgknb/202401/P020240131556021347115.pdf").read_bytes()
    assert datasette_get(db, f"/archive/-/capture/{pdf}/view").url.path == f"/archive/-/capture/{pdf}"


def test_the_archived_copy_is_served_in_public_mode_too(sample_crawl):
    db = sample_crawl["db"]
    rowid = capture_of(db, PAGE_URL)[0]
    moment = re.sub(r"[^0-9]", "", capture_of(db, PAGE_URL)[2])[:14]
    paths = [f"/archive/-/capture/{rowid}/view", f"/archive/reports/{report_id(db, PDF_REPORT)}"]
    view, report, permalink = get_all(db, [*paths, f"/archive/-/web/{moment}/{PAGE_URL}"])
    assert view.status_code == 200 and "gr-archive-banner" in view.text
    assert permalink.status_code == 200 and permalink.url.path == paths[0]
    assert report.status_code == 200 and "gr-cite-gbt" in report.text


def test_a_captures_permalink_is_its_time_and_url_and_finds_the_nearest_capture(recaptured):
    db, second, _ = recaptured
    first, _, first_at = capture_of(db, PAGE_URL)
    with sqlite3.connect(db) as conn:
        second_at = conn.execute("select fetched_at from fetches where rowid = ?", [second]).fetchone()[0]

    def landing(moment, url=PAGE_URL):
        response = datasette_get(db, f"/archive/-/web/{moment}/{url}")
        return response.status_code, response.url.path

    digits = lambda text: re.sub(r"[^0-9]", "", text)[:14]  # noqa: E731
    assert landing(digits(first_at)) == (200, f"/archive/-/capture/{first}/view")
    assert landing(digits(second_at)) == (200, f"/archive/-/capture/{second}/view")
    assert landing("29991231235959") == (200, f"/archive/-/capture/{second}/view")  # the newest
    assert landing("19990101000000") == (200, f"/archive/-/capture/{first}/view")  # the oldest
    assert landing("20240101000000", PDF_URL)[1] == f"/archive/-/capture/{capture_of(db, PDF_URL)[0]}"
    assert landing("20240101000000", "http://nowhere.gov.cn/")[0] == 404
    assert landing("20241399000000")[0] == 404  # no such time
