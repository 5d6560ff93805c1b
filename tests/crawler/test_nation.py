"""The simulated nation of benchmarks/nation.py at a tiny size, with no delay, so that the
benchmark cannot silently rot: generated portals of every fixture site, each under a host name
of its own on the tests' network, crawled from their home pages by name with the production
settings. Every report of the reachable portals is found once, nothing else is stored, and the
dead and challenged hosts are recorded as failures."""

import sys
from pathlib import Path

from helpers import crawl_registry

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from nation import TEMPLATES, Nation, portal_kind, registry, score  # noqa: E402

# every template once (portals 0-11), a dead host (7), a slow one (11) and a challenged one (41)
PORTALS = [*range(20), 41]


def test_every_report_of_the_reachable_portals_and_the_others_recorded_as_failures(tmp_path):
    kinds = {portal_kind(i) for i in PORTALS}
    assert kinds == {"ok", "dead", "slow", "challenge"} and len(PORTALS) >= len(TEMPLATES) + 2
    with Nation(delay=False):
        crawl_registry(registry(PORTALS), tmp_path)
    result = score(tmp_path / "archive.db", PORTALS)
    assert result["expected"] > 150
    assert (result["found"], result["missed"]) == (result["expected"], {})
    assert (result["non_reports"], result["extra"]) == (0, 0)
    assert dict(result["failures"]["dead"]) == {"connection": 1}
    assert "nothing recorded" not in result["failures"]["challenge"], result["failures"]
