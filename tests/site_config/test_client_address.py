"""The client's address, with and without a trusted proxy in front."""

from django.test import RequestFactory

import pytest

from theme.client_address import client_address


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(remote="198.51.100.7", forwarded="203.0.113.9")
    assert client_address(request) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # What the client wrote comes first; the proxy appended the truth.
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("evil, 1.2.3.4,203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_one_proxy_the_last_entry_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(remote="10.0.0.1", forwarded=forwarded)
    assert client_address(request) == expected


def test_behind_two_proxies_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.2")
    assert client_address(request) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address"])
def test_a_missing_or_bad_header_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(remote="198.51.100.7", forwarded=forwarded)
    assert client_address(request) == "198.51.100.7"


def test_fewer_entries_than_proxies_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(remote="198.51.100.7", forwarded="6.6.6.6")
    assert client_address(request) == "198.51.100.7"


def test_no_address_at_all(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(remote="")) == "unknown"
