"""`govreports`: crawl, extract, reextract, serve, demo (interfaces.md)."""

import argparse
import datetime
import json
import os
import signal
import sys
from pathlib import Path

DEFAULT_DB = "archive.db"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="on an error, show the full traceback")
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="crawl portals, archive originals, extract, write the database")
    crawl.add_argument(
        "--portals", help="registry: a YAML file or a folder of them (default: the bundled registry of real portals)"
    )
    crawl.add_argument("--portal", action="append", default=[], help="only this portal id (repeatable)")
    add_selection(crawl)
    crawl.add_argument("--db", default=DEFAULT_DB)
    crawl.add_argument("--settings", default="crawler.settings", help="Scrapy settings module")
    add_overrides(crawl)
    crawl.add_argument("--workers", type=int, default=None, help="extraction processes (default: all cores)")
    add_limits(crawl)
    crawl.add_argument(
        "--full", action="store_true", help="periodic full sweep: fetch known report pages and attachments again"
    )

    scout = commands.add_parser("scout", help="fetch only the first list page of each portal; say which changed")
    portals = commands.add_parser("portals", help="registry tools")
    portals.add_argument(
        "action",
        choices=["check"],
        help="check: fetch each portal's first pages (start URL, 信息公开 home, annual-report columns; "
        "the archive untouched); keep one row per portal in the table portal_checks and in a CSV",
    )
    portals.add_argument("--csv", default="portal-checks.csv", help="the check's CSV (default: portal-checks.csv)")
    portals.add_argument(
        "--update",
        action="store_true",
        help="write the columns found back into the registry files as extra start URLs (seen_at: checked <date>)",
    )
    for sub in (scout, portals):
        sub.add_argument("--portals", help="registry: a YAML file or a folder of them (default: the bundled registry)")
        sub.add_argument("--portal", action="append", default=[])
        add_selection(sub)
        sub.add_argument("--db", default=DEFAULT_DB)
        sub.add_argument("--settings", default="crawler.settings")
        add_overrides(sub)

    extract = commands.add_parser("extract", help="extract one document and print its JSON")
    extract.add_argument("file")
    extract.add_argument("--url")
    add_limits(extract)

    reextract = commands.add_parser("reextract", help="re-run the extractors over the archive, offline")
    reextract.add_argument("--db", default=DEFAULT_DB)
    reextract.add_argument("--workers", type=int, default=None)
    add_limits(reextract)

    recheck = commands.add_parser(
        "recheck", help="request every known report URL again (conditionally): record changes and removals"
    )
    recheck.add_argument("--db", default=DEFAULT_DB)
    recheck.add_argument("--portal", action="append", default=[], help="only this portal id (repeatable)")
    recheck.add_argument("--settings", default="crawler.settings", help="Scrapy settings module")
    recheck.add_argument("--workers", type=int, default=None, help="extraction processes (default: all cores)")

    serve = commands.add_parser("serve", help="Datasette on 127.0.0.1")
    serve.add_argument("--db", default=DEFAULT_DB)
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    serve.add_argument(
        "--public",
        action="store_true",
        help="public serving mode: no custom SQL, no /-/ debug pages or file paths, "
        "searches and other queries in bounded lanes",
    )

    demo = commands.add_parser("demo", help="offline end to end: sample portal -> crawl -> serve")
    demo.add_argument("--db", default=DEFAULT_DB)
    demo.add_argument("--port", type=int, default=8001)
    demo.add_argument(
        "--portal-port",
        type=int,
        default=8765,
        help="port of the sample portal (fixed, so a second demo run finds the same URLs)",
    )
    demo.add_argument("--no-serve", action="store_true", help="stop after the crawl")

    for command in commands.choices.values():
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help="on an error, show the full traceback"
        )
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader went away (`govreports extract x.pdf | head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE
    except Exception as error:
        if args.debug or not is_user_error(error):
            raise
        print(f"govreports {args.command}: {user_message(error)}", file=sys.stderr)
        return exit_status(error)


class UsageError(ValueError):
    pass


def database_path(db_path, must_exist=False):
    """db_path, once its folder (and, for commands that only read or rework an archive, the
    file itself) is known to exist."""
    if not str(db_path).strip():
        raise UsageError("--db needs the name of a database file")
    folder = Path(db_path).resolve().parent
    if Path(db_path).exists() and not Path(db_path).is_file():
        raise UsageError(f"--db {db_path} is not a regular file")
    if not folder.is_dir():
        raise UsageError(f"--db {db_path}: the folder {folder} does not exist")
    if must_exist and not Path(db_path).is_file():
        raise UsageError(f"--db {db_path} does not exist (run govreports crawl or demo first)")
    return db_path


def is_user_error(error):
    """Errors of the input or the environment, told in one line (a bug keeps its traceback)."""
    import sqlite3

    from crawler.failures import CannotWrite
    from crawler.registry import RegistryError
    from crawler.run import CrawlStopped
    from extractors import DocumentError
    from govreports.extraction import Interrupted
    from storage.lock import DatabaseLocked

    user_errors = (UsageError, RegistryError, DatabaseLocked, CannotWrite, CrawlStopped, Interrupted, DocumentError)
    return isinstance(error, (*user_errors, OSError, sqlite3.Error))


def user_message(error):
    import sqlite3

    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error}"
    if isinstance(error, sqlite3.Error):
        return f"the database cannot be used: {error}"
    return str(error)


def exit_status(error):
    from crawler.failures import CannotWrite
    from crawler.run import CrawlStopped
    from govreports.extraction import ArchiveUnreadable, Interrupted
    from storage.lock import LOCKED_EXIT_STATUS, DatabaseLocked

    if isinstance(error, (CannotWrite, ArchiveUnreadable)):
        return CANNOT_WRITE_EXIT_STATUS
    if isinstance(error, (Interrupted, CrawlStopped)):
        return 128 + error.signum  # as a shell reports a process ended by that signal
    return LOCKED_EXIT_STATUS if isinstance(error, DatabaseLocked) else 1


CANNOT_WRITE_EXIT_STATUS = 74  # EX_IOERR: the disk is full, read-only or forbidden


def add_overrides(parser):
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="override one Scrapy setting for this run, e.g. --set DOWNLOAD_TIMEOUT=60 (repeatable)",
    )


def overrides(args):
    """{'DOWNLOAD_TIMEOUT': '60'} from --set DOWNLOAD_TIMEOUT=60."""
    pairs = [item.partition("=") for item in args.overrides]
    bad = [name for name, sep, _ in pairs if not sep or not name]
    if bad:
        raise UsageError(f"--set takes NAME=VALUE, got {bad[0]!r}")
    return {name: value for name, _, value in pairs}


def add_limits(parser):
    from govreports.extraction import DOC_TIME_LIMIT, WORKER_MEMORY_LIMIT

    parser.add_argument(
        "--doc-timeout",
        type=int,
        default=DOC_TIME_LIMIT,
        help=f"seconds one document may take to extract (default {DOC_TIME_LIMIT})",
    )
    parser.add_argument(
        "--doc-memory-mb",
        type=int,
        default=WORKER_MEMORY_LIMIT // 2**20,
        help="address space of one extraction worker, MiB",
    )


def limits(args):
    return {"time_limit": args.doc_timeout, "memory_limit": args.doc_memory_mb * 2**20, "progress": show_progress}


def show_progress(done, total):
    """A progress line on stderr: redrawn on a terminal, every 10% in a log."""
    if sys.stderr.isatty():
        width = 30
        filled = width * done // max(total, 1)
        print(f"\rextracting [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
        if done == total:
            print(file=sys.stderr)
    elif total and (done == total or done % max(1, total // 10) == 0):
        print(f"extracting: {done}/{total}", file=sys.stderr)


def cmd_extract(args):
    """One document, in a worker under the crawl's time and memory limits."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from crawler.settings import DOWNLOAD_MAXSIZE
    from govreports.extraction import extract_limited, limit_worker, stop_pool
    from storage.files import read_regular_file

    try:  # no larger than the crawl ever archives
        data = read_regular_file(args.file, DOWNLOAD_MAXSIZE)
    except OSError as error:
        print(f"govreports extract: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    memory_limit = args.doc_memory_mb * 2**20
    with ProcessPoolExecutor(1, initializer=limit_worker, initargs=(memory_limit, os.getpid())) as worker:
        try:
            result, failure = worker.submit(extract_limited, data, args.file, args.url, None, args.doc_timeout).result()
        except BrokenProcessPool:
            result, failure = None, ("worker_crash", "the extraction process died (out of memory or crashed)")
        except KeyboardInterrupt:  # the worker leaves Ctrl-C to this process: it is stopped here
            stop_pool(worker)
            print("govreports extract: interrupted", file=sys.stderr)
            return 128 + signal.SIGINT
    if failure:
        print(f"govreports extract: {args.file}: {failure[1]}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def add_selection(command):
    command.add_argument(
        "--region",
        action="append",
        default=[],
        help="only portals in this region: a name it starts with (江苏省, 江苏省南京市) or a division code (repeatable)",
    )
    command.add_argument(
        "--level",
        action="append",
        default=[],
        choices=["national", "province", "city", "county", "township"],
        help="only portals of this level (repeatable); combines with --region and --portal",
    )


def selected_portals(args, command):
    from crawler.registry import load_registry, select_portals

    portals = select_portals(load_registry(args.portals), args.region, args.level, args.portal)
    if not portals:
        raise SystemExit(f"govreports {command}: no portal in the registry matches that selection")
    return portals


def cmd_crawl(args):
    return crawl_and_extract(
        selected_portals(args, "crawl"),
        database_path(args.db),
        args.settings,
        args.workers,
        args.full,
        limits(args),
        overrides(args),
    )


def crawl_and_extract(
    portals,
    db_path,
    settings_module="crawler.settings",
    workers=None,
    full=False,
    extract_limits=None,
    settings_overrides=None,
):
    from crawler.run import run_crawl
    from govreports.extraction import extract_pending
    from govreports.health import TABLE_UP_TO, print_summary, record_health
    from storage.lock import database_lock

    with database_lock(db_path):
        health = run_crawl(portals, db_path, settings_module, settings_overrides, full=full, progress=True)
        counts = extract_pending(db_path, workers=workers, **(extract_limits or {}))
        crawled_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        rows = record_health(db_path, portals, health, due_year(), crawled_at)
    if len(portals) <= TABLE_UP_TO:
        print_health(portal_health(db_path, health), counts, {row["portal_id"]: row for row in rows})
    else:
        print_extracted(counts)
    print_summary(rows, due_year())
    return 0


HEALTH_COLUMNS = (
    ("list_pages", "list pages"),
    ("list_not_modified", "304"),
    ("known_skipped", "known"),
    ("detail_fetched", "details"),
    ("attachments_fetched", "attachm."),
    ("reports", "reports"),
    ("columns", "columns"),
    ("candidates", "candid."),
    ("rejects", "rejects"),
    ("failures", "failures"),
)


def due_year(today=None):
    """The latest year whose reports are due: a year's report is due by 31 January after it."""
    today = today or datetime.date.today()
    return today.year - 1 if (today.month, today.day) > (1, 31) else today.year - 2


def portal_health(db_path, health):
    """Per portal, what this crawl did (stats) and what the archive holds (reports of every
    year, rejects, open failures), with the latest due year's report present or not."""
    from storage import portal_status, schema

    db = schema.open_db(db_path)
    rows = {
        portal_id: {**stats, **portal_status.portal_counts(db, portal_id, due_year())}
        for portal_id, stats in health.items()
    }
    db.close()
    return rows


def print_health(rows, counts, health_rows):
    """The per-portal table; a portal without the due year's report says why (no_reports_reason)."""
    print(f"{'portal':<28}" + "".join(f" {label:>9}" for _, label in HEALTH_COLUMNS))
    for portal_id, stats in rows.items():
        flag = ""
        if stats.get("reports", 0) == 0:
            flag = "  <- FAILING: 0 reports"
        elif not stats.get("due"):
            flag = f"  <- no report for {due_year()} yet"
        why = health_rows.get(portal_id, {}).get("no_reports_reason")
        if flag and why:
            flag += f" ({why})"
        print(f"{portal_id:<28}" + "".join(f" {stats.get(key, 0):>9}" for key, _ in HEALTH_COLUMNS) + flag)
    print_extracted(counts)


def print_extracted(counts):
    print(
        f"extracted {counts['extracted']} reports ({counts['changed']} changed, "
        f"{counts['duplicates']} duplicates of another report), {counts['failed']} could not be read, "
        f"{counts.get('rejected', 0)} judged no report by their content"
    )


def cmd_scout(args):
    from crawler.run import run_crawl
    from storage import crawl_records, schema
    from storage.lock import database_lock
    from storage.migrations import migrate

    portals = selected_portals(args, "scout")
    with database_lock(database_path(args.db)):
        migrate(args.db)
        db = schema.open_db(args.db)
        before = {p["id"]: crawl_records.latest_fetch(db, p["start_urls"][0]) for p in portals}
        db.close()
        health = run_crawl(portals, args.db, args.settings, overrides(args), scout=True, progress=True)
    db = schema.open_db(args.db)
    print(f"{'portal':<28} {'status':<10} {'family':<22} first list page")
    for portal in portals:
        url = portal["start_urls"][0]
        after = crawl_records.latest_fetch(db, url)
        stats = health[portal["id"]]
        if stats.get("failed") or not (stats.get("list_pages") or stats.get("list_not_modified")):
            status = "FAILED"
        elif before[portal["id"]] is None:
            status = "new"
        elif stats.get("list_not_modified") or (after and after[0] == before[portal["id"]][0]):
            status = "unchanged"
        else:
            status = "CHANGED"
        print(f"{portal['id']:<28} {status:<10} {family_verdict(portal, stats):<22} {url}")
    db.close()
    return 0


def family_verdict(portal, stats):
    """'trs ok', 'hanweb: looks like trs', or 'looks like gkmlpt' when the registry names none."""
    looks = next((key[len("looks_like_") :] for key in stats if key.startswith("looks_like_")), None)
    if looks is None:
        return "-"
    declared = portal.get("family")
    if declared is None:
        return f"looks like {looks}"
    return f"{declared} ok" if declared == looks else f"{declared}: looks like {looks}"


def cmd_reextract(args):
    from govreports.extraction import extract_pending
    from storage.lock import database_lock
    from storage.migrations import migrate

    with database_lock(database_path(args.db, must_exist=True)):
        migrate(args.db)
        counts = extract_pending(args.db, workers=args.workers, only_changed=True, **limits(args))
    print(
        f"re-extracted {counts['extracted']} reports ({counts['changed']} changed, "
        f"{counts['duplicates']} duplicates of another report), {counts['failed']} could not be read"
    )
    return 0


def cmd_serve(args):
    from govreports.serve import serve

    return serve(database_path(args.db, must_exist=True), args.port, args.host, args.public)


def cmd_demo(args):
    from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

    database_path(args.db)
    with FixtureServer(SAMPLE_PORTAL, port=args.portal_port):
        start = f"http://localhost:{args.portal_port}/xxgk/zfxxgknb/index.html"
        portals = [
            {
                "id": "sample_county",
                "name": "示例县人民政府",
                "region": "示例省示例市示例县",
                "level": "county",
                "family": "trs",
                "allow_private_addresses": True,
                "start_urls": [start],
            }
        ]
        print(f"sample portal on {start}")
        crawl_and_extract(portals, args.db)
    if args.no_serve:
        return 0
    from govreports.serve import serve

    return serve(args.db, args.port)


def cmd_recheck(args):
    """The light re-check of known report URLs (govreports/recheck.py)."""
    from govreports.recheck import print_recheck, recheck

    print_recheck(recheck(database_path(args.db, must_exist=True), args.portal, args.settings, args.workers))
    return 0


def cmd_portals(args):
    """Check a registry against the portals themselves (govreports/portal_checks.py)."""
    from govreports.portal_checks import check_portals

    portals = selected_portals(args, "portals check")
    return check_portals(
        portals, database_path(args.db), args.csv, args.portals, args.update, args.settings, overrides(args)
    )


COMMANDS = {
    "crawl": cmd_crawl,
    "extract": cmd_extract,
    "reextract": cmd_reextract,
    "serve": cmd_serve,
    "demo": cmd_demo,
    "scout": cmd_scout,
    "portals": cmd_portals,
    "recheck": cmd_recheck,
}

if __name__ == "__main__":
    sys.exit(main())
