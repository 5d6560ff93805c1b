"""Load and validate a portal registry (YAML list; interfaces.md)."""

import errno
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.families import FAMILIES
from storage.files import read_regular_file

BUNDLED = Path(__file__).resolve().parent / "portals.yaml"
LEVELS = {"national", "province", "city", "county", "township"}
FIELDS = {"id", "name", "region", "level", "family", "start_urls", "allow_private_addresses", "seen_at", "note"}


class RegistryError(ValueError):
    pass


# Bounds on what a registry file may hold, checked before anything is built from it: the
# bundled registry is ~60 KB for 150 portals, so 4 MiB is room for ~10,000.
MAX_REGISTRY_BYTES = 4 * 2**20
MAX_VALUE_CHARS = 2048  # one id, name or URL
MAX_NESTING = 8  # a registry is a list of mappings holding lists: three levels
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 20x faster


def load_registry(path=None):
    path = Path(path) if path else BUNDLED
    data = parse_yaml(path)
    if not isinstance(data, list):
        raise RegistryError(f"{path}: a registry is a YAML list of portals")
    seen = set()
    for i, portal in enumerate(data):
        validate(portal, f"{path}[{i}]")
        if portal["id"] in seen:
            raise RegistryError(f"{path}[{i}]: duplicate id {portal['id']!r}")
        seen.add(portal["id"])
    return data


def parse_yaml(path):
    """The registry's YAML, read only after its size, its values' lengths and its nesting
    passed their bounds; aliases (`*name`, which can expand a few hundred bytes into
    gigabytes) are refused. Every error names the place, never echoes a huge value."""
    try:
        data = read_regular_file(path, MAX_REGISTRY_BYTES)
    except OSError as error:
        if error.errno != errno.EFBIG:
            raise
        raise RegistryError(f"{path}: a registry may hold at most {MAX_REGISTRY_BYTES:,} bytes") from None
    try:
        text = data.decode("utf-8")
        check_yaml_events(yaml.parse(text, Loader=SafeLoader), path)
        return yaml.load(text, Loader=SafeLoader)
    except UnicodeDecodeError as error:
        raise RegistryError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise RegistryError(
            f"{path}{where}: not valid YAML: {getattr(error, 'problem', None) or 'syntax error'}"
        ) from None


def check_yaml_events(events, path):
    depth = 0
    for event in events:
        line = f"{path}, line {event.start_mark.line + 1}"
        if isinstance(event, yaml.AliasEvent):
            raise RegistryError(f"{line}: YAML aliases (*name) are not allowed in a registry")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_VALUE_CHARS:
            raise RegistryError(f"{line}: a value of {len(event.value):,} characters; at most {MAX_VALUE_CHARS:,}")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise RegistryError(f"{line}: nested more than {MAX_NESTING} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


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
        raise RegistryError(
            f"{where} ({portal['id']}): allow_private_addresses must be true or false "
            f"(unquoted), got the {type(flag).__name__} {str(flag)[:40]!r}"
        )
    if portal.get("level") is not None and portal["level"] not in LEVELS:
        raise RegistryError(f"{where} ({portal['id']}): level must be one of {sorted(LEVELS)}")
    if portal.get("family") is not None and portal["family"] not in FAMILIES:
        raise RegistryError(f"{where} ({portal['id']}): family must be one of {sorted(FAMILIES)}")
