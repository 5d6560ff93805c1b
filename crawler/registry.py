"""Load and validate a portal registry (YAML list; interfaces.md): one file, or a folder of
files (the bundled registry, crawler/portals/, one file per province) read as one list."""

import errno
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.families import FAMILIES
from storage.files import read_regular_file

BUNDLED = Path(__file__).resolve().parent / "portals"
LEVELS = {"national", "province", "city", "county", "township"}
FLAGS = {"shared_host", "unconfirmed", "no_answer_in_source_probe"}
FIELDS = {
    "id", "name", "code", "region", "level", "family", "start_urls", "allow_private_addresses",
    "flags", "seen_at", "note",
}  # fmt: skip
CODE_RE = re.compile(r"\d{6}")


class RegistryError(ValueError):
    pass


# Bounds on what a registry file may hold, checked before anything is built from it: the
# largest bundled file (a province) is ~120 KB for ~200 portals, so 4 MiB a file is ample.
MAX_REGISTRY_BYTES = 4 * 2**20
MAX_VALUE_CHARS = 2048  # one id, name or URL
MAX_NESTING = 8  # a registry is a list of mappings holding lists: three levels
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the C parser


MAX_REGISTRY_FILES = 200  # a folder registry: one file per province, room to split further


def registry_files(path=None):
    """The YAML files a registry path stands for: itself, or a folder's *.yaml in name order."""
    path = Path(path) if path else BUNDLED
    if not path.is_dir():
        return [path]
    files = sorted(path.glob("*.yaml"))
    if not files:
        raise RegistryError(f"{path}: a registry folder holds *.yaml files; none found")
    if len(files) > MAX_REGISTRY_FILES:
        raise RegistryError(f"{path}: {len(files):,} files; a registry folder may hold at most {MAX_REGISTRY_FILES}")
    return files


def load_registry(path=None):
    portals, seen = [], {}
    for file in registry_files(path):
        data = parse_yaml(file)
        if not isinstance(data, list):
            raise RegistryError(f"{file}: a registry is a YAML list of portals")
        for i, portal in enumerate(data):
            validate(portal, f"{file}[{i}]")
            if portal["id"] in seen:
                raise RegistryError(f"{file}[{i}]: duplicate id {portal['id']!r} (also in {seen[portal['id']].name})")
            seen[portal["id"]] = file
        portals.extend(data)
    return portals


def dump_registry_file(path, portals, header=""):
    """Write a registry file a person can read: the header comments, then one entry per
    paragraph, keys in the order of the registry format."""
    body = yaml.safe_dump(portals, allow_unicode=True, sort_keys=False, width=200)
    Path(path).write_text(header + body.replace("\n- id:", "\n\n- id:"), encoding="utf-8")


def select_portals(portals, regions=(), levels=(), ids=()):
    """The portals matching every kind of choice given, any value within a kind: a region is
    a name its `region` starts with (江苏省, 江苏省南京市) or a division code (320000 takes
    the province, 320100 the prefecture, 320102 the county)."""
    return [
        p
        for p in portals
        if (not regions or any(in_region(p, r) for r in regions))
        and (not levels or p.get("level") in levels)
        and (not ids or p["id"] in ids)
    ]


def in_region(portal, region):
    if not CODE_RE.fullmatch(region):
        return (portal.get("region") or "").startswith(region)
    code = str(portal.get("code") or "")
    prefix = region.rstrip("0") if region != "100000" else region
    return code == region or (len(prefix) in (2, 4) and code.startswith(prefix))


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
    if portal.get("code") is not None and not CODE_RE.fullmatch(
        str(portal["code"]) if isinstance(portal["code"], str) else ""
    ):
        raise RegistryError(f"{where} ({portal['id']}): code must be a 6-digit division code, quoted")
    flags = portal.get("flags", [])
    if not isinstance(flags, list) or not set(flags) <= FLAGS:
        raise RegistryError(f"{where} ({portal['id']}): flags must be a list of {sorted(FLAGS)}")
    seen_at = portal.get("seen_at", "")
    if not isinstance(seen_at, str) and not (isinstance(seen_at, list) and all(isinstance(s, str) for s in seen_at)):
        raise RegistryError(f"{where} ({portal['id']}): seen_at must be a text or a list of texts")
