"""The fetch guard refuses non-public addresses before any connection is made.

The allow-list is empty here (as in production), DNS answers come from a
table (`public_dns`), and any attempt to open a connection fails the test
(`no_connections`): nothing in this file ever reaches the network.
"""

import socket

import pytest

from briefings.news.ingest import fetch
from briefings.news.ingest.fetch import (
    FetchError,
    FetchRefused,
    address_check,
    url_check,
    url_fetch,
    url_precheck,
)
from tests.briefings.news.feeds import connections_refuse, dns_fake


@pytest.fixture(autouse=True)
def empty_allow_list(settings):
    settings.FEEDS_ALLOWED_NETWORKS = []


@pytest.fixture
def no_connections(monkeypatch) -> list:
    return connections_refuse(monkeypatch)


@pytest.fixture
def public_dns(monkeypatch):
    return dns_fake(monkeypatch)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://127.1/feed",
        "http://2130706433/feed",  # decimal
        "http://0x7f.1/feed",  # hex
        "http://0x7f000001/feed",
        "http://017700000001/feed",  # octal
        "http://0177.0.0.1/feed",
        "http://0/feed",
        "http://0.0.0.0/feed",
        "http://10.0.0.1/feed",
        "http://172.16.5.4/feed",
        "http://192.168.1.1/feed",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://100.64.0.1/feed",  # shared address space
        "http://224.0.0.1/feed",  # multicast
        "http://240.0.0.1/feed",  # reserved
        "http://255.255.255.255/feed",
        "http://198.18.0.1/feed",
        "http://[::1]/feed",
        "http://[::]/feed",
        "http://[::ffff:127.0.0.1]/feed",  # IPv4-mapped
        "http://[::ffff:7f00:1]/feed",
        "http://[::ffff:169.254.169.254]/feed",
        "http://[::127.0.0.1]/feed",  # IPv4-compatible
        "http://[fe80::1]/feed",
        "http://[fe80::1%25eth0]/feed",  # with a zone
        "http://[fc00::1]/feed",
        "http://[fd12:3456::1]/feed",
        "http://[ff02::1]/feed",
        "http://[64:ff9b::7f00:1]/feed",  # NAT64 of 127.0.0.1
        "http://[2002:7f00:1::]/feed",  # 6to4 of 127.0.0.1
        "https://127.0.0.1:8443/feed",
    ],
)
def test_non_public_ip_addresses_are_refused_before_connecting(
    url, no_connections, public_dns
):
    with pytest.raises(FetchError) as refused:
        url_fetch(url=url)

    assert isinstance(refused.value, FetchRefused) or "valid" in str(refused.value)
    assert no_connections == []
    assert public_dns.calls == []  # IP literals are never sent to DNS


@pytest.mark.parametrize(
    "answer",
    [
        ["127.0.0.1"],
        ["10.1.2.3"],
        ["169.254.169.254"],
        ["::1"],
        ["::ffff:10.0.0.1"],
        ["fe80::1"],
        ["93.184.216.34", "127.0.0.1"],  # one bad answer refuses them all
        ["2606:2800:220:1::1", "fd00::1"],
    ],
)
def test_names_resolving_to_non_public_addresses_are_refused(
    answer, no_connections, public_dns
):
    public_dns.answers["feeds.example.org"] = [answer]

    with pytest.raises(FetchRefused, match="feeds.example.org resolves to"):
        url_fetch(url="https://feeds.example.org/rss")

    assert no_connections == []


def test_the_checked_address_is_the_one_connected_to(monkeypatch, public_dns):
    """A second DNS answer (rebinding) cannot change where the request goes."""
    public_dns.answers["rebind.example.org"] = [["93.184.216.34"], ["127.0.0.1"]]
    connected = []

    def record(family, sockaddr, timeout):
        connected.append(sockaddr)
        raise ConnectionRefusedError("stopped by the test")

    monkeypatch.setattr(fetch, "_socket_connect", record)
    monkeypatch.setattr(
        socket.socket,
        "connect",
        lambda *a: pytest.fail("a connection bypassed the pinned address"),
    )

    with pytest.raises(FetchError, match="refused the connection"):
        url_fetch(url="http://rebind.example.org/rss")

    assert connected == [("93.184.216.34", 80)]
    assert public_dns.calls == ["rebind.example.org"]  # resolved once, not twice


def test_a_name_first_resolving_to_a_private_address_is_refused(
    no_connections, public_dns
):
    public_dns.answers["rebind.example.org"] = [["10.0.0.7"], ["93.184.216.34"]]

    with pytest.raises(FetchRefused):
        url_fetch(url="http://rebind.example.org/rss")

    assert no_connections == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("ftp://ftp.example.org/feed.xml", "Only http and https"),
        ("gopher://example.org:70/", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("//example.org/feed", "not"),
        ("feed.xml", "not"),
        ("http://user:secret@example.org/feed", "user name or password"),
        ("http://user@example.org/feed", "user name or password"),
        ("http://example.org@127.0.0.1/feed", "user name or password"),
        ("http:///feed", "no host"),
        ("http://exa mple.org/feed", "spaces or control"),
        ("http://example.org/\r\nX-Injected: 1", "spaces or control"),
        ("http://example.org:99999/feed", "not valid"),
        ("http://" + "a" * 2100 + ".org/", "longer than"),
    ],
)
def test_addresses_that_are_not_plain_web_addresses_are_refused(
    url, message, no_connections, public_dns
):
    with pytest.raises(FetchRefused, match=message):
        url_fetch(url=url)

    assert no_connections == []
    assert public_dns.calls == []


def test_redirect_to_a_private_address_is_refused_before_following(
    monkeypatch, public_dns
):
    """The first hop is answered by a fake connection; the redirect is vetted."""
    public_dns.answers["feeds.example.org"] = [["93.184.216.34"]]
    public_dns.answers["internal.example.org"] = [["192.168.0.10"]]
    hops = []

    class FakeResponse:
        status = 302
        reason = "Found"

        def __init__(self, location):
            self.location = location

        def getheader(self, name, default=None):
            return self.location if name == "Location" else default

    def fake_request_once(target, **kwargs):
        hops.append(target.url)
        fetch.host_resolve(host=target.host, port=target.port)
        return FakeResponse("http://internal.example.org/admin"), None

    monkeypatch.setattr(fetch, "_request_once", fake_request_once)

    with pytest.raises(FetchRefused, match="192.168.0.10"):
        url_fetch(url="http://feeds.example.org/rss")

    assert hops == ["http://feeds.example.org/rss", "http://internal.example.org/admin"]


def test_redirect_to_a_non_http_scheme_is_refused(monkeypatch, public_dns):
    public_dns.answers["feeds.example.org"] = [["93.184.216.34"]]

    class FakeResponse:
        status = 301
        reason = "Moved"

        def getheader(self, name, default=None):
            return "file:///etc/passwd" if name == "Location" else default

    monkeypatch.setattr(
        fetch, "_request_once", lambda target, **kw: (FakeResponse(), None)
    )

    with pytest.raises(FetchRefused, match="Only http and https"):
        url_fetch(url="http://feeds.example.org/rss")


def test_public_addresses_pass_the_check():
    assert str(address_check("93.184.216.34")) == "93.184.216.34"
    assert str(address_check("2606:2800:220:1::1")) == "2606:2800:220:1::1"


def test_the_allow_list_admits_a_network(settings):
    settings.FEEDS_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    assert str(address_check("10.20.1.2")) == "10.20.1.2"
    with pytest.raises(FetchRefused):
        address_check("10.21.0.1")


def test_host_names_are_made_ascii_and_lowercase():
    target = url_check("https://Bücher.Example/feed?x=1")

    assert target.host == "xn--bcher-kva.example"
    assert target.port == 443
    assert target.request_path == "/feed?x=1"


def test_precheck_refuses_literal_private_addresses_without_dns(
    no_connections, public_dns
):
    with pytest.raises(FetchRefused, match="loopback"):
        url_precheck("http://127.0.0.1:8000/feed")
    assert url_precheck("https://news.example.org/feed").host == "news.example.org"
    assert public_dns.calls == []


def test_unusual_special_purpose_addresses_are_refused(no_connections):
    for address in ("192.88.99.1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"):
        with pytest.raises(FetchRefused):
            address_check(address)
    with pytest.raises(FetchRefused, match="not an IP address"):
        address_check("not-an-address")


def test_a_name_that_does_not_resolve_is_reported(monkeypatch, no_connections):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)

    with pytest.raises(FetchError, match="could not be resolved"):
        url_fetch(url="https://missing.example.org/feed")


def test_odd_dns_answers_are_refused(monkeypatch, no_connections):
    answers = {
        "unix.example.org": [(socket.AF_UNIX, socket.SOCK_STREAM, 0, "", "feed.sock")],
        "empty.example.org": [],
    }
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: answers[host])

    with pytest.raises(FetchRefused, match="not IP"):
        url_fetch(url="https://unix.example.org/feed")
    with pytest.raises(FetchError, match="has no address"):
        url_fetch(url="https://empty.example.org/feed")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "No address given"),
        ("http://256.1.1.1/feed", "not a valid address"),
        ("http://" + "a" * 64 + ".example.org/", "not a valid host name"),
        ("http://exa!mple.org/", "not a valid host name"),
    ],
)
def test_malformed_hosts_are_refused(url, message, no_connections, public_dns):
    with pytest.raises(FetchRefused, match=message):
        url_fetch(url=url)
    assert public_dns.calls == []


def test_low_level_errors_are_put_in_plain_words():
    import http.client

    target = url_check("https://feeds.example.org/rss")

    assert (
        "malformed answer"
        in fetch._network_error(http.client.BadStatusLine("x"), target, 10).message
    )
    assert (
        "Network error"
        in fetch._network_error(
            OSError(101, "Network is unreachable"), target, 10
        ).message
    )
    assert (
        "did not answer within 10 seconds"
        in fetch._network_error(TimeoutError(), target, 10).message
    )
    assert (
        "Fetching failed" in fetch._network_error(ValueError("x"), target, 10).message
    )
