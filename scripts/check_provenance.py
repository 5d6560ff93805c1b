"""Confirm, for a sample of registry entries, that each cited source names the entry's host
at the cited commit, and that the entry's division code, level and region agree with the
民政部 codes (yescallop/areacodes data/2024.txt). Needs the sources `fetch`ed under --mirrors.

    python scripts/check_provenance.py [--sample 200] [--seed 1] [--registry crawler/portals]

Prints one line per disagreement and exits 1 when there is any; citations of this project's
own sightings (free text) are not checked here.
"""

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_registry import (  # noqa: E402
    CITATION,
    CODES,
    NATIONAL_CODE,
    Divisions,
    bare,
    git_show,
    host_of,
    python_sites,
    ts_region_urls,
    xlsx_rows,
)

from crawler.registry import load_registry  # noqa: E402


class Sources:
    """The cited files, each read once: {key: [hosts]} per (repo, commit, path)."""

    def __init__(self, mirrors):
        self.mirrors = mirrors
        self.read = {}

    def hosts(self, repo, commit, path, key):
        if (repo, commit, path) not in self.read:
            self.read[(repo, commit, path)] = self.index(repo, commit, path)
        return self.read[(repo, commit, path)].get(key, set())

    def index(self, repo, commit, path):
        data = git_show(self.mirrors, (repo, commit), path)
        keyed = {}

        def add(key, url):
            keyed.setdefault(key, set()).add(bare(host_of(url)))

        if path.endswith(".json"):
            for item in json.loads(data):
                add(item["key"], item.get("url") or item.get("govUrl") or "")
        elif path.endswith(".ts"):
            for key, url in ts_region_urls(data.decode("utf-8")):
                add(key, url)
        elif path.endswith(".xlsx"):
            for row, cells in xlsx_rows(data):
                for value in cells.values():
                    if value.startswith("http"):
                        add(f"row{row}", value)
        elif path.endswith(".py"):
            for key, _, url, _ in python_sites(data.decode("utf-8")):
                add(key, url)
        return keyed


def problems(portal, sources, divisions):
    """What is wrong with one entry's citations and code (empty: nothing)."""
    found = []
    code = portal.get("code")
    if code != NATIONAL_CODE and code not in divisions.names:
        found.append(f"{portal['id']}: code {code} is not in {CODES[0]} data/2024.txt")
    elif portal.get("level") != "township" and (
        portal.get("level") != divisions.level(code) or portal.get("region") != divisions.region(code)
    ):
        found.append(
            f"{portal['id']}: level/region {portal.get('level')}/{portal.get('region')} do not follow code {code}"
        )
    hosts = {bare(host_of(url)) for url in portal["start_urls"]}
    seen = portal.get("seen_at") or []
    for citation in [seen] if isinstance(seen, str) else seen:
        cited = CITATION.fullmatch(citation)
        if cited and not hosts & sources.hosts(cited["repo"], cited["commit"], cited["path"], cited["key"]):
            found.append(
                f"{portal['id']}: {sorted(hosts)} not under {cited['key']!r} in {cited['repo']}:{cited['path']}"
            )
    return found


def check(portals, mirrors, sample, seed):
    divisions = Divisions(git_show(mirrors, CODES, "data/2024.txt").decode("utf-8"))
    sources = Sources(mirrors)
    chosen = random.Random(seed).sample(portals, min(sample, len(portals)))
    return chosen, [problem for portal in chosen for problem in problems(portal, sources, divisions)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--registry", default=None, help="registry file or folder (default: the bundled one)")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    chosen, found = check(load_registry(args.registry), args.mirrors, args.sample, args.seed)
    for problem in found:
        print(problem)
    citations = sum(1 for p in chosen for s in ([p["seen_at"]] if isinstance(p["seen_at"], str) else p["seen_at"]))
    print(f"{len(chosen)} entries, {citations} citations checked: {len(found)} disagreements")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
