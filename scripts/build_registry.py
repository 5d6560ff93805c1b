"""Build the registry of government portals (crawler/portals/*.yaml) from public lists.

Run once by a maintainer after `fetch`ing the four source repositories; the product never
runs it (the YAML it writes is committed). Only facts are carried over: which government or
agency runs which host, each with `seen_at` citations `owner/repo@commit:path#key` that
scripts/check_provenance.py re-reads. Division codes, levels and regions come from the
民政部 codes in yescallop/areacodes data/2024.txt, never from a list's own labels.

    python scripts/build_registry.py [--mirrors /work/.mirror] [--out crawler/portals]

Sources (docs/portals.md, "The registry"):
- gov-flat.json: one home page per province, prefecture and county government.
- website-budget.ts, website-policy.ts (same repository), local_websites.xlsx,
  national_websites.xlsx, govcms.py, gkmlpt.py: second sightings of a government's host,
  and the department sites (a host one label under a government's own domain, or a
  central organ's site).
- crawler/portals.yaml (the 172 entries seen before): kept with their column URLs, merged
  into their government's entry where they are that government on the same host.
"""

import argparse
import collections
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from crawler.registry import dump_registry_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEBT = ("anyi-econ/china-public-debt", "9b01b30ad48388b558c75b0538fe10a77f7b3650")
CODES = ("yescallop/areacodes", "eed219a0678d36bacaa717f62443b10e869f0291")
TRANSPARENCY = ("zongtihuoguoguan/Policy-Transparency-China-2024", "de4720d1ce593667bef4407424641ce41a4611aa")
GOVERNANCE = ("hulelan/china-governance", "c7329c22d7bce4fd322a7c26838bcdd5cf2396ce")
GOV_FLAT = "scripts/website_management/gov-flat.json"
ACCESS = "scripts/website_management/gov-access-results.json"
BUDGET = "data/website-budget.ts"
POLICY = "data/website-policy.ts"
NATIONAL_XLSX = "Data gathering & processing/national_websites.xlsx"
LOCAL_XLSX = "Data gathering & processing/local_websites.xlsx"
GOVCMS = "crawlers/govcms.py"
GKMLPT = "crawlers/gkmlpt.py"
EXISTING = "ad3a146:crawler/portals.yaml"  # the single-file registry before the split
NATIONAL_CODE = "100000"  # the country has no 民政部 code; the registry's convention
MUNICIPALITIES = {"11", "12", "31", "50"}
OUTSIDE_MAINLAND = {"71", "81", "82"}  # no reports under the 条例


def git_show(mirrors, source, path):
    repo, commit = source
    git_dir = Path(mirrors) / repo.replace("/", "+") / "repo"
    done = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], capture_output=True)
    if done.returncode:
        raise SystemExit(f"build_registry: cannot read {repo}@{commit}:{path} under {git_dir}")
    return done.stdout


def cite(source, path, key):
    return f"{source[0]}@{source[1]}:{path}#{key}"


def host_of(url):
    return (urlsplit(url.strip()).hostname or "").lower()


def bare(host):
    return host[4:] if host.startswith("www.") else host


# --- division codes ------------------------------------------------------------------


class Divisions:
    def __init__(self, text):
        self.names = {}
        for line in text.splitlines():
            code, _, name = line.strip().partition(" ")
            if code and code[:2] not in OUTSIDE_MAINLAND:
                self.names[code] = name.strip()

    @staticmethod
    def level(code):
        if code == NATIONAL_CODE:
            return "national"
        if code.endswith("0000"):
            return "province"
        return "city" if code.endswith("00") else "county"

    def region(self, code):
        if code == NATIONAL_CODE:
            return "全国"
        parts = [self.names[code[:2] + "0000"]]
        prefecture = code[:4] + "00"
        if prefecture != code[:2] + "0000" and prefecture in self.names:
            parts.append(self.names[prefecture])
        if code not in parts and self.level(code) == "county":
            parts.append(self.names[code])
        return "".join(dict.fromkeys(parts))

    def province(self, name):
        return next((c for c, n in self.names.items() if n == name and c.endswith("0000")), None)

    def below(self, prefix, name, levels):
        return [c for c, n in self.names.items() if c.startswith(prefix) and n == name and self.level(c) in levels]

    def by_short_name(self, name, admin_level):
        """The province ('provincial') or prefecture ('municipal') whose name's first two
        characters begin an agency's name, when exactly one does."""
        level = {"provincial": "province", "municipal": "city"}.get(admin_level)
        found = [
            c
            for c, n in self.names.items()
            if name.startswith(n[:2])
            and (self.level(c) == level or (level and c[:2] + "0000" == c and c[:2] in MUNICIPALITIES))
        ]
        return found[0] if len(found) == 1 else None

    def resolve(self, key):
        """The code of a 'province/prefecture/county' name path, or None."""
        parts = key.split("/")
        province = self.province(parts[0])
        if not province or len(parts) == 1:
            return province
        found = self.below(province[:2], parts[1], {"city"}) or self.below(province[:2], parts[1], {"county"})
        if len(parts) == 2:
            return found[0] if len(found) == 1 else None
        if len(found) == 1:
            within = self.below(found[0][:4], parts[2], {"county"})
            if len(within) == 1:
                return within[0]
        anywhere = self.below(province[:2], parts[2], {"county"})
        return anywhere[0] if len(anywhere) == 1 else None


# --- readers of the sources (facts only) ----------------------------------------------


def xlsx_rows(data):
    """(row number, {column letter: text}) of the first sheet, read with the standard library."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    book = zipfile.ZipFile(BytesIO(data))
    strings = []
    if "xl/sharedStrings.xml" in book.namelist():
        for item in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns):
            strings.append("".join(t.text or "" for t in item.iter(f"{{{ns['m']}}}t")))
    for row in ET.fromstring(book.read("xl/worksheets/sheet1.xml")).iter(f"{{{ns['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", ns):
            value = cell.find("m:v", ns)
            text = value.text if value is not None else ""
            if cell.get("t") == "s" and value is not None:
                text = strings[int(value.text)]
            cells[re.sub(r"\d", "", cell.get("r"))] = (text or "").strip()
        yield int(row.get("r")), cells


def ts_region_urls(text):
    """(name path, url) pairs of a TypeScript region file: a `"A/B": "url"` map or a tree of
    `{ name: "A", url: "…", children: [...] }`."""
    text = "\n".join(re.sub(r"(^|\s)//.*$", "", line) for line in text.splitlines())
    pairs = re.findall(r'"([^"\n]+)"\s*:\s*"(https?://[^"\n]+)"', text)
    stack, path = [], []
    for match in re.finditer(r'name:\s*"([^"]+)"|url:\s*"([^"]*)"|children:\s*\[|\[|\]', text):
        token = match.group(0)
        if match.group(1) is not None:
            path = [*[name for name, is_children in stack if is_children and name], match.group(1)]
            current = match.group(1)
        elif match.group(2) is not None:
            if match.group(2).startswith("http"):
                pairs.append(("/".join(path), match.group(2)))
        elif token.startswith("children"):
            stack.append((current, True))
        elif token == "[":
            stack.append((None, False))
        elif stack:
            stack.pop()
    return pairs


def python_sites(text):
    """(key, name, base_url, admin_level) of the site dictionaries in a crawler's config."""
    starts = list(re.finditer(r'^\s*"(\w+)":\s*\{', text, re.M))
    for here, after in zip(starts, [*starts[1:], None]):
        body = text[here.end() : after.start() if after else here.end() + 1500]
        name = re.search(r'"name":\s*"([^"]+)"', body)
        url = re.search(r'"base_url":\s*"([^"]+)"', body)
        level = re.search(r'"admin_level":\s*"(\w+)"', body)
        if name and url:
            yield here.group(1), name.group(1), url.group(1), level.group(1) if level else ""


# Agencies a source names in English only (gkmlpt.py's Shenzhen bureaus): their Chinese
# names, each entry noting the source's English
ENGLISH_NAMES = {
    "Audit Bureau": "审计局",
    "Development & Reform Commission": "发展和改革委员会",
    "Public Security Bureau": "公安局",
    "Human Resources & Social Security": "人力资源和社会保障局",
    "Transport Bureau": "交通运输局",
    "Civil Affairs Bureau": "民政局",
    "Justice Bureau": "司法局",
    "S&T Innovation Bureau": "科技创新局",
    "Commerce Bureau": "商务局",
    "Education Bureau": "教育局",
    "Health Commission": "卫生健康委员会",
    "Emergency Management Bureau": "应急管理局",
    "Housing & Construction Bureau": "住房和建设局",
}


def chinese_name(name):
    found = re.search(r"[（(]([^)）]*[\u4e00-\u9fff][^)）]*)[)）]", name)
    return found.group(1) if found else name


# --- building -----------------------------------------------------------------------


class Builder:
    def __init__(self, mirrors):
        self.mirrors = mirrors
        self.divisions = Divisions(git_show(mirrors, CODES, "data/2024.txt").decode("utf-8"))
        self.entries = []
        self.by_code_host = {}
        self.sightings = collections.defaultdict(list)  # host -> citations outside gov-flat
        self.unresolved = []

    def show(self, source, path):
        return git_show(self.mirrors, source, path)

    def add(self, entry):
        self.entries.append(entry)
        self.by_code_host[(entry["code"], host_of(entry["start_urls"][0]))] = entry
        return entry

    def governments(self):
        answered = {e["key"]: e for e in json.loads(self.show(DEBT, ACCESS)) if e.get("accessMethod", "none") != "none"}
        for item in json.loads(self.show(DEBT, GOV_FLAT)):
            code = self.divisions.resolve(item["key"])
            url = item["url"].strip()
            if not code or not url.startswith("http"):
                self.unresolved.append((GOV_FLAT, item["key"], url))
                continue
            entry = {
                "id": f"{code}_{slug(host_of(url))}",
                "name": self.government_name(code),
                "code": code,
                "start_urls": [url],
                "seen_at": [cite(DEBT, GOV_FLAT, item["key"])],
                "flags": [] if item["key"] in answered else ["no_answer_in_source_probe"],
                "kind": "government",
            }
            self.add(entry)

    def government_name(self, code):
        return self.divisions.names[code] + "人民政府"

    def government_domains(self):
        domains = {}
        for entry in self.entries:
            if entry["kind"] == "government":
                domains.setdefault(bare(host_of(entry["start_urls"][0])), entry["code"])
        return domains

    def second_sightings(self):
        """Hosts seen in the other lists: each confirms a government's host or names a
        department site one label under a government's domain."""
        for path in (BUDGET, POLICY):
            for key, url in ts_region_urls(self.show(DEBT, path).decode("utf-8")):
                self.sightings[host_of(url)].append((cite(DEBT, path, key), key, url, path))
        for row, cells in xlsx_rows(self.show(TRANSPARENCY, LOCAL_XLSX)):
            if row > 1 and cells.get("C", "").startswith("http"):
                self.sightings[host_of(cells["C"])].append((cite(TRANSPARENCY, LOCAL_XLSX, f"row{row}"), "", "", ""))

    def departments(self):
        domains = self.government_domains()
        for row, cells in xlsx_rows(self.show(TRANSPARENCY, NATIONAL_XLSX)):
            url = cells.get("B", "")
            if row > 1 and url.startswith("http") and re.search(r"[\u4e00-\u9fff]", cells.get("A", "")):
                self.department(NATIONAL_CODE, cells["A"], url, cite(TRANSPARENCY, NATIONAL_XLSX, f"row{row}"))
        for path in (GOVCMS, GKMLPT):
            text = self.show(GOVERNANCE, path).decode("utf-8")
            for key, name, url, admin_level in python_sites(text):
                citation = cite(GOVERNANCE, path, key)
                host = host_of(url)
                code = domains.get(bare(host)) or domains.get(parent_domain(host))
                if admin_level == "central" and not code:
                    code = NATIONAL_CODE
                code = code or self.divisions.by_short_name(chinese_name(name), admin_level)
                if not code:
                    self.unresolved.append((path, key, url))
                elif bare(host) in domains:
                    self.sightings[host].append((citation, "", "", path))  # a government's own host
                else:
                    entry = self.department(code, self.department_name(code, chinese_name(name)), url, citation)
                    if entry and name in ENGLISH_NAMES:
                        entry["name"] = self.divisions.names[code] + ENGLISH_NAMES[name]
                        entry["note"] = f"name: the source gives '{name}' in English"
        for host, seen in list(self.sightings.items()):
            code = domains.get(parent_domain(host))
            for citation, key, url, path in seen:
                if path == BUDGET and code and "cz" in host.split(".")[0] and key.count("/") <= 1:
                    if self.divisions.resolve(key) == code:
                        self.department(code, self.finance_name(code), f"{urlsplit(url).scheme}://{host}/", citation)

    def department_name(self, code, name):
        if code == NATIONAL_CODE or re.match(r"[\u4e00-\u9fff]{2,}(省|市|自治区|区|县)", name):
            return name
        return name if name.startswith(self.divisions.names[code][:2]) else self.divisions.names[code] + name

    def finance_name(self, code):
        own = self.divisions.names[code]
        province_bureau = code.endswith("0000") and code[:2] not in MUNICIPALITIES
        return own + ("财政厅" if province_bureau else "财政局")

    def department(self, code, name, url, citation):
        host = host_of(url)
        known = self.by_code_host.get((code, host))
        if known:
            if citation not in known["seen_at"]:
                known["seen_at"].append(citation)
            return None
        return self.add(
            {
                "id": f"{code}_{slug(host)}",
                "name": name,
                "code": code,
                "start_urls": [f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/"],
                "seen_at": [citation],
                "flags": [],
                "kind": "department",
            }
        )

    def confirm(self):
        for entry in self.entries:
            host = host_of(entry["start_urls"][0])
            for citation, key, _, _ in self.sightings.get(host, []):
                if key and self.divisions.resolve(key) != entry["code"]:
                    continue  # another unit's page on this host: not a sighting of this unit
                if citation not in entry["seen_at"]:
                    entry["seen_at"].append(citation)
            if len({citation_source(c) for c in entry["seen_at"]}) < 2:
                entry["flags"].append("unconfirmed")

    def merge_existing(self, revision):
        """The registry entries seen before: kept whole (ids, column URLs, seen_at); one that
        is a government on that government's own host becomes that government's entry."""
        kept = []
        text = subprocess.run(["git", "-C", str(ROOT), "show", revision], capture_output=True, check=True).stdout
        for old in yaml.safe_load(text):
            code = self.existing_code(old)
            host = host_of(old["start_urls"][0])
            match = self.by_code_host.get((code, host)) or self.by_code_host.get((code, "www." + bare(host)))
            is_government = old.get("name", "").endswith("人民政府") or old["level"] == "national"
            if match and match.get("merged") is None and (is_government or match["kind"] == "department"):
                match.update({k: v for k, v in old.items() if k not in ("region", "seen_at", "level")})
                match["seen_at"] = [old["seen_at"], *match["seen_at"]]
                match["merged"] = True
                continue
            entry = {k: v for k, v in old.items() if k not in ("region",)}
            entry.update(code=code, kind="existing", flags=[], seen_at=[old["seen_at"]])
            kept.append(entry)
        for entry in kept:
            self.entries.append(entry)

    def existing_code(self, old):
        digits = re.match(r"(\d{6})_", old["id"])
        if old.get("level") == "national":
            return NATIONAL_CODE
        if digits and digits.group(1) in self.divisions.names:
            return digits.group(1)
        region = old["region"]
        for code in sorted(self.divisions.names, key=lambda c: -len(self.divisions.region(c))):
            if region.startswith(self.divisions.region(code)):
                return code
        raise SystemExit(f"build_registry: no division code for {old['id']} ({region})")

    def finish(self):
        by_host = collections.Counter(host_of(e["start_urls"][0]) for e in self.entries)
        ids = collections.Counter()
        for entry in self.entries:
            if by_host[host_of(entry["start_urls"][0])] > 1:
                entry["flags"].append("shared_host")
            ids[entry["id"]] += 1
            if ids[entry["id"]] > 1:
                entry["id"] += f"_{ids[entry['id']]}"
            code = entry["code"]
            entry["region"] = self.divisions.region(code)
            if entry.get("level") != "township":
                entry["level"] = self.divisions.level(code)
            entry["flags"] = sorted(set(entry["flags"]))


CITATION = re.compile(r"(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{40}):(?P<path>[^#]+)#(?P<key>.+)")


def citation_source(seen):
    """The file a citation names (a list of the same file is one source); a free-text
    sighting from this project (a stored page, docs/portals.md) is a source of its own."""
    found = CITATION.fullmatch(seen)
    return (found["repo"], found["path"]) if found else ("this project", seen)


def slug(host):
    trimmed = re.sub(r"\.gov\.cn$|\.(com|cn|net|org)$", "", bare(host))
    return re.sub(r"[^a-z0-9]+", "_", trimmed).strip("_") or "site"


def parent_domain(host):
    return bare(host).split(".", 1)[1] if "." in bare(host) else ""


ORDER = ("id", "name", "code", "region", "level", "family", "start_urls", "allow_private_addresses", "flags")


def as_yaml(entry):
    out = {key: entry[key] for key in ORDER if entry.get(key) not in (None, [])}
    seen = entry["seen_at"]
    out["seen_at"] = seen[0] if len(seen) == 1 else seen
    if entry.get("note"):
        out["note"] = entry["note"]
    return out


def write(builder, out):
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    files = collections.defaultdict(list)
    for entry in builder.entries:
        files[entry["code"][:2] + "0000"].append(entry)
    for province, entries in sorted(files.items()):
        entries.sort(key=lambda e: (e["code"], e.get("kind") != "government", e["id"]))
        name = "全国" if province == NATIONAL_CODE else builder.divisions.names[province]
        header = (
            f"# {name}: generated by scripts/build_registry.py from the lists its seen_at cite\n"
            "# (docs/portals.md, 'The registry'); `portals check --update` adds checked columns.\n\n"
        )
        dump_registry_file(out / f"{province}-{name}.yaml", [as_yaml(e) for e in entries], header)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--existing", default=EXISTING, help="git revision:path of the entries seen before")
    parser.add_argument("--out", default=str(ROOT / "crawler" / "portals"))
    args = parser.parse_args(argv)
    builder = Builder(args.mirrors)
    builder.governments()
    builder.second_sightings()
    builder.departments()
    builder.merge_existing(args.existing)
    builder.confirm()
    builder.finish()
    write(builder, Path(args.out))
    kinds = collections.Counter((e.get("kind"), e["level"]) for e in builder.entries)
    print(f"{len(builder.entries)} entries: " + ", ".join(f"{k}/{lvl} {n}" for (k, lvl), n in sorted(kinds.items())))
    for path, key, url in builder.unresolved:
        print(f"  not placed: {path} {key} {url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
