"""Tables published as pictures, crawled: the pictures inside a report's article (not the
page's logo or QR code) are fetched, size-capped and archived like every other fetch; the
report's tables are read from them by OCR; `reextract` reads them again from the archive
alone, offline."""

import json
import sqlite3

from helpers import FIXTURES, crawl_registry, run_cli

from fixturekit.fixture_site import FixtureSite
from govreports.fixture_server import FixtureServer

OCR_DOCUMENTS = FIXTURES / "ocr_documents"
HOST = "www.public-example.gov.cn"
TITLE = "示例县财政局2022年政府信息公开工作年度报告"


def build_portal(root):
    site = FixtureSite(root)
    html = "text/html; charset=utf-8"
    site.write(
        "/xxgk/nb/index.html",
        (
            f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
            f'<ul><li><a href="/xxgk/2023/art_1.html">{TITLE}</a></li></ul></body></html>'
        ).encode(),
        html,
    )
    site.write("/xxgk/2023/art_1.html", (OCR_DOCUMENTS / "ocr_article_pictures.html").read_bytes(), html)
    for n in (2, 3):
        site.write(f"/images/ocr_article_t{n}.png", (OCR_DOCUMENTS / f"ocr_article_t{n}.png").read_bytes(), "image/png")
    site.save()


def facts(db):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("select table_key, row_key, col_key, value, flags from facts"))


def test_article_pictures_are_fetched_archived_and_read_again_offline(tmp_path):
    build_portal(tmp_path / "portal")
    with FixtureServer(tmp_path / "portal", host=HOST) as server:
        crawl_registry([{"id": "pictures", "start_urls": [server.url + "/xxgk/nb/index.html"]}], tmp_path)
        requested = [line.split()[1] for line, _ in server.httpd.received]
    db = tmp_path / "archive.db"
    assert "/images/ocr_article_t2.png" in requested and "/images/ocr_article_t3.png" in requested
    assert "/images/logo.png" not in requested and "/images/qrcode.png" not in requested  # outside the article
    with sqlite3.connect(db) as conn:
        images = conn.execute("select url from documents where role = 'image'").fetchall()
        assert sorted(url.rsplit("/", 1)[1] for (url,) in images) == ["ocr_article_t2.png", "ocr_article_t3.png"]
        assert (
            conn.execute("select count(*) from fetches where url like '%.png' and warc_file is not null").fetchone()[0]
            == 2
        )
    truth = json.loads((OCR_DOCUMENTS / "ocr_article_pictures.html.truth.json").read_text(encoding="utf-8"))
    read = facts(db)
    assert len(read) >= 0.99 * len(truth["facts"])
    expected = {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}
    assert all(expected[(t, r, c)] == value and "ocr" in flags for t, r, c, value, flags in read)
    # offline: the portal is gone; a new extractor version makes reextract read everything again
    with sqlite3.connect(db) as conn:
        conn.execute("update report_rows set extractor_version = 'old'")
    done = run_cli("reextract", "--db", str(db))
    assert done.returncode == 0, done.stderr[-2000:]
    assert facts(db) == read
