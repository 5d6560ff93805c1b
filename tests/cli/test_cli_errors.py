"""User errors end in one clear line and a non-zero exit (the traceback only with --debug);
one lock per database file, whatever path names it, taken by every command that writes."""

import fcntl
import os

import pytest
from helpers import run_cli

from storage.lock import DatabaseLocked, database_lock, holder


def assert_one_line(done, *words):
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0]


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "portals.yaml"
    path.write_text("- {id: a, start_urls: ['http://127.0.0.1:9/'], allow_private_addresses: true}\n")
    return path


def test_an_invalid_registry(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: a, start_urls: ['ftp://x/']}\n")
    assert_one_line(run_cli("crawl", "--portals", str(bad), "--db", str(tmp_path / "a.db")), "only http(s)")
    bad.write_text("- {id: [a\n")
    assert_one_line(run_cli("scout", "--portals", str(bad), "--db", str(tmp_path / "a.db")), "not valid YAML")


def test_a_database_in_a_missing_folder(tmp_path, registry):
    missing = tmp_path / "no" / "such" / "archive.db"
    for command in ("crawl", "scout", "reextract"):
        assert_one_line(
            run_cli(command, "--portals", str(registry), "--db", str(missing))
            if command != "reextract"
            else run_cli(command, "--db", str(missing)),
            "does not exist",
        )


def test_a_missing_database_for_commands_that_need_one(tmp_path):
    assert_one_line(run_cli("reextract", "--db", str(tmp_path / "a.db")), "does not exist")
    assert not (tmp_path / "a.db").exists()
    assert_one_line(run_cli("serve", "--db", str(tmp_path / "a.db")), "does not exist")


def test_a_file_that_is_not_a_database(tmp_path):
    db = tmp_path / "a.db"
    db.write_bytes(b"this is not sqlite" * 100)
    assert_one_line(run_cli("reextract", "--db", str(db)), "database")


@pytest.mark.parametrize("data", [b"<html><body><table class='meta'>\n", b"PK\x03\x04broken", b"%PDF-1.4 broken"])
def test_unreadable_documents(tmp_path, data):
    path = tmp_path / "doc.html"
    path.write_bytes(data)
    assert_one_line(run_cli("extract", str(path)), str(path))


def test_debug_shows_the_traceback(tmp_path):
    done = run_cli("--debug", "reextract", "--db", str(tmp_path / "a.db"))
    assert done.returncode != 0 and "Traceback" in done.stderr
    done = run_cli("reextract", "--db", str(tmp_path / "a.db"), "--debug")
    assert "Traceback" in done.stderr


def test_extract_stops_a_document_at_the_time_limit(tmp_path):
    """The CLI applies the crawl workers' limits: here a one-second limit on a page whose
    thousands of tables take longer to read."""
    rows = "".join(f"<tr><td>行政许可{i}</td><td>{i}</td><td>{i}</td></tr>" for i in range(30))
    page = tmp_path / "slow.html"
    page.write_text(
        "<html><body><div class='unknown'>" + f"<p>表</p><table>{rows}</table>" * 6000 + "</div></body></html>"
    )
    done = run_cli("extract", "--doc-timeout", "1", str(page))
    assert_one_line(done, "took longer than 1 s")


def test_extract_stops_a_document_at_the_memory_limit(tmp_path):
    """62 MB of paragraphs: under the 64 MiB bound on what is read, far over 700 MiB once parsed."""
    page = tmp_path / "big.html"
    page.write_text("<html><body><div class='TRS_Editor'>" + "<p>政府信息公开</p>" * 2_500_000 + "</div></body></html>")
    done = run_cli("extract", "--doc-memory-mb", "700", str(page))
    assert_one_line(done, "memory")


def other_names(tmp_path, db):
    """A symlink, a relative path with `..`, and a hard link in another folder, to db."""
    db.touch()
    (tmp_path / "other").mkdir()
    symlink, hard_link = tmp_path / "other" / "link.db", tmp_path / "other" / "hard.db"
    symlink.symlink_to(db)
    os.link(db, hard_link)
    return symlink, os.path.relpath(tmp_path / "other" / ".." / db.name), hard_link


def test_the_lock_belongs_to_the_database_file_whatever_names_it(tmp_path):
    db = tmp_path / "archive.db"
    names = other_names(tmp_path, db)
    with open(db) as handle:  # another process's lock, as flock sees it
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for name in names:
            with pytest.raises(DatabaseLocked, match=f"pid {os.getpid()}"):
                with database_lock(name):
                    pass
    with database_lock(names[-1]):  # free again; reentrant through any name
        with database_lock(db):
            assert holder(db) == f"pid {os.getpid()}"
    assert holder(db) is None


def test_every_writing_command_waits_for_the_lock(tmp_path, registry):
    db = tmp_path / "archive.db"
    run_cli("crawl", "--portals", str(registry), "--db", str(db))
    names = other_names(tmp_path, db)
    with open(db) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for name in names:
            for args in (("crawl", "--portals", str(registry)), ("scout", "--portals", str(registry)), ("reextract",)):
                done = run_cli(*args, "--db", str(name))
                assert done.returncode == 75, (args, done.stderr)
                assert_one_line(done, f"another govreports run (pid {os.getpid()})")


def test_migrations_take_the_lock(tmp_path):
    from storage.migrations import migrate

    db = tmp_path / "archive.db"
    db.touch()
    with open(db) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DatabaseLocked):
            migrate(db)
    migrate(db)
    with database_lock(db):  # reentrant: a command holding the lock migrates
        migrate(db)


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path):
    """`govreports extract report.txt | head`: the JSON (1 MB) outgrows the pipe, head leaves."""
    import subprocess
    import sys

    report = tmp_path / "report.txt"
    report.write_text("一、总体情况\n" + "本机关认真贯彻落实政府信息公开工作要求。\n" * 20000)
    process = subprocess.Popen(
        [sys.executable, "-m", "govreports.cli", "extract", str(report)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.read(10)
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def test_the_time_limit_cannot_be_swallowed_by_a_library(monkeypatch):
    """trafilatura retries under `except Exception`: a time limit raised there must still end
    the document, not let it finish with whatever the library salvaged."""
    import signal
    import time

    from govreports import extraction

    def swallowing_reader(data, **kwargs):
        try:
            time.sleep(3)
        except Exception:  # what the library does
            pass
        return {"facts": []}

    monkeypatch.setattr(extraction, "extract_document", swallowing_reader)
    previous = signal.signal(signal.SIGALRM, extraction._on_alarm)
    try:
        result, failure = extraction.extract_limited(b"x", "x.html", None, None, 1)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert result is None and failure[0] == "extract_timeout"


def test_only_regular_files_are_read_and_only_up_to_their_bound(tmp_path, registry):
    """/dev/zero, a pipe with no writer and a sparse file past the bound are refused before
    anything is read: in one line, at once, without memory to speak of."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sparse = tmp_path / "huge.html"
    with open(sparse, "wb") as handle:
        handle.truncate(65 * 2**20)  # past the crawl's 64 MiB body limit
    big_registry = tmp_path / "big.yaml"
    with open(big_registry, "wb") as handle:
        handle.truncate(5 * 2**20)
    db = str(tmp_path / "a.db")
    for args, words in (
        (("extract", str(fifo)), (str(fifo), "not a regular file")),
        (("extract", "/dev/zero"), ("/dev/zero", "not a regular file")),
        (("extract", str(sparse)), (str(sparse), "at most")),
        (("crawl", "--portals", "/dev/zero", "--db", db), ("/dev/zero", "not a regular file")),
        (("scout", "--portals", str(fifo), "--db", db), (str(fifo), "not a regular file")),
        (("crawl", "--portals", str(big_registry), "--db", db), ("at most",)),
    ):
        assert_one_line(run_cli(*args, timeout=60), *words)
    assert not os.path.exists(db)


@pytest.mark.parametrize("command", ["crawl", "scout", "reextract", "serve", "demo"])
def test_an_empty_database_name_or_a_device_is_refused(tmp_path, registry, command):
    args = ("--portals", str(registry)) if command in ("crawl", "scout") else ()
    if command == "demo":
        args = ("--no-serve",)
    assert_one_line(run_cli(command, *args, "--db", "", timeout=60), "--db needs the name of a database file")
    assert_one_line(run_cli(command, *args, "--db", "/dev/null", timeout=60), "not a regular file")
