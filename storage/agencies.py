"""Who publishes: the agencies, the names each published under, and the compliance grid.

Tables, rebuilt from the stored rows by `refresh` (after every extraction run and after each
crawl's portal health is written):
- agencies: one row per publishing agency: id (stable: its portal and normalised name),
  name, kind (government / department / township), level, region, code (the portal's
  division code), portal_id, first_year, last_year, reports, sort_key (region then name: the
  grid's order). Made from the registry (a portal's own government) and from the reports
  (a report names its agency).
- agency_names: every variant an agency published under, with its first and last year and
  how it was matched (same / short / alias).
- agency_reports: each report's agency (report num -> agency id, year).
- compliance: one row per agency and report year from the agency's first year (a
  government in the registry: the archive's first year) to the latest year whose deadline
  has passed: status on_time / late / missing / unknown, days_late, the report (the first
  published that year), its date and where the date came from (`published`, or
  `first_capture` when the report carries no date), the deadline, and for a cell without a
  report the reason (`none_for_year`, `not_crawled`, `crawl_failed`, `crawled_before_deadline`).

Names are matched only when that is certain: the same name after normalising (full-width
forms, spaces, "XX县政府" = "XX县人民政府"), a short form that is the tail of exactly one
full name on the same portal after a place name ("洛江区财政局" of "泉州市洛江区财政局"), or
an alias reviewed by a person (agency_aliases.yaml, shipped with the package, and an
`agency_aliases.yaml` beside the database for an archive's own).
"""

import datetime
import hashlib
import re
import unicodedata
from pathlib import Path

import yaml

from .schema import SCHEMA, now

ALIASES_FILE = Path(__file__).resolve().parent / "agency_aliases.yaml"
LOCAL_ALIASES = "agency_aliases.yaml"  # beside the archive's database

STATUSES = ("on_time", "late", "missing", "unknown")
KINDS = ("government", "department", "township")

# 《条例》第四十九、五十条: departments by 31 January, people's governments by 31 March
DEADLINES = {"department": (1, 31), "government": (3, 31), "township": (3, 31)}

# a people's government written short: "示例县政府", "示例市政府办公室" (the 人民 left out);
# not "示例区政府采购中心", a body of its own
SHORT_GOVERNMENT_RE = re.compile(r"(?<=[省市县区旗州盟镇乡])政府(?=$|办公室|办公厅)")
# a township or street body: "城关镇人民政府", "东城街道办事处", "和平街道"
TOWNSHIP_RE = re.compile(r"(?:[镇乡]人民政府|街道办事处|街道)$")
# a government: "示例县人民政府", "内蒙古自治区人民政府"
GOVERNMENT_RE = re.compile(r"人民政府$")
# where a place name ends inside a full name: "泉州市|洛江区财政局"
PLACE_END_RE = re.compile(r"[省市县区旗州盟]")


def normalise(name):
    """'示例县 政府' or '示例县人民政府' (full width) -> '示例县人民政府'; None stays None."""
    if not name:
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return SHORT_GOVERNMENT_RE.sub("人民政府", text) or None


def kind_of(name):
    """'government', 'township' or 'department' for a normalised name."""
    if TOWNSHIP_RE.search(name):
        return "township"
    return "government" if GOVERNMENT_RE.search(name) else "department"


def agency_id(portal_id, name):
    """Stable id of an agency: its portal and its normalised canonical name."""
    return hashlib.sha1(f"{portal_id}|{name}".encode()).hexdigest()[:12]


def deadline(year, kind):
    """The date a report of `year` is due by: '2024-01-31' (department, 2023)."""
    month, day = DEADLINES[kind]
    return f"{year + 1}-{month:02d}-{day:02d}"


def load_aliases(db_dir=None):
    """[(alias, name, portal or None)], normalised: the shipped list, then the archive's own."""
    entries = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")) or []
    local = Path(db_dir) / LOCAL_ALIASES if db_dir else None
    if local and local.is_file():
        entries += yaml.safe_load(local.read_text(encoding="utf-8")) or []
    return [(normalise(e["alias"]), normalise(e["name"]), e.get("portal")) for e in entries]


def short_form_of(name, full_names):
    """The one full name that `name` is a short form of: it ends with `name`, right after a
    place name ('泉州市' + '洛江区财政局'), and `name` itself starts with a place; None when no
    or several names fit (never a guess)."""
    if not PLACE_END_RE.search(name[:-2] if len(name) > 2 else ""):
        return None  # '财政局' alone names no one
    fits = [
        full for full in full_names if full != name and full.endswith(name) and PLACE_END_RE.match(full[-len(name) - 1])
    ]
    return fits[0] if len(fits) == 1 else None


def canonical_names(names_by_portal, aliases):
    """{(portal, normalised name): (canonical name, how matched)} for every name seen."""
    matched = {}
    for portal, names in names_by_portal.items():
        for name in names:
            target, how = name, "same"
            for alias, canonical, only in aliases:
                if alias == name and (only is None or only == portal):
                    target, how = canonical, "alias"
                    break
            else:
                full = short_form_of(name, names)
                if full:
                    target, how = full, "short"
            matched[(portal, name)] = (target, how)
    return matched


def refresh(db, today=None):
    """Rebuild agencies, agency_names, agency_reports and compliance from the registry, the
    reports, their first captures and each portal's latest crawl."""
    today = today or datetime.date.today()
    portals = {row["id"]: row for row in db.query("select id, name, region, level from portals")}
    health = {row["portal_id"]: row for row in db.query(HEALTH)}
    reports = list(db.query(REPORTS))
    aliases = load_aliases(_database_dir(db))
    seen = {}  # (portal, normalised name as published) -> the raw names
    for report in reports:
        name = normalise(report["agency"])
        if name and report["portal_id"]:
            seen.setdefault((report["portal_id"], name), set()).add(report["agency"])
    names_by_portal = {}
    for portal, name in seen:
        names_by_portal.setdefault(portal, set()).add(name)
    for portal_id, portal in portals.items():
        if normalise(portal["name"]):
            names_by_portal.setdefault(portal_id, set()).add(normalise(portal["name"]))
    matched = canonical_names(names_by_portal, aliases)
    agencies, names, links = {}, {}, []
    for portal_id, portal in portals.items():
        name = normalise(portal["name"])
        if name:
            canonical = matched[(portal_id, name)][0]
            agency = _agency(agencies, portal_id, canonical, portal, health.get(portal_id))
            agency["registered"] = True
    for report in reports:
        name = normalise(report["agency"])
        if not (name and report["portal_id"]):
            continue
        canonical, how = matched[(report["portal_id"], name)]
        portal = portals.get(report["portal_id"]) or {"region": report["region"], "level": report["level"]}
        agency = _agency(agencies, report["portal_id"], canonical, portal, health.get(report["portal_id"]))
        if report["year"] is not None:
            agency["years"].setdefault(report["year"], []).append(report)
        links.append({"num": report["num"], "agency_id": agency["id"], "year": report["year"]})
        key = (agency["id"], report["agency"])
        variant = names.setdefault(
            key, {"agency_id": agency["id"], "name": report["agency"], "how": how, "years": set(), "reports": 0}
        )
        variant["reports"] += 1
        if report["year"] is not None:
            variant["years"].add(report["year"])
    first_year = min((r["year"] for r in reports if r["year"] is not None), default=None)
    judged_at = now()
    grid = [
        {**row, "judged_at": judged_at}
        for agency in agencies.values()
        for row in _compliance_rows(agency, first_year, health, today)
    ]
    with db.conn:
        for table, rows in (
            ("agencies", [_agency_row(agency) for agency in agencies.values()]),
            ("agency_names", [_name_row(variant) for variant in names.values()]),
            ("agency_reports", links),
            ("compliance", grid),
        ):
            _replace_rows(db, table, rows)


def _replace_rows(db, table, rows):
    """The table's rows replaced by these (dicts with every column of schema.SCHEMA)."""
    columns = list(SCHEMA[table][0])
    db.execute(f"delete from {table}")
    db.conn.executemany(
        f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
        ([row[column] for column in columns] for row in rows),
    )


# each portal's latest crawl, with its division code from the crawl or the latest check
HEALTH = """select h.portal_id, h.crawled_at, h.list_pages, h.no_reports_reason,
    coalesce(h.code, (select c.code from portal_checks c where c.portal_id = h.portal_id)) as code
    from portal_health h"""

# every report, with the time its page was first captured (for a report that gives no date)
REPORTS = """select r.num, r.id, r.agency, r.year, r.published, r.portal_id, r.region, r.level,
    (select min(f.fetched_at) from fetches f where f.url = r.url) as first_capture
    from report_rows r order by r.num"""


def _database_dir(db):
    path = db.execute("pragma database_list").fetchone()[2]
    return Path(path).parent if path else None


def _agency(agencies, portal_id, name, portal, health):
    key = (portal_id, name)
    if key not in agencies:
        kind = kind_of(name)
        agencies[key] = {
            "id": agency_id(portal_id, name),
            "name": name,
            "kind": kind,
            "level": "township" if kind == "township" else portal.get("level"),
            "region": portal.get("region"),
            "code": (health or {}).get("code"),
            "portal_id": portal_id,
            "registered": False,
            "years": {},
        }
    return agencies[key]


def sort_key(agency):
    """The grid's order, unique: region, name, id ('江苏省|示例县财政局|3f2a9c0d1e4b')."""
    return f"{agency['region'] or ''}|{agency['name']}|{agency['id']}"


def _years_span(years):
    """first_year and last_year of the years (None where there are none)."""
    return {"first_year": min(years, default=None), "last_year": max(years, default=None)}


def _agency_row(agency):
    return {
        "id": agency["id"],
        "name": agency["name"],
        "kind": agency["kind"],
        "level": agency["level"],
        "region": agency["region"],
        "code": agency["code"],
        "portal_id": agency["portal_id"],
        "registered": int(agency["registered"]),
        **_years_span(agency["years"]),
        "reports": sum(len(found) for found in agency["years"].values()),
        "sort_key": sort_key(agency),
    }


def _name_row(variant):
    return {
        "agency_id": variant["agency_id"],
        "name": variant["name"],
        "how": variant["how"],
        **_years_span(variant["years"]),
        "reports": variant["reports"],
    }


def _compliance_rows(agency, archive_first_year, health, today):
    """The agency's grid row: every year from its first (a registered government: the
    archive's first) to the last whose deadline has passed, and every year it published."""
    start = archive_first_year if agency["registered"] else min(agency["years"], default=None)
    if start is None:
        return []
    kind = agency["kind"]
    last_due = today.year - 1 if today.isoformat() > deadline(today.year - 1, kind) else today.year - 2
    portal = health.get(agency["portal_id"])
    for year in sorted(set(range(start, last_due + 1)) | set(agency["years"])):
        due = deadline(year, kind)
        row = {
            "agency_id": agency["id"],
            "year": year,
            "name": agency["name"],
            "kind": kind,
            "level": agency["level"],
            "region": agency["region"],
            "portal_id": agency["portal_id"],
            "sort_key": sort_key(agency),
            "deadline": due,
            "report_id": None,
            "date": None,
            "date_source": None,
            "days_late": None,
            "reason": None,
        }
        found = agency["years"].get(year)
        row.update(_published(found, due) if found else _not_published(portal, due))
        yield row


def _published(found, due):
    """on_time or late, by the first report of the year (its date, else its first capture)."""
    dated = [(r["published"] or (r["first_capture"] or "")[:10], r) for r in found]
    date, report = min(dated, key=lambda pair: (pair[0] or "9999", pair[1]["num"]))
    source = "published" if report["published"] else ("first_capture" if date else None)
    if not date:
        return {"status": "unknown", "report_id": report["id"], "reason": "no_date"}
    days = (datetime.date.fromisoformat(date[:10]) - datetime.date.fromisoformat(due)).days
    return {
        "status": "late" if days > 0 else "on_time",
        "report_id": report["id"],
        "date": date[:10],
        "date_source": source,
        "days_late": max(days, 0),
    }


def _not_published(portal, due):
    """missing when the portal was crawled successfully after the deadline; else unknown."""
    if portal is None or not portal["crawled_at"]:
        return {"status": "unknown", "reason": "not_crawled"}
    if not portal["list_pages"] or portal["no_reports_reason"] in ("failed", "blocked"):
        return {"status": "unknown", "reason": "crawl_failed"}
    if portal["crawled_at"][:10] <= due:
        return {"status": "unknown", "reason": "crawled_before_deadline"}
    return {"status": "missing", "reason": "none_for_year"}


# -- reading: the grid, an agency's page, the feeds (govreports/agency_pages.py) ---------

GRID_FILTERS = ("region", "level", "kind")
# two lookups at the ends of the year index (min and max in one select would read it all)
GRID_YEARS = "select (select min(year) from compliance), (select max(year) from compliance)"


def grid_agencies(filters, year, after, limit):
    """(sql, params): a page of the grid's agencies in region-then-name order after the
    sort key `after`, through an index on (filter, sort_key), or (year, sort_key) when
    one year is asked for (the agencies with a cell that year)."""
    params = {**filters, "after": after or "", "limit": limit}
    where = [f"{column} = :{column}" for column in filters] + ["sort_key > :after"]
    if year is None:
        source = "agencies"
    else:
        source, params["year"] = "compliance", year
        where.insert(0, "year = :year")
    id_column = "id" if year is None else "agency_id as id"
    return (
        f"select {id_column}, name, kind, level, region, portal_id, sort_key from {source} "
        f"where {' and '.join(where)} order by sort_key limit :limit",
        params,
    )


def grid_cells(count, year):
    """(sql, extra params): the compliance cells of `count` agencies (bound as ?s first)."""
    marks = ",".join("?" * count)
    sql = (
        "select agency_id, year, status, days_late, report_id, date, date_source, deadline, reason, portal_id "
        f"from compliance where agency_id in ({marks})"
    )
    return (sql + " and year = ?", [year]) if year is not None else (sql, [])


def grid_csv(filters, year):
    """(sql, params): every cell of the grid under these filters, for its CSV."""
    where = [f"{column} = :{column}" for column in filters]
    params = dict(filters)
    if year is not None:
        where.append("year = :year")
        params["year"] = year
    return (
        "select agency_id, name, kind, level, region, portal_id, year, status, days_late, report_id, date, "
        f"date_source, deadline, reason from compliance {'where ' + ' and '.join(where) if where else ''} "
        "order by sort_key, year",
        params,
    )


AGENCY_BY_ID = "select * from agencies where id = ?"
AGENCY_NAMES = (
    "select name, how, first_year, last_year, reports from agency_names where agency_id = ? order by first_year"
)
AGENCY_COMPLIANCE = "select * from compliance where agency_id = ? order by year"
AGENCY_OF_REPORT = (
    "select a.id, a.name from report_rows r join agency_reports x on x.num = r.num "
    "join agencies a on a.id = x.agency_id where r.id = ?"
)
AGENCY_REPORTS = """select r.id, r.title, r.agency, r.year, r.published, r.check_status, r.checks_failed, r.url
    from agency_reports x join report_rows r on r.num = x.num where x.agency_id = ? order by x.year desc, r.num"""
# the open failures of the agency's report pages and their attachments
AGENCY_FAILURES = """select f.url, f.stage, f.kind, f.message, f.last_seen
    from agency_reports x join report_rows r on r.num = x.num join failures f on f.url = r.url
    where x.agency_id = :agency
    union all select f.url, f.stage, f.kind, f.message, f.last_seen
    from agency_reports x join report_rows r on r.num = x.num join documents d on d.parent_url = r.url
      join failures f on f.url = d.url
    where x.agency_id = :agency
    order by 5 desc limit 50"""


# the agency page's chart: applications received and granted in full (表三 总计), reviews
# and lawsuits with their corrected outcomes (表四), per report
AGENCY_FIGURES = """select x.year, r.id as report_id, r.check_status, c.table_key, c.row_key, c.col_key, f.value
    from agency_reports x join report_rows r on r.num = x.num
      join fact_values f on f.report = x.num join fact_cells c on c.id = f.cell
    where x.agency_id = ? and ((c.table_key = 't3' and c.col_key = 'total' and c.row_key in ('new_received', 'granted'))
      or (c.table_key = 't4' and c.col_key in ('total', 'corrected')))
    order by x.year, r.num"""

FEED_SIZE = 100
FEED_FILTERS = ("region", "agency", "kind", "level")
# the end of a region prefix's range: after every name that starts with it ('江苏省' + '南京市')
PREFIX_END = "\U0010ffff"


def feed_rows(status, filters=None):
    """(sql, params): the newest late (by publication date) or missing (by deadline) cells,
    narrowed by FEED_FILTERS: `region` a name the region starts with ('江苏省' takes
    '江苏省南京市'), `agency` an agency id, `kind` and `level` equal. Read through an index:
    an agency's own cells (its primary key) and sorted, (status, kind|level, order,
    agency_id) in order, or a region's cells (status, region) and sorted (bounded by the
    region, not the archive)."""
    filters = filters or {}
    order = "date" if status == "late" else "deadline"
    where, params = ["status = :status"], {"status": status}
    if filters.get("agency"):
        # '+status': no index on the status (SQLite would walk every late cell in order to
        # skip a sort), the agency's own few cells by the primary key
        where = ["+status = :status", "agency_id = :agency"]
        params["agency"] = filters["agency"]
    for column in ("kind", "level"):
        if filters.get(column):
            where.append(f"{column} = :{column}")
            params[column] = filters[column]
    if filters.get("region"):
        where.append("region >= :region and region < :region_end")
        params.update(region=filters["region"], region_end=filters["region"] + PREFIX_END)
    return (
        "select agency_id, year, status, days_late, report_id, date, date_source, deadline, reason, name, region, "
        f"portal_id from compliance where {' and '.join(where)} order by {order} desc, agency_id desc "
        f"limit {FEED_SIZE}",
        params,
    )
