"""Network safety, checked before every request is sent (start pages, links, redirects,
robots.txt): only http(s); ASCII headers; and no request to a loopback, private, link-local
or otherwise non-public address, except the private addresses of a portal's own start hosts
when its registry entry says `allow_private_addresses: true` (intranets, the demo portal).

A name is resolved by the crawl's own resolver (crawler/resolver.py), whose cache the
connection then uses; that resolver also refuses to hand a connection any address this policy
did not allow. A redirect is a new request, so it is checked again here.
"""

from urllib.parse import quote, urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from crawler.resolver import PublicAddressResolver, non_public

DEFAULT_PORTS = {"http": 80, "https": 443}


class PrivateAddressRefused(IgnoreRequest):
    pass


class UnsupportedScheme(IgnoreRequest):
    pass


def host_port(url):
    """('www.gov.cn', 80) for 'http://WWW.gov.cn/x'; the port a connection would use."""
    parts = urlsplit(url)
    return (parts.hostname or "", parts.port or DEFAULT_PORTS.get(parts.scheme, 0))


def private_start_hosts(portals):
    """{(host, port): {portal ids}} of the start hosts whose registry entry allows private addresses.
    A start host on a default port may also be reached on the other scheme's (http -> https)."""
    allowed = {}
    for portal in portals:
        if portal.get("allow_private_addresses") is not True:
            continue
        for url in portal["start_urls"]:
            host, port = host_port(url)
            ports = set(DEFAULT_PORTS.values()) if port in DEFAULT_PORTS.values() else {port}
            for each in ports:
                allowed.setdefault((host, each), set()).add(portal["id"])
    return allowed


def ascii_header(value):
    """A header value as ASCII bytes: non-ASCII (a Chinese user agent, a raw URL) percent-encoded."""
    return value if value.isascii() else quote(value, safe=bytes(range(0x20, 0x7F))).encode("ascii")


class AddressPolicyMiddleware:
    def __init__(self, portals=()):
        self.private_hosts = private_start_hosts(portals)

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls()
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider):
        self.private_hosts = private_start_hosts(getattr(spider, "portals", ()))
        resolver = installed_resolver()
        if resolver is not None:
            resolver.allow_private(host for host, _ in self.private_hosts)

    async def process_request(self, request):
        scheme = urlsplit(request.url).scheme
        if scheme not in DEFAULT_PORTS:
            raise UnsupportedScheme(f"only http and https URLs are crawled, not {scheme}:")
        for name, values in list(request.headers.items()):
            if not all(v.isascii() for v in values):
                request.headers[name] = [ascii_header(v) for v in values]
        host, port = host_port(request.url)
        owners = self.private_hosts.get((host, port))
        portal_id = (request.meta.get("portal") or {}).get("id")
        if owners and (portal_id is None or portal_id in owners):  # None: the portal's robots.txt
            return None
        refused = sorted(a for a in await addresses(host) if non_public(a))
        if refused:
            raise PrivateAddressRefused(
                f"{host} resolves to a non-public address ({', '.join(refused)}); only a portal's own "
                "start hosts may be private, when its registry entry sets allow_private_addresses: true"
            )
        return None


def installed_resolver():
    from twisted.internet import reactor

    resolver = getattr(reactor, "nameResolver", None)
    return resolver if isinstance(resolver, PublicAddressResolver) else None


async def addresses(host):
    """Every address of host: itself when it is an IP literal, else what the crawl's resolver says
    (nothing when the name does not resolve: the download then fails with a DNS error)."""
    try:
        non_public(host)
        return [host]
    except ValueError:
        pass
    resolver = installed_resolver()
    if resolver is None:
        raise RuntimeError("TWISTED_DNS_RESOLVER must be crawler.resolver.PublicAddressResolver")
    try:
        return await maybe_deferred_to_future(resolver.lookup(host))
    except DNSLookupError:
        return []
