"""The crawl's name resolver (Scrapy's TWISTED_DNS_RESOLVER): names are resolved by the system
(getaddrinfo in the reactor's thread pool, so /etc/hosts and the system's DNS apply), cached
like Scrapy's own resolver, and a connection is never handed a non-public address, except for
the host names whose registry entry allows private addresses.

The address policy middleware asks `lookup` for every address of a name before a request is
sent, to refuse it with a reason; the connection then resolves the same name through the same
cache, and this resolver drops any non-public address it was not allowed to give, so a name
that changed its answer in between still cannot reach a private address.
"""

import ipaddress

from scrapy.resolver import CachingHostnameResolver
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer, provider


def non_public(address):
    """Loopback, private, link-local, shared, reserved or multicast: anything not on the internet."""
    ip = ipaddress.ip_address(address.split("%")[0])
    return not ip.is_global or ip.is_multicast


@implementer(IHostnameResolver)
class PublicAddressResolver(CachingHostnameResolver):
    def __init__(self, reactor, cache_size):
        super().__init__(reactor, cache_size)
        self.private_hosts = set()  # lower-case names whose private addresses a registry allows

    def allow_private(self, hosts):
        self.private_hosts.update(host.lower() for host in hosts)

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"):
        if hostName.lower() not in self.private_hosts:
            receiver = _PublicOnly(receiver)
        return super().resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)

    def lookup(self, host):
        """Deferred list of every address `host` resolves to (through the cache, unfiltered)."""
        collected = _Collect()
        super().resolveHostName(collected, host, 0)
        return collected.done


@provider(IResolutionReceiver)
class _PublicOnly:
    """Passes on only the public addresses of a resolution."""

    def __init__(self, receiver):
        self.receiver = receiver

    def resolutionBegan(self, resolution):
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address):
        if not non_public(address.host):
            self.receiver.addressResolved(address)

    def resolutionComplete(self):
        self.receiver.resolutionComplete()


@provider(IResolutionReceiver)
class _Collect:
    """Gathers a resolution's addresses into a Deferred list."""

    def __init__(self):
        self.addresses = []
        self.done = Deferred()

    def resolutionBegan(self, resolution):
        pass

    def addressResolved(self, address):
        self.addresses.append(address.host)

    def resolutionComplete(self):
        self.done.callback(self.addresses)
