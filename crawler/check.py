"""`govreports portals check` at scale: run the check spider over many portals, turn what it
found into one row per portal (the `portal_checks` table, the CSV), and write the columns it
found back into the registry files as extra start URLs (`--update`)."""

import json
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess

from crawler.registry import dump_registry_file, parse_yaml, registry_files
from crawler.run import crawl_settings
from crawler.spiders.check import PortalCheckSpider
from storage.migrations import migrate

MAX_ADDED_COLUMNS = 5  # start URLs added to one portal by one check


def run_check(portals, scratch_db, settings_module="crawler.settings", overrides=None, progress=True):
    """{portal id: findings} of one check of the portals (the scratch database takes the
    crawl's bookkeeping; nothing of it is kept)."""
    migrate(scratch_db)
    process = CrawlerProcess(crawl_settings(scratch_db, settings_module, overrides, progress))
    crawler = process.create_crawler(PortalCheckSpider)
    process.crawl(crawler, portals=portals)
    process.start()
    return crawler.spider.results


def check_rows(portals, results, checked_at):
    return [check_row(portal, results.get(portal["id"], {}), checked_at) for portal in portals]


def check_row(portal, found, checked_at):
    columns = found.get("columns", {})
    failure = found.get("failure")
    if found.get("answers") is None:
        failure = failure or "not_checked"
    leads = bool(columns or found.get("first_page_reports") or found.get("leads"))
    verdict = "failed" if failure else "ok" if leads else "dead_end"
    return {
        "portal_id": portal["id"],
        "name": portal.get("name"),
        "code": portal.get("code"),
        "region": portal.get("region"),
        "level": portal.get("level"),
        "flags": json.dumps(portal.get("flags", []), ensure_ascii=False),
        "start_url": portal["start_urls"][0],
        "verdict": verdict,
        "answers": int(bool(found.get("answers"))),
        "status": found.get("status"),
        "final_url": found.get("final_url"),
        "title": found.get("title"),
        "family": portal.get("family"),
        "looks_like": found.get("looks_like"),
        "disclosure_home": found.get("disclosure_home"),
        "columns_found": len(columns),
        "column_urls": json.dumps(
            [{"url": url, "found_on": parent, "text": text} for url, (parent, text) in columns.items()],
            ensure_ascii=False,
        ),
        "first_page_reports": found.get("first_page_reports", 0),
        "list_pages_announced": found.get("leads", 0),
        "failure_kind": failure,
        "failure_detail": found.get("detail"),
        "checked_at": checked_at,
    }


def update_registry(path, rows, date):
    """Add each checked portal's newly found columns to its entry in the registry files at
    path, as start URLs after the ones it has, each with a `seen_at` line `checked <date>:
    <url> (on <page>, '<link text>')`. Returns the number of portals updated."""
    found = {row["portal_id"]: json.loads(row["column_urls"]) for row in rows if row["columns_found"]}
    updated = 0
    for file in registry_files(path):
        portals = parse_yaml(file)
        changed = False
        for portal in portals:
            new = [c for c in found.get(portal["id"], []) if c["url"] not in portal["start_urls"]]
            new = [c for c in new if urlsplit(c["url"]).scheme in ("http", "https")][:MAX_ADDED_COLUMNS]
            if not new:
                continue
            seen = portal.get("seen_at") or []
            seen = [seen] if isinstance(seen, str) else list(seen)
            portal["start_urls"] = [*portal["start_urls"], *(c["url"] for c in new)]
            portal["seen_at"] = [
                *seen,
                *(f"checked {date}: {c['url']} (on {c['found_on']}, '{c['text']}')" for c in new),
            ]
            changed = True
            updated += 1
        if changed:
            dump_registry_file(file, portals, header_of(file))
    return updated


def header_of(file):
    """The comment lines a registry file starts with."""
    lines = []
    for line in file.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#") and line.strip():
            break
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n\n" if lines else ""
