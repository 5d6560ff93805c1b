"""The registry's citations hold: a sample of entries, each host found under the cited key in
the cited file at the cited commit, each code's level and region as the 民政部 codes say
(scripts/check_provenance.py). Needs the four sources fetched into the mirrors folder
(GOVREPORTS_MIRRORS, default /work/.mirror); skipped, saying so, where they are absent."""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import build_registry  # noqa: E402
import check_provenance  # noqa: E402

from crawler.registry import load_registry  # noqa: E402

MIRRORS = Path(os.environ.get("GOVREPORTS_MIRRORS", "/work/.mirror"))
SOURCES = (build_registry.DEBT, build_registry.CODES, build_registry.TRANSPARENCY, build_registry.GOVERNANCE)


def has_commit(repo, commit):
    git_dir = MIRRORS / repo.replace("/", "+") / "repo"
    done = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True
    )
    return done.returncode == 0


missing = [repo for repo, commit in SOURCES if not has_commit(repo, commit)]
pytestmark = pytest.mark.skipif(
    bool(missing), reason=f"the cited sources are not fetched under {MIRRORS}: {', '.join(missing)}"
)


def test_a_sample_of_entries_is_found_in_its_cited_sources():
    chosen, found = check_provenance.check(load_registry(), MIRRORS, 400, seed=22)
    assert len(chosen) == 400
    assert found == []


def test_a_wrong_host_or_code_is_caught():
    portals = load_registry()
    county = copy.deepcopy(next(p for p in portals if p["level"] == "county" and p["name"].endswith("人民政府")))
    moved = copy.deepcopy(county)
    county["start_urls"] = ["http://www.not-this-county.gov.cn/"]
    moved["code"] = next(
        c
        for c in build_registry.Divisions(
            build_registry.git_show(MIRRORS, build_registry.CODES, "data/2024.txt").decode()
        ).names
        if c.startswith(moved["code"][:4]) and c != moved["code"] and not c.endswith("00")
    )
    _, found = check_provenance.check([county, moved], MIRRORS, 2, seed=1)
    assert any("not-this-county.gov.cn" in f and "gov-flat.json" in f for f in found), found
    assert any("do not follow code" in f for f in found), found
