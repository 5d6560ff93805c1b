"""Exports that open: CSV downloads read as Excel reads them (a BOM, integers), under readable
names; the Chinese-named wide view at its readable URL; the wide table aligned for both
layouts; and `govreports export`'s release, read back and validated by Frictionless."""

import csv
import hashlib
import io
import json
import re
import sqlite3
from urllib.parse import unquote

import pytest
from helpers import datasette_get, run_cli

from extractors import keys
from govreports.downloads import BOM, readable_disposition
from storage.views import WIDE_VIEW_ZH, all_cells, column_name, wide_cells

MONEY = {column_name(cell) for cell in all_cells() if cell[1:] in keys.MONEY_COLUMNS}
OTHER_PARTS = keys.T3_OTHER_ROWS["2021"]


def as_excel_reads(data):
    """The rows of a CSV file as Excel reads it: UTF-8 when it starts with a BOM."""
    assert data.startswith(BOM), data[:20]
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def download_name(disposition):
    """The file name a browser saves: RFC 6266's filename* when there is one."""
    extended = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    return unquote(extended[1]) if extended else re.search(r'filename="([^"]+)"', disposition)[1]


@pytest.mark.unit
def test_the_download_name_is_the_tables_own():
    tilde = 'attachment; filename="~E6~8A~A5~E5~91~8A~E7~BB~9F~E8~AE~A1~E8~A1~A8.csv"'
    assert download_name(readable_disposition(tilde)) == "报告统计表.csv"
    assert readable_disposition(tilde).isascii()  # a header is Latin-1: the name travels percent-encoded
    assert readable_disposition('attachment; filename="facts.csv"') == 'attachment; filename="facts.csv"'


@pytest.mark.unit
def test_the_wide_columns_follow_the_printed_tables_of_both_layouts():
    cells = wide_cells()
    assert sorted(cells) == sorted(all_cells()) and len(set(cells)) == len(cells)
    for layout in ("2019", "2021"):  # each layout's cells in its own printed order
        own = [cell for cell in cells if cell in keys.canonical_cells(layout)]
        assert own == keys.canonical_cells(layout)
    rows = [row for table, row, col in cells if table == "t3" and col == "total"]
    assert rows[rows.index("other") : rows.index("other") + 4] == ["other", *OTHER_PARTS]
    assert [cell[0] for cell in cells] == sorted(cell[0] for cell in cells)  # 表二, then 表三, then 表四


def test_a_csv_download_opens_as_excel_reads_it(sample_crawl):
    response = datasette_get(sample_crawl["db"], f"/archive/{WIDE_VIEW_ZH}.csv?_dl=1&_size=max")
    assert response.status_code == 200
    assert download_name(response.headers["content-disposition"]) == "报告统计表.csv"
    rows = as_excel_reads(response.content)
    assert len(rows) == 13 and list(rows[0])[0] == "报告编号"
    counts = [name for name in rows[0] if name.startswith("表") and "金额" not in name]
    written = [row[name] for row in rows for name in counts if row[name]]
    assert len(written) > 13 * 100
    assert all(re.fullmatch(r"-?\d+", value) for value in written), {v for v in written if "." in v}

    english = as_excel_reads(datasette_get(sample_crawl["db"], "/archive/report_cells.csv?_dl=1&_size=max").content)
    amounts = [row[name] for row in english for name in MONEY if row[name]]
    assert any("." in value for value in amounts)  # 万元 keep their decimals
    search = datasette_get(sample_crawl["db"], "/-/search.csv?q=复议")
    assert search.content.startswith(BOM) and len(as_excel_reads(search.content)) == 13


def test_a_csv_read_without_download_has_no_bom_and_integers(sample_crawl):
    facts = datasette_get(sample_crawl["db"], "/archive/facts.csv?_size=200&table_key=t3")
    assert facts.status_code == 200 and not facts.content.startswith(BOM)
    values = [row["value"] for row in csv.DictReader(io.StringIO(facts.text))]
    assert values and all(re.fullmatch(r"-?\d+", value) for value in values)
    as_json = datasette_get(sample_crawl["db"], "/archive/facts.json?_shape=array&_size=50&table_key=t4").json()
    assert as_json and all(type(row["value"]) is int for row in as_json)


def test_a_chinese_named_view_answers_at_its_readable_url(sample_crawl):
    response = datasette_get(sample_crawl["db"], f"/archive/{WIDE_VIEW_ZH}.json?_shape=array&_size=max")
    assert response.status_code == 200 and len(response.json()) == 13
    assert "报告年度" in response.json()[0]


def test_the_wide_table_aligns_other_processing_for_both_layouts(sample_crawl, sample_portal_expected):
    rows = {
        row["title"]: row
        for row in datasette_get(sample_crawl["db"], "/archive/report_cells.json?_shape=array&_size=max").json()
    }
    seen = set()
    for report in sample_portal_expected:
        facts = {(f["table"], f["row"], f["col"]): f["value"] for f in report["facts"]}
        row = rows[report["title"]]
        for col in keys.T3_COLUMNS:
            parts = [facts.get(("t3", part, col)) for part in OTHER_PARTS]
            printed = facts.get(("t3", "other", col))
            expected = printed if printed is not None else (sum(parts) if None not in parts else None)
            assert row[f"t3_other_{col}"] == expected, (report["title"], col)
            seen.add((report["layout"], "three rows" if printed is None else "one row"))
    assert {("2019", "one row"), ("2021", "three rows"), ("2021", "one row")} <= seen


def test_export_writes_a_release_that_reads_back_and_validates(sample_crawl, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    done = run_cli("export", str(tmp_path), "--db", str(sample_crawl["db"]), "--release-version", "2026.01.02")
    assert done.returncode == 0, done.stderr
    release = tmp_path / "govreports-2026.01.02"
    assert str(release) in done.stdout.splitlines()[-1]

    sums = dict(reversed(line.split("  ")) for line in (release / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {p.name for p in release.iterdir()} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name

    report = frictionless.validate(release / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "2026.01.02"
    for resource in package["resources"]:
        if resource["name"] == "archive":
            continue
        header = next(csv.reader(io.StringIO((release / resource["path"]).read_text(encoding="utf-8-sig"))))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header, resource["name"]
        for field in fields:  # every column described in Chinese and English
            assert re.search(r"[\u4e00-\u9fff]", field["description"]) and re.search(r"[a-z]{3}", field["description"])

    with sqlite3.connect(sample_crawl["db"]) as conn:
        facts = conn.execute("select count(*) from facts").fetchone()[0]
    long = as_excel_reads((release / "facts.csv").read_bytes())
    assert len(long) == facts and all(re.fullmatch(r"-?\d+(\.\d+)?", row["value"]) for row in long)
    assert len(as_excel_reads((release / "report_cells_zh.csv").read_bytes())) == 13
    with sqlite3.connect(f"file:{release / 'archive.db'}?mode=ro", uri=True) as copy:
        assert copy.execute("select count(*) from facts").fetchone()[0] == facts
        assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"

    again = run_cli("export", str(tmp_path), "--db", str(sample_crawl["db"]), "--release-version", "2026.01.02")
    assert again.returncode == 1 and "never overwritten" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_the_public_server_serves_the_release_byte_for_byte(sample_crawl, tmp_path):
    import asyncio

    import yaml
    from datasette.app import Datasette

    from govreports.public import public_metadata
    from govreports.serve import METADATA, release_metadata

    done = run_cli("export", str(tmp_path), "--db", str(sample_crawl["db"]), "--release-version", "1")
    assert done.returncode == 0, done.stderr
    release = tmp_path / "govreports-1"
    metadata = release_metadata(public_metadata(yaml.safe_load(METADATA.read_text(encoding="utf-8"))), release)

    async def get(*paths):
        ds = Datasette([str(sample_crawl["db"])], metadata=metadata)
        return [await ds.client.get(path) for path in paths]

    home, listing, facts, database, live, unlisted = asyncio.run(
        get("/", "/-/release", "/-/release/facts.csv", "/-/release/archive.db", "/archive.db", "/-/release/x.csv")
    )
    assert 'href="/-/release"' in home.text and "_dl=1" in home.text  # the home page links the downloads
    assert listing.status_code == 200 and all(name in listing.text for name in ("facts.csv", "datapackage.json"))
    assert facts.content == (release / "facts.csv").read_bytes()  # one BOM, the checksum holds
    assert database.content == (release / "archive.db").read_bytes()
    assert live.status_code == 404 and unlisted.status_code == 404  # the live file stays private
