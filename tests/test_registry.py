import re

import pytest

from crawler.registry import RegistryError, load_registry


def test_bundled_registry_loads_and_validates():
    portals = load_registry()
    assert len(portals) >= 150
    assert all(p["start_urls"][0].startswith(("http://", "https://")) for p in portals)
    assert all(p.get("seen_at") for p in portals), "every real URL says where it was seen"
    levels = {p.get("level") for p in portals}
    assert {"national", "province", "city", "county", "township"} <= levels
    families = {p.get("family") for p in portals}
    assert {"trs", "hanweb", "gkmlpt", "openness", "vsb", "jeecms"} <= families
    start_urls = [u for p in portals for u in p["start_urls"]]
    assert len(start_urls) == len(set(start_urls)), "one portal per start URL"


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
