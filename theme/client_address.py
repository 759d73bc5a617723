"""The address of the person behind a request, read only where it can be trusted.

Behind a reverse proxy every request comes from the proxy, so `REMOTE_ADDR`
alone would put all visitors in one bucket. The proxy appends the address it
saw to `X-Forwarded-For`; a client can write anything to the left of it. With
`TRUSTED_PROXY_COUNT = n`, the address is the n-th entry from the right: the
one the outermost trusted proxy saw. With 0 (no proxy), it is `REMOTE_ADDR`,
and the header is ignored.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _address(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's IP address, or "unknown" when none can be read."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        chain = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(chain) >= proxies and (address := _address(chain[-proxies])):
            return address
        # Fewer entries than proxies: the request did not come through them
        # all, so the connecting address is the only one we know.
    return _address(remote) or UNKNOWN
