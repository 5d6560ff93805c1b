"""No silent zeros: why a portal yielded no report for the due year, in words a person can act
on, from what its crawl saw (the spider's per-portal stats) and what the archive holds. One
kind per portal (portal_health.no_reports_reason, counted by the health summary) with a
sentence saying what to do (portal_health.no_reports_detail)."""

import re

from parsel import Selector

from crawler.scripted_lists import LIST_LOADER_RE

# A list container (by its id or class: list, lb (列表), news, data, ...) with no link and no text
EMPTY_LIST_CONTAINER = (
    "//*[self::ul or self::ol or self::tbody or self::table or self::div]"
    "[re:test(concat(@id, ' ', @class), 'list|lb|news|data|item|result|content|con', 'i')]"
    "[not(.//a) and normalize-space(.) = '']"
)
TEMPLATE_RE = re.compile(r"\bv-for=|\{\{[^}]+\}\}")
# The empty mount point of a single-page app (Vue/React shells: <div id="app"></div> + bundles)
EMPTY_APP_MOUNT = "//*[@id = 'app' or @id = 'root'][not(*) and normalize-space(.) = '']"

REASONS = {
    "blocked": "the site answered with a script challenge (see its blocked_by_challenge failure): nothing was read",
    "failed": "no page of the portal could be read: {failures}",
    "no_section": "no 信息公开 section and no annual-report column were found from the start URL; "
    "add the URL of the portal's 政府信息公开年报 column to the registry",
    "no_annual_column": "a 信息公开 section was found but no annual-report column in it; add the URL of the "
    "portal's 政府信息公开年报 column to the registry",
    "scripted_list": "the annual-report column's list is empty in the page and filled by a script the crawler "
    "does not run ({count} such list pages, see the scripted_list failures)",
    "empty_column": "the annual-report column was found but listed nothing that could be a report",
    "all_rejected": "every candidate was judged no report: {reasons}",
    "candidates_failed": "candidates were found but could not be fetched: {failures}",
    "none_for_year": "{reports} reports archived, none for {year}: it may not be published yet",
}


def script_filled_list(response):
    """A list page whose list is empty in the HTML and filled by its scripts: an empty list
    container plus a script that loads data, or a client-side template; or an app's empty
    mount point plus its bundles."""
    page = Selector(text=response.text)
    if page.xpath(EMPTY_APP_MOUNT) and page.xpath("//script[@src]"):
        return True
    if not page.xpath(EMPTY_LIST_CONTAINER):
        return False
    scripts = " ".join(page.xpath("//script[not(@src)]/text()").getall())
    body = " ".join(page.xpath("//body").getall())
    return bool(LIST_LOADER_RE.search(scripts) or TEMPLATE_RE.search(body))


def no_reports_reason(stats, archive, due_year):
    """(kind, detail) of why a portal has no report for due_year, or (None, None) when it has one.
    stats: the crawl's counts for the portal (list_pages, home_pages, disclosure_homes, columns,
    candidates, rejects, reports, scripted_lists ...); archive: reports, due_report,
    failure_kinds ({kind: n}) and reject_reasons ({reason: n}) of the portal."""
    if archive["due_report"]:
        return None, None
    kind = reason_kind(stats, archive)
    failures = ", ".join(f"{n} {k}" for k, n in sorted(archive["failure_kinds"].items())) or "no answer recorded"
    reasons = ", ".join(f"{n} {r}" for r, n in sorted(archive["reject_reasons"].items(), key=lambda item: -item[1]))
    detail = REASONS[kind].format(
        failures=failures,
        reasons=reasons,
        count=stats.get("scripted_lists", 0),
        reports=archive["reports"],
        year=due_year,
    )
    return kind, detail


def reason_kind(stats, archive):
    kinds = archive["failure_kinds"]
    if archive["reports"]:
        return "none_for_year"
    if kinds.get("blocked_by_challenge"):
        return "blocked"
    if not stats.get("list_pages"):
        return "failed"
    if stats.get("scripted_lists") or kinds.get("scripted_list_empty") or kinds.get("render_limit"):
        return "scripted_list"
    if archive["reject_reasons"] and not stats.get("reports") and not stats.get("vague_pages"):
        return "all_rejected"
    if stats.get("candidates"):
        return "candidates_failed" if kinds else "all_rejected"
    if stats.get("columns") or not stats.get("home_pages"):
        return "empty_column"
    return "no_annual_column" if stats.get("disclosure_homes") else "no_section"
