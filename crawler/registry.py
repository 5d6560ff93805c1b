"""Load and validate a portal registry (YAML list; interfaces.md): one file, or a folder of
files (the bundled registry, crawler/portals/, one file per province) read as one list."""

import errno
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawler.families import FAMILIES
from storage.files import read_regular_file

BUNDLED = Path(__file__).resolve().parent / "portals"
LEVELS = {"national", "province", "city", "county", "township"}
FLAGS = {"shared_host", "unconfirmed", "no_answer_in_source_probe"}
CODE_RE = re.compile(r"^\d{6}$")  # 320102


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


class Portal(BaseModel):
    """One registry entry (docs/interfaces.md), validated after the file passed its bounds
    (size, value length, nesting, no aliases). Strict: a quoted 'false' is no boolean, a
    number no division code; a field the format does not name is refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=r"\S")
    name: str | None = None
    code: str | None = Field(None, pattern=CODE_RE.pattern)
    region: str | None = None
    level: Literal[tuple(sorted(LEVELS))] | None = None
    family: str | None = None
    start_urls: list[str] = Field(min_length=1)
    allow_private_addresses: bool = False
    flags: list[Literal[tuple(sorted(FLAGS))]] = []
    seen_at: str | list[str] = ""
    note: str | None = None

    @field_validator("start_urls")
    @classmethod
    def _http_only(cls, urls):
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"only http(s) start URLs, got {url!r}")
        return urls

    @field_validator("family")
    @classmethod
    def _known_family(cls, family):
        if family is not None and family not in FAMILIES:
            raise ValueError(f"family must be one of {sorted(FAMILIES)}")
        return family


# what each field's refusal says (a short line: pydantic's own messages repeat the input)
REFUSALS = {
    "id": "'id' is required",
    "start_urls": "'start_urls' must be a non-empty list of http(s) URLs",
    "level": f"level must be one of {sorted(LEVELS)}",
    "code": "code must be a 6-digit division code, quoted",
    "flags": f"flags must be a list of {sorted(FLAGS)}",
    "seen_at": "seen_at must be a text or a list of texts",
}


def validate(portal, where):
    """RegistryError naming the place and the first field refused, in one line."""
    if not isinstance(portal, dict):
        raise RegistryError(f"{where}: a portal is a mapping")
    try:
        Portal.model_validate(portal)
    except ValidationError as invalid:
        errors = invalid.errors()
        unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
        if unknown:
            raise RegistryError(f"{where}: unknown fields {unknown}") from None
        raise RegistryError(f"{where}{_named(portal)}: {refusal(errors[0])}") from None


def _named(portal):
    return f" ({portal['id']})" if isinstance(portal.get("id"), str) and portal["id"].strip() else ""


def refusal(error):
    field = str(error["loc"][0]) if error["loc"] else ""
    if field == "allow_private_addresses":
        value = error["input"]
        return f"allow_private_addresses must be true or false (unquoted), got the {type(value).__name__} {str(value)[:40]!r}"
    if error["type"] == "value_error":  # the validators' own words
        return str(error["ctx"]["error"])
    return REFUSALS.get(field, f"{field}: {error['msg']}")
