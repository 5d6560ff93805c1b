"""Load and validate a portal registry (YAML list; interfaces.md)."""

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.families import FAMILIES

BUNDLED = Path(__file__).resolve().parent / "portals.yaml"
LEVELS = {"national", "province", "city", "county", "township"}
FIELDS = {"id", "name", "region", "level", "family", "start_urls", "allow_private_addresses", "seen_at", "note"}


class RegistryError(ValueError):
    pass


def load_registry(path=None):
    path = Path(path) if path else BUNDLED
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise RegistryError(f"{path}: a registry is a YAML list of portals")
    seen = set()
    for i, portal in enumerate(data):
        validate(portal, f"{path}[{i}]")
        if portal["id"] in seen:
            raise RegistryError(f"{path}[{i}]: duplicate id {portal['id']!r}")
        seen.add(portal["id"])
    return data


def validate(portal, where):
    if not isinstance(portal, dict):
        raise RegistryError(f"{where}: a portal is a mapping")
    unknown = set(portal) - FIELDS
    if unknown:
        raise RegistryError(f"{where}: unknown fields {sorted(unknown)}")
    if not isinstance(portal.get("id"), str) or not portal["id"].strip():
        raise RegistryError(f"{where}: 'id' is required")
    urls = portal.get("start_urls")
    if not isinstance(urls, list) or not urls:
        raise RegistryError(f"{where} ({portal['id']}): 'start_urls' must be a non-empty list")
    for url in urls:
        if urlsplit(str(url)).scheme not in ("http", "https"):
            raise RegistryError(f"{where} ({portal['id']}): only http(s) start URLs, got {url!r}")
    flag = portal.get("allow_private_addresses", False)
    if not isinstance(flag, bool):
        raise RegistryError(f"{where} ({portal['id']}): allow_private_addresses must be true or false "
                            f"(unquoted), got the {type(flag).__name__} {str(flag)[:40]!r}")
    if portal.get("level") is not None and portal["level"] not in LEVELS:
        raise RegistryError(f"{where} ({portal['id']}): level must be one of {sorted(LEVELS)}")
    if portal.get("family") is not None and portal["family"] not in FAMILIES:
        raise RegistryError(f"{where} ({portal['id']}): family must be one of {sorted(FAMILIES)}")
