"""Who is asking: the client's address behind the portal's own reverse proxies."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address.

    Without trusted proxies it is the connection's own address. Behind
    ``TRUSTED_PROXY_COUNT`` proxies, each appending the address it received
    the request from to ``X-Forwarded-For``, the client is the entry that
    many places from the right; entries further left are whatever the client
    itself sent, and are never believed. A missing or malformed entry falls
    back to the connection's address.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
