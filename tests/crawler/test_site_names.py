"""Which hosts are one site (crawler/families/generic.py: site_name, same_site): the name
registered under a public suffix of the Public Suffix List, as tldextract's bundled snapshot
has it, never fetched at run time."""

import pytest

from crawler.families.generic import same_site, site_name

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("www.example.gov.cn", "example.gov.cn"),
        ("mzj.beijing.gov.cn", "beijing.gov.cn"),
        ("xxgk.example.com.cn", "example.com.cn"),
        ("a.example.com", "example.com"),
        # provincial suffixes of .cn the list names, which a rule over gov/org/com/edu/net missed
        ("www.shili.bj.cn", "shili.bj.cn"),
        # addresses are their own site: the hand-written rule made every x.y.0.1 one site "0.1"
        ("10.0.0.1", "10.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_the_site_name_is_the_name_registered_under_a_public_suffix(host, site):
    assert site_name(host) == site


def test_siblings_under_one_site_name_are_one_site_and_addresses_are_not():
    assert same_site("http://xxgk.example.gov.cn/col/index.html", ["www.example.gov.cn"])
    assert not same_site("http://www.other.gov.cn/", ["www.example.gov.cn"])
    assert not same_site("http://192.168.0.1/", ["10.0.0.1"])
