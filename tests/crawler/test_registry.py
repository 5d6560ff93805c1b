import collections
import re
from urllib.parse import urlsplit

import pytest

from crawler.registry import FLAGS, RegistryError, load_registry, select_portals

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

BUNDLED = load_registry()
REQUIRED = ("id", "name", "code", "region", "level", "start_urls", "seen_at")


def code_level(code):
    if code == "100000":
        return "national"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def host(portal):
    return urlsplit(portal["start_urls"][0]).hostname


def test_bundled_registry_loads_and_validates():
    portals = BUNDLED
    assert all(p["start_urls"][0].startswith(("http://", "https://")) for p in portals)
    levels = {p.get("level") for p in portals}
    assert {"national", "province", "city", "county", "township"} <= levels
    families = {p.get("family") for p in portals}
    assert {"trs", "hanweb", "gkmlpt", "openness", "vsb", "jeecms"} <= families


def test_every_entry_has_the_required_fields_and_says_where_it_was_seen():
    for portal in BUNDLED:
        missing = [field for field in REQUIRED if not portal.get(field)]
        assert not missing, (portal["id"], missing)
        seen = portal["seen_at"] if isinstance(portal["seen_at"], list) else [portal["seen_at"]]
        assert all(s.strip() for s in seen), portal["id"]
    assert len({p["id"] for p in BUNDLED}) == len(BUNDLED)


def test_the_registry_reaches_every_government():
    governments = [p for p in BUNDLED if p["name"].endswith("人民政府") and p["level"] != "township"]
    by_level = collections.Counter(p["level"] for p in governments)
    assert len(governments) >= 3150, by_level
    assert len({p["code"] for p in governments if p["level"] == "province"}) == 31
    assert len({p["code"] for p in governments if p["level"] == "city"}) >= 330
    departments = [p for p in BUNDLED if not p["name"].endswith("人民政府")]
    assert sum(p["level"] == "national" for p in departments) >= 60
    assert len(departments) >= 460
    government_hosts = {host(p) for p in governments}
    own_sites = [p for p in departments if p["level"] in ("province", "city") and host(p) not in government_hosts]
    assert len(own_sites) >= 400


def test_level_and_region_follow_the_division_code():
    regions = {p["code"]: p["region"] for p in BUNDLED if p["name"].endswith("人民政府")}
    for portal in BUNDLED:
        code = portal["code"]
        expected = code_level(code)
        # a township's own 9-digit code is not in the 民政部 list: it carries its county's (or,
        # under a prefecture without counties such as 东莞市, its prefecture's)
        township = portal["level"] == "township" and expected in ("county", "city")
        assert portal["level"] == expected or township, portal["id"]
        assert portal["region"] == regions.get(code, portal["region"]), portal["id"]
        for parent in (code[:2] + "0000", code[:4] + "00"):
            if code != "100000" and parent in regions:
                assert portal["region"].startswith(regions[parent]), (portal["id"], regions[parent])


def test_a_host_shared_by_two_entries_is_marked_on_both():
    by_host = collections.defaultdict(list)
    for portal in BUNDLED:
        by_host[host(portal)].append(portal)
        assert set(portal.get("flags", [])) <= FLAGS
    shared = [entries for entries in by_host.values() if len(entries) > 1]
    assert shared, "the lists do name hosts run by two units"
    for entries in shared:
        for portal in entries:
            assert "shared_host" in portal.get("flags", []), (portal["id"], [p["id"] for p in entries])


def test_selection_by_region_level_and_id_combines():
    jiangsu_counties = select_portals(BUNDLED, regions=["江苏省"], levels=["county"])
    assert jiangsu_counties
    assert all(p["region"].startswith("江苏省") and p["level"] == "county" for p in jiangsu_counties)
    expected = [p for p in BUNDLED if p["region"].startswith("江苏省") and p["level"] == "county"]
    assert jiangsu_counties == expected
    assert select_portals(BUNDLED, regions=["320000"], levels=["county"]) == expected
    nanjing = select_portals(BUNDLED, regions=["320100"])
    assert nanjing and all(p["code"].startswith("3201") for p in nanjing)
    one = jiangsu_counties[0]["id"]
    assert select_portals(BUNDLED, regions=["江苏省"], levels=["county"], ids=[one]) == [jiangsu_counties[0]]
    assert select_portals(BUNDLED, regions=["浙江省"], ids=[one]) == []
    both = select_portals(BUNDLED, regions=["江苏省", "浙江省"], levels=["province"])
    assert {p["region"] for p in both} == {"江苏省", "浙江省"}


def test_a_folder_registry_is_read_as_one_list_and_a_single_file_still_works(tmp_path):
    (tmp_path / "a.yaml").write_text("- {id: a, start_urls: ['http://a/']}\n")
    (tmp_path / "b.yaml").write_text("- {id: b, code: '320102', flags: [shared_host], start_urls: ['http://b/']}\n")
    assert [p["id"] for p in load_registry(tmp_path)] == ["a", "b"]
    assert [p["id"] for p in load_registry(tmp_path / "a.yaml")] == ["a"]
    (tmp_path / "c.yaml").write_text("- {id: a, start_urls: ['http://c/']}\n")
    with pytest.raises(RegistryError, match="duplicate id 'a'"):
        load_registry(tmp_path)


@pytest.mark.parametrize(
    "text,message",
    [
        ("- {name: x}\n", "'id' is required"),
        ("- {id: a, start_urls: []}\n", "non-empty list"),
        ("- {id: a, start_urls: ['file:///etc/passwd']}\n", "only http(s)"),
        ("- {id: a, start_urls: ['http://a/'], level: galaxy}\n", "level must be"),
        ("- {id: a, start_urls: ['http://a/']}\n- {id: a, start_urls: ['http://b/']}\n", "duplicate id"),
        ("{id: a}\n", "YAML list"),
        # a quoted "false" is a non-empty string, which used to read as true
        ("- {id: a, start_urls: ['http://a/'], allow_private_addresses: 'false'}\n", "must be true or false"),
        ("- {id: a, start_urls: ['http://a/'], allow_private_addresses: 1}\n", "must be true or false"),
        ("- {id: a, start_urls: ['http://a/'], code: 320102}\n", "6-digit division code, quoted"),
        ("- {id: a, start_urls: ['http://a/'], flags: [trusted]}\n", "flags must be a list of"),
        ("- {id: a, start_urls: ['http://a/'], seen_at: {x: 1}}\n", "seen_at must be a text"),
    ],
)
def test_bad_registries_are_refused(tmp_path, text, message):
    path = tmp_path / "portals.yaml"
    path.write_text(text)
    with pytest.raises(RegistryError, match=re.escape(message)):
        load_registry(path)


# Thirteen levels of six aliases each: 6**13 URLs once expanded, in under 600 bytes
LEVELS = [f"&l0 [{', '.join(['http://x/'] * 6)}]"] + [f"&l{i} [{', '.join([f'*l{i - 1}'] * 6)}]" for i in range(1, 13)]
ALIAS_BOMB = f"- id: bomb\n  note: [{', '.join(LEVELS)}]\n  start_urls: [*l12]\n"


@pytest.mark.parametrize(
    "text,message",
    [
        (ALIAS_BOMB, "aliases (*name) are not allowed"),
        ("- {id: a, start_urls: ['http://a/']}\n- {id: b, start_urls: *x}\n", "aliases (*name) are not allowed"),
        ("- {id: " + "x" * 3_000_000 + ", start_urls: ['http://a/']}\n", "a value of 3,000,000 characters"),
        ("- " + "[" * 5000 + "]" * 5000 + "\n", "nested more than"),
        ("- {id: [a\n", "line 2: not valid YAML"),
    ],
)
def test_hostile_registries_are_refused_quickly_in_one_short_line(tmp_path, text, message):
    path = tmp_path / "portals.yaml"
    path.write_text(text)
    with pytest.raises(RegistryError, match=re.escape(message)) as refused:
        load_registry(path)
    assert len(str(refused.value)) < 300 and "\n" not in str(refused.value)


def test_a_registry_larger_than_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "portals.yaml"
    path.write_text("- {id: a, start_urls: ['http://a/']}\n" * 200_000)  # 7 MB
    with pytest.raises(RegistryError, match="a registry may hold at most"):
        load_registry(path)
