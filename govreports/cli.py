"""The `govreports` command line (click; the contract in docs/interfaces.md): crawl, scout,
portals check, extract, reextract, serve, demo, export. Each command parses its options here and
calls the modules that do the work."""

import datetime
import functools
import json
import os
import signal
import sys
import types
from importlib.metadata import version
from pathlib import Path

import click
from tqdm import tqdm

from govreports.extraction import DOC_TIME_LIMIT, WORKER_MEMORY_LIMIT

DEFAULT_DB = "archive.db"
LEVELS = ("national", "province", "city", "county", "township")
QUIET_LOG = {"LOG_LEVEL": "WARNING"}  # Scrapy's log without -v: its warnings and errors only
SEARCH_PAGE = "/-/search"


def main(argv=None):
    """The console script: the command's exit status (0 done; see docs/interfaces.md)."""
    try:
        status = govreports.main(args=argv, prog_name="govreports", standalone_mode=False, obj={})
    except click.ClickException as error:  # a usage mistake: Click's message, exit 2
        error.show()
        return error.exit_code
    except click.Abort:
        print("govreports: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    return status or 0


def remember(flag):
    """An option's callback that notes the flag for the whole run, given before or after the command."""

    def note(ctx, param, value):
        if value:
            ctx.ensure_object(dict)[flag] = True

    return note


def run_options(command):
    """--debug and -v, taken by the group and by every command."""
    command = click.option(
        "--debug", is_flag=True, expose_value=False, callback=remember("debug"),
        help="On an error, show the full traceback.",
    )(command)  # fmt: skip
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=remember("verbose"),
        help="Show Scrapy's log (without it only its warnings and errors).",
    )(command)  # fmt: skip


def print_version(ctx, param, value):
    """--version: 'govreports 0.1.0 (extractor 0.4.2)'."""
    from extractors import EXTRACTOR_VERSION

    if value:
        click.echo(f"govreports {version('govreports')} (extractor {EXTRACTOR_VERSION.split()[0]})")
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=print_version,
    help="Show the version (and the extractors') and exit.",
)  # fmt: skip
@run_options
def govreports():
    """govreports: crawl, archive and extract China's 政府信息公开工作年度报告, and serve them
    (docs/interfaces.md). `govreports COMMAND --help` tells a command's options."""


def command(group, name, **settings):
    """Register `function(args)` as a command of `group`: it gets the options (those its
    decorators below declare) as one namespace, plus debug and verbose; an error of the user or
    the environment ends in one line and an exit status."""

    def decorate(function):
        @group.command(name, **settings)
        @run_options
        @click.pass_context
        @functools.wraps(function)
        def invoke(ctx, **options):
            args = types.SimpleNamespace(**options, **{"debug": False, "verbose": False, **ctx.obj})
            return run(ctx.command_path.removeprefix("govreports "), function, args)

        return function  # the command is registered; the function stays callable as it is

    return decorate


def run(name, function, args):
    try:
        return function(args)
    except BrokenPipeError:  # the reader went away (`govreports extract x.pdf | head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE
    except Exception as error:
        if args.debug or not is_user_error(error):
            raise
        print(f"govreports {name}: {user_message(error)}", file=sys.stderr)
        return exit_status(error)


def db_option(help_text="the SQLite database (default: archive.db)"):
    return click.option("--db", default=DEFAULT_DB, metavar="PATH", help=help_text[0].upper() + help_text[1:] + ".")


def registry_options(function):
    """--portals, --portal, --region, --level: which portals of which registry."""
    for option in reversed(
        (
            click.option(
                "--portals", metavar="FILE|FOLDER",
                help="Registry: a YAML file or a folder of them (default: the bundled registry of real portals).",
            ),
            click.option("--portal", multiple=True, metavar="ID", help="Only this portal id (repeatable)."),
            click.option(
                "--region", multiple=True, metavar="R",
                help="Only portals in this region: a name it starts with (江苏省, 江苏省南京市) or a division code "
                "(320000, 320100) (repeatable).",
            ),
            click.option(
                "--level", multiple=True, type=click.Choice(LEVELS),
                help="Only portals of this level (repeatable); combines with --region and --portal.",
            ),
        )
    ):  # fmt: skip
        function = option(function)
    return function


def crawl_options(function):
    """--settings and --set: the Scrapy settings of the run."""
    function = click.option(
        "--set", "overrides", multiple=True, metavar="NAME=VALUE",
        help="Override one Scrapy setting for this run, e.g. --set DOWNLOAD_TIMEOUT=60 (repeatable).",
    )(function)  # fmt: skip
    return click.option(
        "--settings",
        default="crawler.settings",
        metavar="MODULE",
        help="Scrapy settings module (default: crawler.settings).",
    )(function)


def limit_options(function):
    """--doc-timeout and --doc-memory-mb: the limits of one extraction worker."""
    function = click.option(
        "--doc-memory-mb", type=int, default=WORKER_MEMORY_LIMIT // 2**20, metavar="MIB",
        help=f"Address space of one extraction worker, MiB (default {WORKER_MEMORY_LIMIT // 2**20}).",
    )(function)  # fmt: skip
    return click.option(
        "--doc-timeout", type=int, default=DOC_TIME_LIMIT, metavar="SECONDS",
        help=f"Seconds one document may take to extract (default {DOC_TIME_LIMIT}).",
    )(function)  # fmt: skip


def workers_option(function):
    return click.option(
        "--workers", type=int, default=None, metavar="N", help="Extraction processes (default: all cores)."
    )(function)


@govreports.group("portals")
def portals_group():
    """Registry tools."""


def serve_options(function):
    function = click.option(
        "--port", type=int, default=8001, metavar="N", help="Port of the Datasette server (default 8001)."
    )(function)
    return db_option()(function)


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
    from govreports.release import ReleaseExists
    from storage.lock import DatabaseLocked

    user_errors = (
        UsageError, RegistryError, DatabaseLocked, CannotWrite, CrawlStopped, Interrupted, DocumentError, ReleaseExists,
    )  # fmt: skip
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


def overrides(args):
    """{'DOWNLOAD_TIMEOUT': '60'} from --set DOWNLOAD_TIMEOUT=60."""
    pairs = [item.partition("=") for item in args.overrides]
    bad = [name for name, sep, _ in pairs if not sep or not name]
    if bad:
        raise UsageError(f"--set takes NAME=VALUE, got {bad[0]!r}")
    return {name: value for name, _, value in pairs}


def limits(args):
    return {
        "time_limit": args.doc_timeout,
        "memory_limit": args.doc_memory_mb * 2**20,
        "progress": extraction_progress(),
    }


def extraction_progress():
    """progress(done, total) for an extraction run: a tqdm bar on a terminal, a line every 10%
    into a file or pipe."""
    bar = None

    def progress(done, total):
        nonlocal bar
        if not sys.stderr.isatty():
            if total and done * 10 // total != (done - 1) * 10 // total:
                print(f"extracting: {done}/{total}", file=sys.stderr)
            return
        bar = bar or tqdm(total=total, desc="extracting", unit=" reports", file=sys.stderr)
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    return progress


def scrapy_settings(args, quiet=QUIET_LOG):
    """The Scrapy settings a command gives the run: the log level (quiet, or with -v Scrapy's
    INFO log), then --set's overrides, which win."""
    log = {"LOG_LEVEL": "INFO"} if args.verbose else dict(quiet)
    return {**log, **overrides(args)}


@command(
    govreports,
    "extract",
    help="Extract one HTML/PDF/DOCX/DOC/text document and print its JSON (docs/interfaces.md).",
)
@click.argument("file")
@click.option(
    "--url", help="The URL the document was published at: the JSON's url, and the format guessed from it (optional)."
)
@limit_options
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


def selected_portals(args, command):
    from crawler.registry import load_registry, select_portals

    portals = select_portals(load_registry(args.portals), args.region, args.level, args.portal)
    if not portals:
        raise SystemExit(f"govreports {command}: no portal in the registry matches that selection")
    return portals


@command(
    govreports,
    "crawl",
    help="Crawl portals, archive every exchange as WARC, extract what changed, write the database; a progress bar on stderr, then a summary.",
)
@registry_options
@db_option()
@crawl_options
@workers_option
@limit_options
@click.option("--full", is_flag=True, help="Periodic full sweep: fetch known report pages and attachments again.")
def cmd_crawl(args):
    return crawl_and_extract(
        selected_portals(args, "crawl"),
        database_path(args.db),
        args.settings,
        args.workers,
        args.full,
        limits(args),
        scrapy_settings(args),
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


@command(govreports, "scout", help="Fetch only the first list page of each portal and say which changed.")
@registry_options
@db_option()
@crawl_options
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
        health = run_crawl(portals, args.db, args.settings, scrapy_settings(args), scout=True, progress=True)
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


@command(
    govreports,
    "recheck",
    help="Request every known report URL again (conditionally, robots.txt obeyed): record reports changed after "
    "publication and reports removed (404/410), then extract what changed.",
)
@click.option("--portal", multiple=True, metavar="ID", help="Only this portal id (repeatable).")
@db_option()
@crawl_options
@workers_option
def cmd_recheck(args):
    from govreports.recheck import print_recheck, recheck

    db_path = database_path(args.db, must_exist=True)
    print_recheck(recheck(db_path, args.portal, args.settings, args.workers, scrapy_settings(args)))
    return 0


@command(
    govreports,
    "reextract",
    help="Re-run the extractors over the archived originals, offline: only reports whose sources or extractor version changed.",
)
@db_option()
@workers_option
@limit_options
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


@command(govreports, "serve", help="Datasette on 127.0.0.1 with the project's metadata, Chinese search and pages.")
@serve_options
@click.option(
    "--host", default="127.0.0.1", metavar="ADDR",
    help="Address to listen on (default 127.0.0.1; 0.0.0.0: every interface).",
)  # fmt: skip
@click.option(
    "--public", is_flag=True,
    help="Public serving mode: no custom SQL, no /-/ debug pages or file paths, searches and other "
    "queries in bounded lanes.",
)  # fmt: skip
@click.option(
    "--release", metavar="FOLDER", type=click.Path(file_okay=False),
    help="Serve this release folder (written by govreports export) at /-/release: the bulk download.",
)  # fmt: skip
def cmd_serve(args):
    from govreports.release import CHECKSUMS_FILE
    from govreports.serve import serve

    if args.release and not (Path(args.release) / CHECKSUMS_FILE).is_file():
        raise UsageError(f"--release {args.release} is no release folder (govreports export writes one)")
    return serve(database_path(args.db, must_exist=True), args.port, args.host, args.public, release=args.release)


@command(
    govreports,
    "demo",
    help="Offline end to end: the bundled sample portal on 127.0.0.1, crawled into the database, then served.",
)
@serve_options
@click.option(
    "--portal-port", type=int, default=8765, metavar="N",
    help="Port of the sample portal (default 8765; fixed, so a second demo run finds the same URLs).",
)  # fmt: skip
@click.option("--no-serve", is_flag=True, help="Stop after the crawl.")
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
        quiet = {} if args.verbose else QUIET_LOG
        crawl_and_extract(
            portals, args.db, extract_limits={"progress": extraction_progress()}, settings_overrides=quiet
        )
    start_here = f"http://127.0.0.1:{args.port}{SEARCH_PAGE}?q=复议"
    if args.no_serve:
        print(f"start here: govreports serve --db {args.db}, then open {start_here}")
        return 0
    from govreports.serve import serve

    return serve(args.db, args.port, start_here=start_here)


@command(
    portals_group,
    "check",
    help="Check a registry against the portals: each portal's start URL, 信息公开 home and the first page of its annual-report columns (nothing archived); one row per portal in the table portal_checks and in a CSV.",
)
@registry_options
@db_option("the SQLite database that keeps the table portal_checks (default: archive.db)")
@crawl_options
@click.option(
    "--csv", default="portal-checks.csv", metavar="PATH", help="The check's CSV (default: portal-checks.csv)."
)
@click.option(
    "--update", is_flag=True,
    help="Write the columns found back into the registry files as extra start URLs (seen_at: checked <date>).",
)  # fmt: skip
def cmd_portals(args):
    """Check a registry against the portals themselves (govreports/portal_checks.py)."""
    from govreports.portal_checks import check_portals

    portals = selected_portals(args, "portals check")
    return check_portals(
        portals, database_path(args.db), args.csv, args.portals, args.update, args.settings, scrapy_settings(args, {})
    )


@command(
    govreports,
    "export",
    help="Write a versioned bulk release into DIR: the database, the long and wide CSVs, a Frictionless datapackage.json describing every column, and SHA256SUMS.",
)
@click.argument("folder", metavar="DIR")
@db_option()
@click.option(
    "--release-version", metavar="VERSION",
    help="The release's version, in its folder name DIR/govreports-VERSION (default: today, YYYY.MM.DD).",
)  # fmt: skip
def cmd_export(args):
    from govreports.release import write_release

    folder = write_release(database_path(args.db, must_exist=True), args.folder, args.release_version)
    print(
        f"release written to {folder}: check it with `sha256sum -c SHA256SUMS` there, or `frictionless validate {folder / 'datapackage.json'}`"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
