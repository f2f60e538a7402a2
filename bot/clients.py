"""Who is asking: the address rate limits and caps count, also behind a reverse proxy.

X-Forwarded-For is read only when the direct peer is a proxy the operator trusts
(TRUSTED_PROXIES, CIDR ranges): anyone else could write any address into it. The client is
the right-most address in that header that is not itself a trusted proxy. An IPv6 client
counts per /64, the block one household or phone usually gets.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.requests import HTTPConnection


@lru_cache(maxsize=16)
def parse_networks(cidrs: str) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(
        ip_network(part.strip(), strict=False) for part in cidrs.split(",") if part.strip()
    )


def _trusted(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_key(connection: HTTPConnection, trusted_proxies: str = "") -> str:
    networks = parse_networks(trusted_proxies)
    address = connection.client.host if connection.client else ""
    if networks and _trusted(address, networks):
        forwarded = [
            part.strip() for part in connection.headers.get("x-forwarded-for", "").split(",")
        ]
        for hop in reversed([part for part in forwarded if part]):
            address = hop
            if not _trusted(hop, networks):
                break
    try:
        ip = ip_address(address)
    except ValueError:
        return f"other:{address[:64]}"
    if ip.version == 6:
        return str(ip_network(f"{ip}/64", strict=False))
    return str(ip)
