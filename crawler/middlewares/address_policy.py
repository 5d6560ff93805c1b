"""Network safety: only http(s), and no request to a private, loopback, link-local or
otherwise non-public address unless the portal's registry entry says
`allow_private_addresses: true` (test portals, intranets). Host names are resolved in a
thread, off the reactor; every address a name resolves to must be public."""

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from twisted.internet.threads import deferToThread


class PrivateAddressRefused(IgnoreRequest):
    pass


def non_public(address):
    ip = ipaddress.ip_address(address.split("%")[0])
    return not ip.is_global or ip.is_multicast


def resolve(host, port):
    return {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}


class AddressPolicyMiddleware:
    def __init__(self):
        self.allowed_hosts = set()  # hosts of portals that may be private (their robots.txt too)

    async def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise PrivateAddressRefused(f"only http and https URLs are crawled, not {parts.scheme}:")
        portal = request.meta.get("portal") or {}
        if portal.get("allow_private_addresses"):
            self.allowed_hosts.add(parts.netloc)
            return None
        if not portal and parts.netloc in self.allowed_hosts:
            return None
        host = parts.hostname or ""
        try:
            addresses = {str(ipaddress.ip_address(host))}
        except ValueError:
            try:
                addresses = await deferToThread(resolve, host, parts.port or (443 if parts.scheme == "https" else 80))
            except OSError:
                return None  # let the downloader report the DNS failure
        refused = sorted(a for a in addresses if non_public(a))
        if refused:
            raise PrivateAddressRefused(
                f"{host} resolves to a non-public address ({', '.join(refused)}); "
                "set allow_private_addresses in the registry to crawl it")
        return None
