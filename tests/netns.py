"""The tests' own network: the test run lives in network and mount namespaces of its own, with
no route to anywhere, where each fixture portal is served on port 80 of its own address under
a real-looking host name, listed in the namespace's own /etc/hosts.

A crawl test therefore reaches a fixture portal exactly as production reaches a real one: by
name, through the system resolver, the crawl's address policy and the production settings.
The portals' addresses are public ones (11.111.0.0/16, DoD space that is not routed on the
internet), so the policy lets them through without `allow_private_addresses`; the names in
PRIVATE_NAMES resolve to loopback addresses, for the tests of the policy itself. Nothing sent
inside the namespace can leave it.

tests/conftest.py re-runs pytest in here; `python tests/netns.py CMD ...` runs any command in here.
"""

import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MARK = "GOVREPORTS_TEST_NETWORK"
PORTAL_NETWORK = ipaddress.ip_network("11.111.0.0/16")

# Names of the fixture portals that are not folders with a site.json (tests/fixtures/sites/*).
PORTAL_NAMES = (
    "www.shili.gov.cn",  # the bundled sample portal (TRS WCM county portal)
    "www.shili-copy.gov.cn",  # the sample portal again, beside the first
    "www.fault-county.gov.cn",  # tests/fault_portal.py
    "www.public-example.gov.cn",  # the policy tests: a public portal that redirects to private addresses
    "www.long-column.gov.cn",  # pagination without end
    "www.bench-portal.gov.cn",  # benchmarks/crawl.py
    "www.quiet-county.gov.cn",  # tests/crawler/test_silent_zeros.py, tests/crawler/test_challenges.py: portals that yield nothing
    "www.changing-county.gov.cn",  # tests/crawler/test_changes.py: the sample portal, edited between two crawls
)
# Names that resolve to non-public addresses: what the address policy must refuse, or allow
# only to the portal whose registry entry says so.
PRIVATE_NAMES = {
    "intranet.example-agency.gov.cn": "127.0.0.2",
    "metadata.example-cloud.gov.cn": "169.254.169.254",
}


# `portals check` at scale (tests/check_portals.py): CHECK_PORTALS generated portals, each a
# host name of its own, served by one virtual-host server; some names point at an address
# where nothing listens (dead hosts), some at a server that never answers (timeouts), some
# are in no table (names that do not resolve).
CHECK_PORTALS = 600
CHECK_ADDRESSES = {kind: str(PORTAL_NETWORK[-2 - i]) for i, kind in enumerate(("served", "dead", "timeout"))}


def check_host(i):
    return f"c{i:03d}.check-portals.gov.cn"


def check_kind(i):
    """What generated portal i is: dead, timeout, dns, other_site, http_500, dead_end,
    home_column (its home links the annual-report column) or xxgk (its home links its
    信息公开 home, which links the column)."""
    for kind, modulus, rest in (
        ("dead", 20, 7),
        ("dns", 20, 11),
        ("other_site", 20, 13),
        ("http_500", 20, 17),
        ("timeout", 50, 9),
        ("dead_end", 10, 3),
        ("home_column", 4, 1),
    ):
        if i % modulus == rest:
            return kind
    return "xxgk"


def check_host_table():
    table = {}
    for i in range(CHECK_PORTALS):
        kind = check_kind(i)
        if kind != "dns":
            table[check_host(i)] = CHECK_ADDRESSES.get(kind, CHECK_ADDRESSES["served"])
    return table


# The simulated nation (benchmarks/nation.py): NATION_PORTALS generated portals, each a host
# name of its own, served by one virtual-host server; the dead ones point at an address where
# nothing listens. What each portal is (a copy of which fixture site; slow, challenged) is the
# benchmark's business.
NATION_PORTALS = 1000
NATION_ADDRESSES = {kind: str(PORTAL_NETWORK[-10 - i]) for i, kind in enumerate(("served", "dead"))}


def nation_host(i):
    return f"n{i:04d}.nation-portals.gov.cn"


def nation_dead(i):
    """About 2% of the nation's hosts are dead (the name resolves, nothing listens)."""
    return i % 50 == 7


def nation_host_table():
    return {nation_host(i): NATION_ADDRESSES["dead" if nation_dead(i) else "served"] for i in range(NATION_PORTALS)}


def site_hosts():
    """Host names of every fixture site folder (tests/fixtures/**/site.json)."""
    return sorted(
        json.loads(path.read_text(encoding="utf-8"))["host"] for path in (TESTS / "fixtures").glob("**/site.json")
    )


def host_table():
    """{name: address}: the portals on consecutive public addresses, then the private names."""
    names = sorted(set(PORTAL_NAMES) | set(site_hosts()))
    table = {name: str(PORTAL_NETWORK[i + 1]) for i, name in enumerate(names)}
    return {**table, **check_host_table(), **nation_host_table(), **PRIVATE_NAMES}


def inside():
    return os.environ.get(MARK) == "1"


def reexec(argv):
    """Replace this process by argv run inside a new test network (user, net and mount namespaces)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        sys.exit("tests/netns.py: `unshare` (util-linux) is needed to give the tests a network of their own")
    os.execv(unshare, [unshare, "--map-root-user", "--net", "--mount", sys.executable, __file__, *argv])


def set_up():
    """Inside fresh namespaces: loopback up, one address per name, /etc/hosts naming them."""
    table = host_table()
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    for address in sorted(set(table.values())):
        if not ipaddress.ip_address(address).is_loopback:
            subprocess.run(["ip", "addr", "add", f"{address}/32", "dev", "lo"], check=True)
    hosts = tempfile.NamedTemporaryFile("w", prefix="govreports-hosts-", delete=False)
    hosts.write("127.0.0.1 localhost\n::1 localhost ip6-localhost\n")
    hosts.writelines(f"{address} {name}\n" for name, address in table.items())
    hosts.close()
    subprocess.run(["mount", "--bind", hosts.name, "/etc/hosts"], check=True)
    os.unlink(hosts.name)  # the bind mount keeps the file for this namespace; nothing is left in /tmp


def main(argv):
    if argv[:1] == ["--set-up"]:
        set_up()
        os.environ[MARK] = "1"
        os.execvp(argv[1], argv[1:])
    reexec(["--set-up", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
