"""The archive stays trustworthy over years of scheduled runs: WARC files that verify,
revisits for identical payloads, full sweeps, resume after SIGKILL, no overlapping runs,
scout, and reextract that rewrites exactly what changed."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml
from helpers import FIXTURES, SAMPLE_HOST, run_cli, site
from warcio.archiveiterator import ArchiveIterator

from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer
from storage.lock import holder
from storage.warc import archive_dir

COPY_HOST = "www.shili-copy.gov.cn"  # the sample portal again, while the module's server holds SAMPLE_HOST
COMPARED = {  # the tables a resumed crawl must reproduce, minus times
    "reports": "id, url, title, agency, year, layout, published, source_format, source_url, facts_count, "
    "checks_failed, content_hash, text",
    "facts": "report_id, table_key, row_key, col_key, value, raw, flags",
    "checks": "report_id, rule, status, detail",
    "documents": "url, portal_id, role, parent_url, doc_key, title, sha256",
    "fetches": "url, sha256, status, size",
}


def write_registry(path, url):
    path.write_text(yaml.safe_dump([{"id": "sample_county", "start_urls": [f"{url}/xxgk/zfxxgknb/index.html"]}]))
    return path


def crawl(registry, db, *extra):
    done = run_cli("crawl", "--portals", str(registry), "--db", str(db), *extra)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def snapshot(db):
    with sqlite3.connect(db) as conn:
        return {
            table: sorted(conn.execute(f"select {cols} from {table}").fetchall()) for table, cols in COMPARED.items()
        }


def warc_records(db):
    records = []
    for path in sorted(archive_dir(db).iterdir()):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                records.append((path.name, record.rec_type, record.rec_headers, record.http_headers))
    return records


@pytest.fixture(scope="module")
def server():
    with FixtureServer(SAMPLE_PORTAL, host=SAMPLE_HOST) as running:
        yield running


def test_warc_files_verify_and_describe_the_crawl(sample_crawl):
    files = sorted(archive_dir(sample_crawl["db"]).iterdir())
    assert files and all(f.name.endswith(".warc.gz") for f in files)
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "warcio"), "check", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    records = warc_records(sample_crawl["db"])
    info = [r for r in records if r[1] == "warcinfo"]
    assert len(info) == len(files)
    assert all(r[2].get_header("WARC-Type") for r in records)
    responses = [r for r in records if r[1] == "response"]
    requests = [r for r in records if r[1] == "request"]
    assert len(requests) == len(responses) + sum(r[1] == "revisit" for r in records)
    for _, _, headers, _ in responses:
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert headers.get_header("WARC-Block-Digest").startswith("sha1:")
    gzipped = [r for r in responses if r[3].get_header("Content-Encoding") == "gzip"]
    assert gzipped, "the gzip-served list page is archived still encoded"


def test_warcinfo_names_software_operator_robots_and_user_agent(sample_crawl):
    path = sorted(archive_dir(sample_crawl["db"]).iterdir())[0]
    with open(path, "rb") as handle:
        record = next(iter(ArchiveIterator(handle)))
        text = record.content_stream().read().decode()
    for field in ("software: govreports/", "operator: ", "robots: obey", "http-header-user-agent: govreports/"):
        assert field in text


def test_full_sweep_writes_revisits_and_no_new_rows(server, tmp_path):
    registry = write_registry(tmp_path / "portals.yaml", server.url)
    db = tmp_path / "archive.db"
    crawl(registry, db)
    before = snapshot(db)
    output = crawl(registry, db, "--full")
    assert snapshot(db) == before
    line = next(l for l in output.splitlines() if l.startswith("sample_county")).split()
    assert line[4:6] == ["13", "3"]  # every report page and attachment fetched again
    revisits = [r for r in warc_records(db) if r[1] == "revisit"]
    assert len(revisits) == 16
    assert all(r[2].get_header("WARC-Refers-To-Target-URI") for r in revisits)


def test_killed_crawl_resumes_to_the_same_database(tmp_path):
    with FixtureServer(SAMPLE_PORTAL, host=COPY_HOST) as fast:
        reference = tmp_path / "reference" / "archive.db"
        reference.parent.mkdir()
        crawl(write_registry(tmp_path / "fast.yaml", fast.url), reference)
    with FixtureServer(SAMPLE_PORTAL, delay=0.15, host=COPY_HOST) as slow:
        registry = write_registry(tmp_path / "slow.yaml", slow.url)
        db = tmp_path / "killed" / "archive.db"
        db.parent.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "govreports.cli", "crawl", "--portals", str(registry), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.2)
            try:
                with sqlite3.connect(db) as conn:
                    if conn.execute("select count(*) from documents").fetchone()[0] >= 5:
                        break
            except sqlite3.Error:
                continue
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("select count(*) from reports").fetchone()[0] == 0  # killed before extraction
        crawl(registry, db)
    resumed, expected = snapshot(db), snapshot(reference)

    def port(rows):
        return [tuple(str(v).replace(slow.url, "URL").replace(fast.url, "URL") for v in row) for row in rows]

    for table in COMPARED:
        if table == "reports" or table == "facts" or table == "checks":
            assert len(resumed[table]) == len(expected[table]), table
        assert sorted(port(resumed[table])) == sorted(port(expected[table])), table
    files = sorted(archive_dir(db).iterdir())
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "warcio"), "check", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not any(f.name.endswith(".open") for f in files)


# `govreports crawl` that kills itself with SIGKILL right after storing its second report
# a crawl killed while writing its third report, storing BATCH reports a transaction
CRAWL_KILLED_AT_THE_THIRD_REPORT = """
import os, signal, sys
from govreports import cli, extraction
from storage import reports
extraction.WRITE_BATCH = int(os.environ["BATCH"])
save_reports, saved = reports.save_reports, []
def save_then_die(db, entries):
    changed = save_reports(db, entries)
    saved.append(entries)
    if len(saved) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return changed
reports.save_reports = save_then_die
sys.exit(cli.main(sys.argv[1:]))
"""
# Columns that hold times or where bytes sit in the WARC files: they differ between any two runs
RUN_COLUMNS = {
    "applied_at",
    "fetched_at",
    "last_fetched_at",
    "discovered_at",
    "changed_at",
    "extracted_at",
    "recorded_at",
    "judged_at",
    "first_seen",
    "last_seen",
    "seen_at",
    "warc_file",
    "warc_offset",
    "warc_date",
    "headers",
}
# Tables that describe the latest run itself (what it found new, what it skipped as known)
RUN_TABLES = {"portal_health", "portal_checks"}


def every_table(db):
    """Every table's rows (of the search index, its document sizes), run columns left out."""
    with sqlite3.connect(db) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type = 'table' and "
                "(name not like 'reports_fts%' or name = 'reports_fts_docsize')"
            )
        ]
        tables = {}
        for name in [n for n in names if n not in RUN_TABLES]:
            columns = [r[1] for r in conn.execute(f"pragma table_info([{name}])") if r[1] not in RUN_COLUMNS]
            tables[name] = sorted(
                conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{name}]"), key=repr
            )
    return tables


@pytest.mark.parametrize("batch", [1, 500])
def test_a_kill_during_extraction_leaves_the_same_database_after_the_next_run(tmp_path, batch):
    """SIGKILL while the third report is written. One report a transaction: two reports of
    one agency (2023, 2022) are stored, and the next crawl stores the rest and must also
    write the cross-year check of the pair it did not extract. In batches: the batch open
    at the kill is lost as a whole, never in part, and the next crawl writes it again."""
    openness = FIXTURES / "portals" / "openness"
    with FixtureServer(openness, host=site(openness)["host"]):
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump([{"id": "openness", "start_urls": site(openness)["start_urls"]}]))
        reference, db = tmp_path / "reference" / "archive.db", tmp_path / "killed" / "archive.db"
        reference.parent.mkdir()
        db.parent.mkdir()
        crawl(registry, reference)
        killed = subprocess.run(
            [
                sys.executable,
                "-c",
                CRAWL_KILLED_AT_THE_THIRD_REPORT,
                "crawl",
                "--portals",
                str(registry),
                "--db",
                str(db),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
            env={**os.environ, "BATCH": str(batch)},
        )
        assert killed.returncode == -signal.SIGKILL
        with sqlite3.connect(db) as conn:
            stored = conn.execute("select count(*) from reports").fetchone()[0]
            assert stored == 2 if batch == 1 else stored < 3
            # every stored report is whole: its text, facts and search entry
            assert (
                conn.execute(
                    "select count(*) from report_rows r join report_texts t on t.num = r.num "
                    "join reports_fts_docsize d on d.id = r.num where r.facts_count = "
                    "(select count(*) from fact_values f where f.report = r.num)"
                ).fetchone()[0]
                == stored
            )
        crawl(registry, db)
    resumed, expected = every_table(db), every_table(reference)
    assert resumed.keys() == expected.keys()
    for table in expected:
        assert resumed[table] == expected[table], table
    assert any("cross_year_carry" in row for row in expected["checks"])


def test_overlapping_runs_do_not_corrupt_anything(tmp_path):
    with FixtureServer(SAMPLE_PORTAL, delay=0.05, host=COPY_HOST) as slow:
        registry = write_registry(tmp_path / "portals.yaml", slow.url)
        db = tmp_path / "archive.db"
        first = subprocess.Popen(
            [sys.executable, "-m", "govreports.cli", "crawl", "--portals", str(registry), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while holder(db) is None:
            time.sleep(0.05)
        second = run_cli("crawl", "--portals", str(registry), "--db", str(db))
        assert second.returncode == 75 and "another govreports run" in second.stderr
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from reports").fetchone()[0] == 13


def test_scout_fetches_only_first_list_pages(server, tmp_path):
    registry = write_registry(tmp_path / "portals.yaml", server.url)
    db = tmp_path / "archive.db"
    first = run_cli("scout", "--portals", str(registry), "--db", str(db))
    assert first.returncode == 0 and "new" in first.stdout
    again = run_cli("scout", "--portals", str(registry), "--db", str(db))
    assert "unchanged" in again.stdout
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("select url from fetches")] == [f"{server.url}/xxgk/zfxxgknb/index.html"]
        assert conn.execute("select count(*) from documents").fetchone()[0] == 0


def test_reextract_rewrites_exactly_the_reports_an_extractor_change_affects(server, tmp_path, monkeypatch):
    import extractors
    from extractors import metadata
    from govreports.extraction import extract_pending

    db = tmp_path / "archive.db"
    crawl(write_registry(tmp_path / "portals.yaml", server.url), db)
    with sqlite3.connect(db) as conn:
        before = {r[0]: r[1:] for r in conn.execute("select id, version, changed_at, agency from reports")}
        facts_before = conn.execute("select * from fact_values order by report, cell").fetchall()
    time.sleep(1.1)  # changed_at has one-second resolution

    original = metadata.find_agency

    def renamed(title, paragraphs, hint=None):  # "an improved extractor" that changes one agency
        agency = original(title, paragraphs, hint)
        return "示例县教育体育局" if agency == "示例县教育局" else agency

    monkeypatch.setattr("extractors.report.find_agency", renamed)
    monkeypatch.setattr(extractors, "EXTRACTOR_VERSION", "9.9.9")
    counts = extract_pending(db, workers=1)
    assert counts == {"extracted": 13, "changed": 1, "failed": 0, "duplicates": 0, "rejected": 0}
    with sqlite3.connect(db) as conn:
        after = {r[0]: r[1:] for r in conn.execute("select id, version, changed_at, agency from reports")}
        stamps = {r[0] for r in conn.execute("select extractor_version from reports")}
        versions = conn.execute(
            "select report_id, version, extractor_version from report_versions where version > 1"
        ).fetchall()
        facts_after = conn.execute("select * from fact_values order by report, cell").fetchall()
        nums = dict(conn.execute("select id, num from report_rows"))
    changed = [rid for rid in before if before[rid] != after[rid]]
    assert len(changed) == 1 and after[changed[0]][2] == "示例县教育体育局" and after[changed[0]][0] == 2
    assert stamps == {"9.9.9"}
    assert versions == [(changed[0], 2, "9.9.9")]
    untouched = [row for row in facts_before if row[0] != nums[changed[0]]]
    assert [row for row in facts_after if row[0] != nums[changed[0]]] == untouched
    assert extract_pending(db, workers=1)["extracted"] == 0  # nothing left to do
