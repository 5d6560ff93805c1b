import json
import subprocess
import sys

import pytest
from helpers import DOCUMENTS

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it


def run_extract(*args):
    return subprocess.run(
        [sys.executable, "-m", "govreports.cli", "extract", *args], capture_output=True, text=True, timeout=120
    )


def test_extract_prints_the_interface_json():
    path = next(DOCUMENTS.glob("seed_001_*.txt"))
    done = run_extract(str(path), "--url", "http://example.gov.cn/t20210106_1.html")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key in (
        "title",
        "agency",
        "year",
        "layout",
        "published",
        "sections",
        "text",
        "facts",
        "missing_tables",
        "checks",
    ):
        assert key in result
    assert set(result["sections"]) == {"overview", "proactive", "requests", "appeals", "problems", "other"}
    fact = next(f for f in result["facts"] if (f["table"], f["row"], f["col"]) == ("t2", "other_services", "change"))
    assert fact == {"table": "t2", "row": "other_services", "col": "change", "value": -13, "raw": "-13"}
    assert result["url"] == "http://example.gov.cn/t20210106_1.html"


def test_extract_of_a_missing_file_fails_with_one_line(tmp_path):
    done = run_extract(str(tmp_path / "nope.pdf"))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "nope.pdf" in done.stderr


def test_extract_of_a_broken_pdf_fails_with_one_line(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nbroken")
    done = run_extract(str(broken))
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1
