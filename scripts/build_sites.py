"""Build the generalization corpus of fixture portals: tests/fixtures/sites/<stem>/ (twelve
portals) and, last, tests/fixtures/sites_heldout/<stem>/ (six held-back portals). Each is
built from the structure of real portal pages (quoted in its site.json `seen_at`) by one
module under scripts/sites/, byte for byte reproducible (fixed seeds, no clock).

    python scripts/build_sites.py tests/fixtures/corpus
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sites import (  # noqa: E402
    api_form_county,
    api_json_city,
    beijing_district_trs,
    gbk_county,
    gkmlpt_district,
    hanweb_county,
    jeecms_banner,
    jpaas_zhejiang,
    jsonp_county,
    menu_script_platform,
    openness_county,
    platform_county,
    ruishu_challenge,
    shaanxi_jiyue,
    sichuan_ilist,
    trs_city,
    trs_county_years,
    vsb_county,
    vue_shell_district,
)

from fixturekit.portal import Portal  # noqa: E402

PORTALS = (
    trs_city,
    trs_county_years,
    hanweb_county,
    gkmlpt_district,
    openness_county,
    vsb_county,
    gbk_county,
    jeecms_banner,
    platform_county,
    ruishu_challenge,
    api_form_county,
    api_json_city,
)
HELD_OUT = (
    shaanxi_jiyue,
    sichuan_ilist,
    jpaas_zhejiang,
    beijing_district_trs,
    menu_script_platform,
    vue_shell_district,
    jsonp_county,
)


def build(module, corpus, folder):
    site = Portal.of_corpus(corpus, folder, module.SITE)
    module.build(site, random.Random(module.SITE["host"]))
    return site.save()


def main(corpus):
    hosts = set()
    for folder, modules in (("sites", PORTALS), ("sites_heldout", HELD_OUT)):
        for number, module in enumerate(modules, 1):
            host = module.SITE["host"]
            assert host not in hosts, f"host {host} used twice"
            hosts.add(host)
            reports, non_reports, columns = build(module, corpus, folder)
            name = module.SITE["stem"] if folder == "sites" else f"held-back site {number}"
            print(f"{folder}/{name}: {reports} reports, {non_reports} non-reports, {columns} columns")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/corpus")
