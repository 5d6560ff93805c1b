"""`govreports export DIR`: a versioned bulk release of the whole archive, in
DIR/govreports-<version>/ (a release folder is never overwritten):

- archive.db: a consistent copy of the database (storage/release.py), text and all;
- reports.csv, facts.csv (long: a row per cell), report_cells.csv and report_cells_zh.csv
  (wide: a row per report, the two layouts aligned, English keys or Chinese labels as
  headers), checks.csv, cell_labels.csv (the codebook of canonical cells): UTF-8 with a BOM
  (Excel opens them), whole numbers written as integers;
- datapackage.json: a Frictionless Data Package describing every file and column (type,
  description in Chinese and English from the canonical keys, primary keys), each file
  with its size and sha256;
- SHA256SUMS: `sha256sum -c SHA256SUMS` checks every file, datapackage.json included.

The version is the day of the export (YYYY.MM.DD) unless given. The originals (warcs/) are not
in a release: they are the archive's, too large to copy with every version.
"""

import csv
import datetime
import hashlib
import json
import shutil
from pathlib import Path

from tqdm import tqdm

import extractors
from extractors import keys
from storage import release as stored
from storage.views import REPORT_COLUMNS as WIDE_REPORT_COLUMNS

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel reads it as UTF-8
DATABASE_FILE = "archive.db"
CHECKSUMS_FILE = "SHA256SUMS"
TABLE_EN = {
    "t2": "Table 2 (proactive disclosure)",
    "t3": "Table 3 (requests for disclosure)",
    "t4": "Table 4 (administrative review and litigation)",
}
# Columns of the long tables: name -> (type, Chinese, English)
COLUMNS = {
    "id": (
        "string",
        "报告编号（由门户与原文地址生成，稳定不变）",
        "report id (from the portal and the original's URL; stable)",
    ),
    "report_id": ("string", "报告编号", "report id (reports.id)"),
    "url": ("string", "原文地址", "the report's URL"),
    "title": ("string", "标题", "title"),
    "agency": ("string", "发布机关", "publishing agency"),
    "year": ("integer", "报告年度", "year the report covers"),
    "layout": (
        "string",
        "表格版式（2019、2021、legacy）",
        "table layout: 2019, 2021 (the two official forms) or legacy",
    ),
    "published": ("string", "发布日期", "publication date as printed (ISO 8601 when known)"),
    "portal_id": ("string", "门户编号", "portal id in the registry"),
    "source_format": ("string", "原文格式", "format of the original: html, pdf, docx, doc, text"),
    "source_url": ("string", "提取所用文件的地址", "URL of the file the figures were read from"),
    "region": ("string", "地区", "region"),
    "level": ("string", "行政层级", "administrative level: national, province, city, county, township"),
    "facts_count": ("integer", "提取的统计数字个数", "number of figures extracted"),
    "checks_failed": ("integer", "未通过的勾稽校验条数", "number of consistency checks failed"),
    "check_status": ("string", "勾稽校验总体结果", "overall check result: pass, fail, not_assessable"),
    "table_key": ("string", "表（t2、t3、t4）", "table key (docs/tables.md)"),
    "row_key": ("string", "行", "row key"),
    "col_key": ("string", "列", "column key"),
    "value": ("number", "数值（金额为万元）", "value (amounts in 10,000 yuan)"),
    "raw": ("string", "原文单元格文字", "the cell's text as printed"),
    "flags": ("string", "标记（blank = 原文为空或横线，按 0 计）", "flags (blank: printed empty or a dash, read as 0)"),
    "confidence": ("number", "OCR 识别置信度（0-1）", "OCR confidence (0-1) of a value read from a picture"),
    "rule": ("string", "规则", "check rule"),
    "status": ("string", "结果", "check result: pass, fail, not_assessable"),
    "detail": ("string", "说明", "what was compared"),
    "column_name": ("string", "宽表中的列名", "its column in report_cells"),
    "label": ("string", "中文名称", "Chinese label"),
    "table_label": ("string", "表名", "table label"),
    "row_label": ("string", "行名", "row label"),
    "col_label": ("string", "列名", "column label"),
    "position": ("integer", "单元格顺序", "position of the cell"),
    "row_position": ("integer", "行顺序", "position of the row"),
    "col_index": ("integer", "列在所在行中的位置", "position of the column within its row as printed"),
}
ENGLISH_OF_WIDE_ZH = {zh: en for en, zh in WIDE_REPORT_COLUMNS}
PRIMARY_KEYS = {
    "reports": ["id"],
    "facts": ["report_id", "table_key", "row_key", "col_key"],
    "report_cells": ["id"],
    "report_cells_zh": ["报告编号"],
    "cell_labels": ["table_key", "row_key", "col_key"],
}
TITLES = {
    "reports": "年度报告 / reports",
    "facts": "统计数字（长表）/ facts, one row per cell",
    "report_cells": "宽表（英文列名）/ wide table, one row per report, English keys",
    "report_cells_zh": "宽表（中文列名）/ wide table, one row per report, Chinese labels",
    "checks": "勾稽校验 / consistency checks",
    "cell_labels": "单元格说明 / codebook of the canonical cells",
}


class ReleaseExists(ValueError):
    pass


def default_version(today=None):
    return (today or datetime.date.today()).strftime("%Y.%m.%d")


def write_release(db_path, out_dir, version=None):
    """Write the release of db_path into out_dir/govreports-<version>/; returns that folder."""
    version = version or default_version()
    folder = Path(out_dir) / f"govreports-{version}"
    if folder.exists():
        raise ReleaseExists(f"{folder} exists: a release is never overwritten (--release-version names another)")
    partial = folder.with_name(folder.name + ".partial")  # an interrupted export's is left behind
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    stored.copy_database(db_path, partial / DATABASE_FILE)
    db = stored.open_copy(partial / DATABASE_FILE)
    try:
        labels = stored.cell_labels(db)
        cells = {**labels, **{cell[3]: cell for cell in labels.values()}}
        total = stored.report_count(db)
        resources = [database_resource(partial)]
        for stem, (table, columns) in stored.RELEASE_TABLES.items():
            names, rows = stored.table_rows(db, table, columns)
            kinds = write_csv(partial / f"{stem}.csv", names, rows, stem, total)
            resources.append(csv_resource(partial, stem, names, kinds, cells))
        package = datapackage(version, resources, total, stored.extracted_until(db))
    finally:
        db.close()
    (partial / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    write_checksums(partial)
    partial.rename(folder)
    return folder


def write_csv(path, names, rows, stem, total):
    """Write rows as CSV; returns each column's kinds of values seen ({'int', 'float', 'str'})."""
    kinds = [set() for _ in names]
    with open(path, "w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        for row in tqdm(rows, desc=stem, unit=" rows", total=total if stem != "facts" else None, disable=None):
            row = [as_printed(value) for value in row]
            for seen, value in zip(kinds, row):
                if value is not None:
                    seen.add(type(value).__name__)
            writer.writerow(row)
    return kinds


def as_printed(value):
    """21.0 -> 21: a whole number is written as an integer."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def csv_resource(folder, stem, names, kinds, cells):
    fields = [field(name, seen, cells) for name, seen in zip(names, kinds)]
    schema = {"fields": fields}
    if stem in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[stem]
    if stem == "facts":
        schema["foreignKeys"] = [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["id"]}}]
    return {
        "name": stem,
        "path": f"{stem}.csv",
        "title": TITLES[stem],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        **file_facts(folder / f"{stem}.csv"),
        "schema": schema,
    }


def field(name, seen, cells):
    """A Table Schema field: its type from the values written (or, for an empty column, what
    it holds), its descriptions in Chinese and English. cells: a wide column's name or Chinese
    label -> its canonical cell and label."""
    if name in cells:
        return cell_field(name, seen, *cells[name])
    kind, chinese, english = COLUMNS[ENGLISH_OF_WIDE_ZH.get(name, name)]
    return {"name": name, "type": value_type(seen, kind), "title": chinese, "description": f"{chinese} / {english}"}


def cell_field(name, seen, table, row, col, chinese):
    """A wide table's column of one canonical cell."""
    english = f"{TABLE_EN[table]}, row {row}, column {col} (canonical keys, docs/tables.md)"
    if (table, row) == ("t3", "other"):
        english += (
            "; for a 2021 report printing its three rows (other_no_correction, other_no_fee, other_misc), their sum"
        )
    money = (row, col) in keys.MONEY_COLUMNS
    if money:
        english += "; 10,000 yuan"
    kind = value_type(seen, "number" if money else "integer")
    return {"name": name, "type": kind, "title": chinese, "description": f"{chinese} / {english}"}


def value_type(seen, default):
    """The Table Schema type of the values written: integer, number, or string."""
    if not seen:
        return default
    if "str" in seen:
        return "string"
    if "float" in seen or default == "number":
        return "number"
    return "integer"


def database_resource(folder):
    return {
        "name": "archive",
        "path": DATABASE_FILE,
        "title": "SQLite 数据库（全部表、全文与检索索引）/ the SQLite database: every table, full texts, search index",
        "format": "sqlite",
        "mediatype": "application/vnd.sqlite3",
        **file_facts(folder / DATABASE_FILE),
    }


def file_facts(path):
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256(path)}"}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def datapackage(version, resources, reports, extracted_until):
    return {
        "name": "govreports-archive",
        "title": "政府信息公开工作年度报告档案 / Annual reports on government information disclosure (China)",
        "version": version,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "description": (
            f"{reports} 份年度报告：三张统计表按统一口径提取为数字（docs/tables.md）。"
            f" {reports} annual reports, their three statistical tables as canonical figures."
        ),
        "licenses": [
            {
                "name": "CC0-1.0",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
                "title": "CC0 1.0（提取的数据；原文版权归发布机关）/ extracted data; originals remain the agencies'",
            }
        ],
        "sources": [
            {"title": "各级政府门户网站的政府信息公开年报栏目 / the annual-report columns of government portals"}
        ],
        "govreports": {
            "reports": reports,
            "extracted_until": extracted_until,
            "extractor_version": extractors.EXTRACTOR_VERSION.split()[0],
        },
        "resources": resources,
    }


def write_checksums(folder):
    """SHA256SUMS in the format of `sha256sum`, for every file of the release."""
    files = sorted(path for path in folder.iterdir() if path.name != CHECKSUMS_FILE)
    lines = [f"{sha256(path)}  {path.name}\n" for path in files]
    (folder / CHECKSUMS_FILE).write_text("".join(lines), encoding="utf-8")
