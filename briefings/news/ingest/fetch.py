"""The one guarded HTTP client for every outgoing request (news feeds).

What it guarantees, hop by hop (redirects included):

- http and https only; no user name or password in the address;
- the host is resolved here, once, and every address in the answer must be
  public (or inside `FEEDS_ALLOWED_NETWORKS`); the socket is then opened to
  that vetted address itself, so a second DNS answer can never change where
  the request goes, while `Host` and TLS (SNI, certificate) use the name;
- a connect timeout, and a total deadline enforced by a watchdog that shuts
  the socket, so a server that drips bytes cannot hold a worker;
- a size cap counted after decompression: gzip and deflate are decompressed
  here, in steps, and reading stops as soon as the cap is passed;
- conditional GET (`If-None-Match`, `If-Modified-Since`) and a plain-words
  error with the `Retry-After` delay the server asked for.
"""

import contextlib
import email.utils
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
MAX_URL_LENGTH = 2000
READ_CHUNK = 64 * 1024
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)

# Refused whatever `ipaddress` says about them (its notion of "global" has
# changed between Python versions and misses multicast, for instance).
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network", 0.0.0.0
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata at 169.254.169.254
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "::/96",  # unspecified, loopback and IPv4-compatible
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
SHARED_NETWORK = ipaddress.ip_network("100.64.0.0/10")
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
# Hosts written as numbers in forms browsers and inet_aton accept:
# 2130706433, 0x7f.1, 017700000001, 127.1 ...
NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """A fetch failed; the message says why in plain words."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


class FetchRefused(FetchError):
    """The guard refused the address before any connection was made."""


class FetchTimeout(FetchError):
    """No complete answer within the time limits."""


class FetchTooLarge(FetchError):
    """The body passed the size cap (after decompression)."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the server says nothing changed
    url: str  # the address finally answered, after redirects
    body: bytes  # decompressed; empty for 304
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    redirects: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Target:
    """A checked address: what to resolve, where to connect, what to ask for."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    request_path: str


def _limits() -> dict[str, Any]:
    return {
        "connect_timeout": settings.FEEDS_CONNECT_TIMEOUT,
        "total_timeout": settings.FEEDS_TOTAL_TIMEOUT,
        "max_bytes": settings.FEEDS_MAX_BYTES,
        "max_redirects": settings.FEEDS_MAX_REDIRECTS,
    }


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False)
        for network in getattr(settings, "FEEDS_ALLOWED_NETWORKS", [])
    ]


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    embedded = []
    if address.ipv4_mapped is not None:
        embedded.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    if address in NAT64_PREFIX:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return embedded


def _address_kind(address: IPAddress) -> str | None:
    """Why an address is not public, in words; None when it is public."""
    checks = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
    )
    for failed, kind in checks:
        if failed:
            return kind
    if address in SHARED_NETWORK:
        return "shared (carrier-grade NAT)"
    if any(address in network for network in BLOCKED_NETWORKS):
        return "special-purpose"
    if not address.is_global:
        return "non-public"
    return None


def address_check(address: str | IPAddress, *, host: str = "") -> IPAddress:
    """Return the address if it may be connected to; raise FetchRefused if not."""
    if isinstance(address, str):
        try:
            address = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            raise FetchRefused(f"“{address}” is not an IP address.") from None
    if any(address in network for network in _allowed_networks()):
        return address
    named = f"{host} resolves to " if host and host != str(address) else ""
    for candidate in (address, *_embedded_ipv4(address)):
        kind = _address_kind(candidate)
        if kind is not None:
            shown = str(address) if candidate == address else f"{address} ({candidate})"
            raise FetchRefused(
                f"Refused: {named}{shown}, a {kind} address. Only public "
                "addresses on the internet are fetched."
            )
    return address


def _numeric_host(host: str) -> IPAddress | None:
    """The address a host written as an IP literal, in any spelling, stands for."""
    bare = host.split("%", 1)[0]
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(bare)
    if NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            raise FetchRefused(f"“{host}” is not a valid address.") from None
    return None


def url_check(url: str) -> Target:
    """Check an address before anything is resolved or connected."""
    if not isinstance(url, str) or not url:
        raise FetchRefused("No address given.")
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused(f"The address is longer than {MAX_URL_LENGTH} characters.")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise FetchRefused("The address contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"The address is not valid ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        shown = f"“{scheme}:”" if scheme else "no scheme"
        raise FetchRefused(f"Only http and https addresses are fetched, not {shown}.")
    if "@" in parts.netloc or parts.username is not None:
        raise FetchRefused(
            "The address contains a user name or password; feeds are fetched "
            "without credentials."
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("The address has no host name.")
    if _numeric_host(host) is None:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchRefused(f"“{host}” is not a valid host name.") from None
        if not re.fullmatch(r"[a-z0-9_.-]+", host):
            raise FetchRefused(f"“{host}” is not a valid host name.")
    path = parts.path or "/"
    request_path = f"{path}?{parts.query}" if parts.query else path
    return Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port or DEFAULT_PORTS[scheme],
        request_path=request_path,
    )


def url_precheck(url: str) -> Target:
    """Everything that can be checked without the network (forms, imports)."""
    target = url_check(url)
    literal = _numeric_host(target.host)
    if literal is not None:
        address_check(literal, host=target.host)
    return target


def host_resolve(*, host: str, port: int) -> list[tuple[int, tuple]]:
    """Resolve once and vet every answer: one bad address refuses them all."""
    literal = _numeric_host(host)
    if literal is not None:
        address = address_check(literal, host=host)
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sockaddr = (str(address), port, 0, 0) if address.version == 6 else None
        return [(family, sockaddr or (str(address), port))]
    try:
        answers = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise FetchError(
            f"The host name {host} could not be resolved ({reason})."
        ) from None
    vetted: list[tuple[int, tuple]] = []
    for family, _type, _proto, _canonname, sockaddr in answers:
        if family not in (socket.AF_INET, socket.AF_INET6):
            raise FetchRefused(f"{host} resolves to an address that is not IP.")
        address_check(sockaddr[0], host=host)
        if (family, sockaddr) not in vetted:
            vetted.append((family, sockaddr))
    if not vetted:
        raise FetchError(f"The host name {host} has no address.")
    return vetted


def _socket_connect(family: int, sockaddr: tuple, timeout: float) -> socket.socket:
    """Open a TCP connection to exactly this (already vetted) socket address."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a vetted address; `Host` still carries the name."""

    def __init__(self, host, port, *, family, sockaddr, connect_timeout, timeout):
        super().__init__(host, port, timeout=timeout)
        self._family = family
        self._sockaddr = sockaddr
        self._connect_timeout = connect_timeout

    def connect(self):
        self.sock = _socket_connect(self._family, self._sockaddr, self._connect_timeout)
        self.sock.settimeout(self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a vetted address; SNI and certificate use the name."""

    def __init__(self, host, port, *, family, sockaddr, connect_timeout, timeout):
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._family = family
        self._sockaddr = sockaddr
        self._connect_timeout = connect_timeout

    def connect(self):
        sock = _socket_connect(self._family, self._sockaddr, self._connect_timeout)
        try:
            sock.settimeout(self.timeout)
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


class _Decompressor:
    """Decompress gzip or deflate in steps, never past the size cap."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self._zlib = None
        self._pending_deflate = False
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._pending_deflate = True
        elif encoding not in ("", "identity"):
            raise FetchError(
                f"The server compressed the feed with “{encoding}”, which is "
                "not supported (only gzip and deflate are)."
            )

    def feed(self, data: bytes, budget: int) -> bytes:
        """Up to budget + 1 bytes of output; more input left over means more."""
        if self._pending_deflate:
            # "deflate" is zlib-wrapped by the standard, raw in some servers.
            wrapped = len(data) >= 2 and (data[0] & 0x0F) == 8
            wrapped = wrapped and ((data[0] << 8) + data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -15)
            self._pending_deflate = False
        if self._zlib is None:
            return data
        output = bytearray()
        while data and len(output) <= budget:
            try:
                output += self._zlib.decompress(data, budget + 1 - len(output))
            except zlib.error:
                raise FetchError("The compressed response is corrupt.") from None
            data = self._zlib.unconsumed_tail
            if self._zlib.eof and self._zlib.unused_data:
                # Another gzip member follows.
                data = self._zlib.unused_data
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return bytes(output)

    def finish(self) -> None:
        if self._zlib is not None and not self._zlib.eof:
            raise FetchError("The compressed response ended early.")


def _read_body(
    response: http.client.HTTPResponse, *, max_bytes: int, deadline: float
) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    decompressor = _Decompressor(encoding)
    length = response.getheader("Content-Length")
    identity = encoding in ("", "identity")
    if identity and length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchTooLarge(_too_large(max_bytes))
    body = bytearray()
    raw_total = 0
    raw_cap = max_bytes + 1024 * 1024
    while True:
        if time.monotonic() > deadline:
            raise FetchTimeout("The server was too slow to send the feed.")
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        raw_total += len(chunk)
        if raw_total > raw_cap:
            raise FetchTooLarge(_too_large(max_bytes))
        body += decompressor.feed(chunk, max_bytes - len(body))
        if len(body) > max_bytes:
            raise FetchTooLarge(_too_large(max_bytes))
    decompressor.finish()
    return bytes(body)


def _too_large(max_bytes: int) -> str:
    return (
        f"The feed is larger than {max_bytes // (1024 * 1024) or 1} MB once "
        "decompressed; it was not read further."
    )


def retry_after_seconds(
    value: str | None, *, now: datetime | None = None
) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _status_error(response: http.client.HTTPResponse) -> FetchError:
    status = response.status
    reason = (response.reason or "").strip()[:100]
    if status in RETRY_AFTER_STATUSES:
        retry_after = retry_after_seconds(response.getheader("Retry-After"))
        words = "too many requests" if status == 429 else "temporarily unavailable"
        later = (
            f" It asked us to wait {int(retry_after)} seconds."
            if retry_after is not None
            else ""
        )
        return FetchError(
            f"The server answered {status} ({words}).{later}",
            status=status,
            retry_after=retry_after,
        )
    if status == 404:
        words = "the feed is not at this address"
    elif status == 410:
        words = "the feed has been removed"
    elif status in (401, 403):
        words = "access is not allowed"
    elif status >= 500:
        words = "an error on the server"
    else:
        words = reason or "unexpected answer"
    return FetchError(f"The server answered {status} ({words}).", status=status)


def _network_error(error: BaseException, target: Target, timeout: float) -> FetchError:
    if isinstance(error, FetchError):
        return error
    if isinstance(error, TimeoutError):
        return FetchTimeout(f"{target.host} did not answer within {timeout:g} seconds.")
    if isinstance(error, ssl.SSLCertVerificationError):
        return FetchError(
            f"The security certificate of {target.host} could not be verified "
            f"({error.verify_message or error})."
        )
    if isinstance(error, ssl.SSLError):
        return FetchError(f"The secure connection to {target.host} failed ({error}).")
    if isinstance(error, ConnectionRefusedError):
        return FetchError(f"{target.host} refused the connection.")
    if isinstance(error, http.client.HTTPException):
        return FetchError(f"{target.host} sent a malformed answer ({error!r}).")
    if isinstance(error, OSError):
        return FetchError(
            f"Network error while fetching from {target.host}: "
            f"{error.strerror or error}."
        )
    return FetchError(f"Fetching failed: {error!r}")


def _request_once(
    target: Target,
    *,
    headers: dict[str, str],
    deadline: float,
    connect_timeout: float,
    total_timeout: float,
    max_bytes: int,
) -> tuple[http.client.HTTPResponse, bytes | None]:
    """One request to one vetted address. Returns the response and its body
    (None for redirects and errors, whose bodies are not read)."""
    addresses = host_resolve(host=target.host, port=target.port)
    connection_class = (
        PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    )
    last_error: BaseException | None = None
    for family, sockaddr in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout(f"No answer within {total_timeout:g} seconds.")
        connection = connection_class(
            target.host,
            target.port,
            family=family,
            sockaddr=sockaddr,
            connect_timeout=min(connect_timeout, remaining),
            timeout=remaining,
        )
        # The watchdog enforces the deadline even while a read is in progress.
        watchdog = threading.Timer(remaining, _shut, args=(connection,))
        watchdog.daemon = True
        watchdog.start()
        try:
            try:
                connection.connect()
            except OSError as error:
                last_error = error
                continue
            connection.request("GET", target.request_path, headers=headers)
            response = connection.getresponse()
            if response.status == 200:
                return response, _read_body(
                    response, max_bytes=max_bytes, deadline=deadline
                )
            return response, None
        except FetchError:
            raise
        except Exception as error:  # noqa: BLE001 (every network failure is reported)
            if time.monotonic() >= deadline:
                raise FetchTimeout(
                    f"No complete answer within {total_timeout:g} seconds."
                ) from None
            raise _network_error(error, target, connect_timeout) from None
        finally:
            watchdog.cancel()
            connection.close()
    raise _network_error(last_error or OSError("no address"), target, connect_timeout)


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def url_fetch(
    *,
    url: str,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    total_timeout: float | None = None,
    connect_timeout: float | None = None,
    max_redirects: int | None = None,
) -> FetchResult:
    """GET a feed through the guard; 200 with its body, or 304; else FetchError."""
    limits = _limits()
    max_bytes = limits["max_bytes"] if max_bytes is None else max_bytes
    total_timeout = limits["total_timeout"] if total_timeout is None else total_timeout
    connect_timeout = (
        limits["connect_timeout"] if connect_timeout is None else connect_timeout
    )
    max_redirects = limits["max_redirects"] if max_redirects is None else max_redirects
    deadline = time.monotonic() + total_timeout
    headers = {
        "User-Agent": settings.FEEDS_USER_AGENT,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen: list[str] = []
    current = url
    while True:
        target = url_check(current)
        seen.append(target.url)
        response, body = _request_once(
            target,
            headers=headers,
            deadline=deadline,
            connect_timeout=connect_timeout,
            total_timeout=total_timeout,
            max_bytes=max_bytes,
        )
        if response.status in REDIRECT_STATUSES:
            location = (response.getheader("Location") or "").strip()
            if not location:
                raise FetchError(
                    f"The server answered {response.status} (redirect) without "
                    "saying where to."
                )
            following = urljoin(target.url, location)
            if following in seen:
                raise FetchError("The server redirects in a loop.")
            if len(seen) > max_redirects:
                raise FetchError(
                    f"The server redirected more than {max_redirects} times."
                )
            current = following
            continue
        if response.status == 304:
            return FetchResult(
                status=304,
                url=target.url,
                body=b"",
                etag=(response.getheader("ETag") or etag).strip(),
                last_modified=(
                    response.getheader("Last-Modified") or last_modified
                ).strip(),
                redirects=len(seen) - 1,
            )
        if response.status != 200 or body is None:
            raise _status_error(response)
        return FetchResult(
            status=200,
            url=target.url,
            body=body,
            content_type=(response.getheader("Content-Type") or "")[:200],
            etag=(response.getheader("ETag") or "").strip()[:500],
            last_modified=(response.getheader("Last-Modified") or "").strip()[:100],
            redirects=len(seen) - 1,
        )


def source_fetch(*, source) -> FetchResult:
    """Fetch a news source's feed, sending back the validators it stored."""
    return url_fetch(
        url=source.feed_url, etag=source.etag, last_modified=source.last_modified
    )
