"""`govreports`: crawl, extract, reextract, serve, demo (interfaces.md)."""

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DB = "archive.db"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="crawl portals, archive originals, extract, write the database")
    crawl.add_argument("--portals", help="registry YAML (default: the bundled registry of real portals)")
    crawl.add_argument("--portal", action="append", default=[], help="only this portal id (repeatable)")
    crawl.add_argument("--db", default=DEFAULT_DB)
    crawl.add_argument("--settings", default="crawler.settings", help="Scrapy settings module")
    crawl.add_argument("--workers", type=int, default=None, help="extraction processes (default: all cores)")

    extract = commands.add_parser("extract", help="extract one document and print its JSON")
    extract.add_argument("file")
    extract.add_argument("--url")

    reextract = commands.add_parser("reextract", help="re-run the extractors over the archive, offline")
    reextract.add_argument("--db", default=DEFAULT_DB)
    reextract.add_argument("--workers", type=int, default=None)

    serve = commands.add_parser("serve", help="Datasette on 127.0.0.1")
    serve.add_argument("--db", default=DEFAULT_DB)
    serve.add_argument("--port", type=int, default=8001)

    demo = commands.add_parser("demo", help="offline end to end: sample portal -> crawl -> serve")
    demo.add_argument("--db", default=DEFAULT_DB)
    demo.add_argument("--port", type=int, default=8001)
    demo.add_argument("--portal-port", type=int, default=8765,
                      help="port of the sample portal (fixed, so a second demo run finds the same URLs)")
    demo.add_argument("--no-serve", action="store_true", help="stop after the crawl")

    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)


def cmd_extract(args):
    from extractors.report import DocumentError, extract_document

    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        print(f"govreports extract: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        result = extract_document(data, name=args.file, url=args.url)
    except DocumentError as error:
        print(f"govreports extract: {args.file}: {error}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def cmd_crawl(args):
    from crawler.registry import load_registry

    portals = load_registry(args.portals)
    if args.portal:
        portals = [p for p in portals if p["id"] in set(args.portal)]
        if not portals:
            print("govreports crawl: no portal with those ids in the registry", file=sys.stderr)
            return 2
    return crawl_and_extract(portals, args.db, args.settings, args.workers)


def crawl_and_extract(portals, db_path, settings_module="crawler.settings", workers=None):
    from crawler.run import run_crawl
    from govreports import store
    from govreports.pipeline import extract_pending

    db = store.open_db(db_path)
    store.upsert_portals(db, portals)
    db.close()
    health = run_crawl(portals, db_path, settings_module)
    counts = extract_pending(db_path, workers=workers, portals=portals)
    print_health(health, counts)
    return 0


def print_health(health, counts):
    print(f"{'portal':<28} {'list pages':>10} {'reports':>8} {'not reports':>11} {'failed':>7}")
    for portal_id, stats in health.items():
        reports = stats.get("reports", 0)
        flag = "  <- FAILING: 0 reports" if reports == 0 else ""
        print(f"{portal_id:<28} {stats.get('list_pages', 0):>10} {reports:>8} "
              f"{stats.get('not_reports', 0):>11} {stats.get('failed', 0):>7}{flag}")
    print(f"extracted {counts['extracted']} reports, {counts['failed']} could not be read")


def cmd_reextract(args):
    from govreports.pipeline import extract_pending

    counts = extract_pending(args.db, workers=args.workers, only_changed=True)
    print(f"re-extracted {counts['extracted']} reports, {counts['failed']} could not be read")
    return 0


def cmd_serve(args):
    from govreports.serve import serve

    return serve(args.db, args.port)


def cmd_demo(args):
    from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer

    with FixtureServer(SAMPLE_PORTAL, port=args.portal_port) as server:
        portals = [{
            "id": "sample_county", "name": "示例县人民政府", "region": "示例省示例市示例县",
            "level": "county", "family": "trs", "allow_private_addresses": True,
            "start_urls": [f"{server.url}/xxgk/zfxxgknb/index.html"],
        }]
        print(f"sample portal on {server.url}/xxgk/zfxxgknb/index.html")
        crawl_and_extract(portals, args.db, "crawler.settings.test")
    if args.no_serve:
        return 0
    return cmd_serve(args)


COMMANDS = {"crawl": cmd_crawl, "extract": cmd_extract, "reextract": cmd_reextract,
            "serve": cmd_serve, "demo": cmd_demo}

if __name__ == "__main__":
    sys.exit(main())
