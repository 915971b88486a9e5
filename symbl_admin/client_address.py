"""The client's address, as far as this deployment can know it (the sign-in throttle and the
audit log both ask here, so they always agree).

Without a proxy: REMOTE_ADDR, and X-Forwarded-For is never read (anyone can send one).
Behind DJANGO_TRUSTED_PROXY_COUNT proxies of ours (DJANGO_BEHIND_PROXY): each proxy appends
the address it saw, so the client's real address is the Nth entry from the right; whatever
stands left of it was written by the client and buys nothing. Fewer entries than proxies (a
request that skipped the outer proxy): the leftmost, which one of ours wrote.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

MAX_SHOWN = 100  # a proxy writes addresses; anything longer is cut, never stored whole


def client_address(request) -> str:
    """The client's address for this request ("" without a request)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote[:MAX_SHOWN]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if not hops:
        return remote[:MAX_SHOWN]
    return hops[max(len(hops) - settings.TRUSTED_PROXY_COUNT, 0)][:MAX_SHOWN]


def address_block(address: str) -> str:
    """The block one client controls: an IPv4 address itself, an IPv6 address's /64 (one
    host is usually given a whole /64, so counting single IPv6 addresses counts nothing)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
