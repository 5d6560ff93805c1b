"""Disclosure platforms on another host: a county whose 信息公开 section lives on a
province-wide platform (xxgk.<province>.gov.cn/<county>xxgk/…) that serves many units.

From a home page, a link named 政务公开 / 信息公开 that leaves the portal's site is followed
only to a government host (`.gov.cn`, or a host of the registry) and only when it is the
portal's own section: the unit's code, id or name in the link's path or query, or (checked on
the page) the section's title, headings or breadcrumb naming the unit. The section's subtree
(its host, its folder, and the unit's token when the link carried one) then belongs to the
portal: its columns are crawled as the portal's, and nothing of the other units beside it.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# What a unit's name ends with and a platform's heading may leave out: 屯昌县人民政府 -> 屯昌县
NAME_SUFFIX_RE = re.compile(r"(?:人民政府|政府)(?:办公室)?$")
MIN_TOKEN = 4  # shorter ids or codes match by chance
# Where a page says whose it is: its title, headings, site meta and breadcrumb
OWNER_CSS = (
    "title::text, h1 ::text, h2 ::text, meta[name=SiteName]::attr(content), "
    "meta[name=ColumnName]::attr(content), [class*=bread] ::text, [class*=position] ::text, "
    "[class*=location] ::text, [class*=crumb] ::text, [class*=dqwz] ::text"
)


@dataclass(frozen=True)
class Scope:
    """The portal's own part of a shared platform: URLs on `host` under `folder`, holding
    `token` (the unit's code in a query) when the platform tells units apart by it."""

    host: str
    folder: str
    token: str | None = None

    def holds(self, url):
        parts = urlsplit(url)
        if (parts.hostname or "").lower() != self.host or not parts.path.startswith(self.folder):
            return False
        return self.token is None or self.token in unquote(f"{parts.path}?{parts.query}")


def is_government_host(host, registry_hosts):
    """A host a government runs: under .gov.cn, or one the registry lists."""
    host = (host or "").lower()
    return host.endswith(".gov.cn") or host in registry_hosts


def unit_names(portal):
    """The names a page may call the portal's unit by: 屯昌县人民政府, 屯昌县."""
    name = portal.get("name") or ""
    short = NAME_SUFFIX_RE.sub("", name)
    return [n for n in dict.fromkeys((name, short)) if len(n) >= 2]


def unit_tokens(portal):
    """What a link may carry to name the unit: its code and id (long enough not to match by
    chance), and its names."""
    codes = [str(portal.get(key) or "") for key in ("code", "id")]
    return [c for c in codes if len(c) >= MIN_TOKEN] + unit_names(portal)


def token_in_link(portal, url):
    """The unit's token the link's path or query holds, else None."""
    parts = urlsplit(url)
    where = unquote(f"{parts.path}?{parts.query}")
    return next((token for token in unit_tokens(portal) if token in where), None)


def page_names_unit(portal, response):
    """The page's title, headings or breadcrumb name the unit (a platform's home, naming only
    the province, or another unit's section does not)."""
    said = "".join(response.css(OWNER_CSS).getall())
    return any(name in said for name in unit_names(portal))


def scope_of(url, token=None):
    """The portal's subtree of a platform, from the URL of its section there: the section's
    folder (/tcxxgk/ for /tcxxgk/index.html), with the unit's token when the link held it in
    its query; None when that is the platform's whole site (its root, with no token)."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0] + "/"
    query_token = token if token and token in unquote(parts.query) else None
    if folder == "/" and query_token is None:
        return None
    return Scope((parts.hostname or "").lower(), folder, query_token)
