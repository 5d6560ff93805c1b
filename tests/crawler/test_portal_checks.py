"""`govreports portals check` over hundreds of generated portals on the tests' network
(tests/check_portals.py): dead hosts, names that do not resolve, timeouts, a server error,
hosts that answer another site, dead ends, and portals whose annual-report column is found
from the home page or through the 信息公开 home. Production settings, but a short timeout."""

import collections
import csv
import json
import sqlite3

from check_portals import CheckPortals, registry_entry
from helpers import run_cli
from netns import CHECK_PORTALS, check_host, check_kind

from crawler.registry import dump_registry_file, load_registry

EXPECTED_FAILURE = {
    "dead": "connection",
    "dns": "dns",
    "timeout": "timeout",
    "http_500": "http_500",
    "other_site": "other_site",
}


def test_portals_check_over_hundreds_of_portals_fills_the_table_and_updates_the_registry(tmp_path):
    registry = tmp_path / "registry"
    registry.mkdir()
    half = CHECK_PORTALS // 2
    for name, numbers in (("a.yaml", range(half)), ("b.yaml", range(half, CHECK_PORTALS))):
        dump_registry_file(registry / name, [registry_entry(i) for i in numbers], "# generated\n\n")
    db, table = tmp_path / "archive.db", tmp_path / "checks.csv"
    with CheckPortals():
        done = run_cli(
            *("portals", "check", "--portals", str(registry), "--db", str(db), "--csv", str(table), "--update"),
            *("--set", "DOWNLOAD_TIMEOUT=5", "--set", "GOVREPORTS_PROGRESS_INTERVAL=0.5"),
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{CHECK_PORTALS:,}/{CHECK_PORTALS:,} portals 100%" in done.stderr  # the progress bar's last line
    assert "ETA" in done.stderr or "took" in done.stderr

    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["portal_id"]: dict(r) for r in conn.execute("select * from portal_checks")}
    assert len(rows) == CHECK_PORTALS
    kinds = collections.Counter()
    for i in range(CHECK_PORTALS):
        row, kind = rows[f"check_{i:03d}"], check_kind(i)
        kinds[kind] += 1
        if kind in EXPECTED_FAILURE:
            assert (row["verdict"], row["failure_kind"]) == ("failed", EXPECTED_FAILURE[kind]), (i, row)
            assert row["answers"] == (kind == "other_site"), (i, row)  # an HTTP 500 is no answer
        elif kind == "dead_end":
            assert (row["verdict"], row["columns_found"], row["failure_kind"]) == ("dead_end", 0, None), (i, row)
        else:
            column = f"http://{check_host(i)}/" + ("xxgk/nb/index.html" if kind == "xxgk" else "nb/index.html")
            assert row["verdict"] == "ok" and row["answers"] == 1, (i, row)
            assert [c["url"] for c in json.loads(row["column_urls"])] == [column], (i, row)
            assert row["first_page_reports"] == 2, (i, row)
            assert row["disclosure_home"] == (f"http://{check_host(i)}/xxgk/index.html" if kind == "xxgk" else None)
    assert all(kinds[k] for k in (*EXPECTED_FAILURE, "dead_end", "xxgk", "home_column")), kinds

    with open(table, encoding="utf-8-sig") as opened:
        listed = list(csv.DictReader(opened))
    assert len(listed) == CHECK_PORTALS
    verdicts = [r["verdict"] for r in listed]
    assert verdicts == sorted(verdicts, key=["failed", "dead_end", "ok"].index), "failures first, then dead ends"

    updated = {p["id"]: p for p in load_registry(registry)}  # still a valid registry
    for i in range(CHECK_PORTALS):
        portal, row = updated[f"check_{i:03d}"], rows[f"check_{i:03d}"]
        if row["verdict"] == "ok":
            assert portal["start_urls"] == [f"http://{check_host(i)}/", json.loads(row["column_urls"])[0]["url"]]
            assert portal["seen_at"][0] == "tests/check_portals.py"
            assert portal["seen_at"][1].startswith(f"checked {row['checked_at'][:10]}: {portal['start_urls'][1]}")
        else:
            assert portal["start_urls"] == [f"http://{check_host(i)}/"]
    assert (registry / "b.yaml").read_text(encoding="utf-8").startswith("# generated\n")
