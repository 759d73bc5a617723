"""The guarded client against a real HTTP server on 127.0.0.1 (allow-listed)."""

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from briefings.news.ingest import fetch as fetch_module
from briefings.news.ingest.fetch import (
    FetchError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    retry_after_seconds,
    url_fetch,
)
from tests.briefings.news.feeds import gzip_bomb, rss_feed

FEED = rss_feed(3)


def test_a_feed_is_fetched_with_a_clear_user_agent(server, settings):
    server.expect_request("/feed").respond_with_data(
        FEED, content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )

    result = url_fetch(url=server.url_for("/feed"))

    assert result.status == 200
    assert result.body == FEED
    assert result.etag == '"v1"'
    assert result.content_type == "application/rss+xml"
    request, _response = server.log[0]
    assert request.headers["User-Agent"] == settings.FEEDS_USER_AGENT
    assert "InstituteNewsReader" in request.headers["User-Agent"]
    assert request.headers["Accept-Encoding"] == "gzip, deflate"
    assert request.headers["Host"] == f"127.0.0.1:{server.port}"
    assert "If-None-Match" not in request.headers


def test_validators_are_sent_back_and_304_means_not_modified(server):
    server.expect_request(
        "/feed",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Mar 2021"},
    ).respond_with_data("", status=304, headers={"ETag": '"v1"'})

    result = url_fetch(
        url=server.url_for("/feed"), etag='"v1"', last_modified="Mon, 01 Mar 2021"
    )

    assert result.not_modified
    assert result.body == b""
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 01 Mar 2021"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the standard says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw, as some send
    ],
)
def test_compressed_bodies_are_decompressed(server, encoding, compress):
    server.expect_request("/feed").respond_with_data(
        compress(FEED), headers={"Content-Encoding": encoding}
    )

    assert url_fetch(url=server.url_for("/feed")).body == FEED


def test_a_gzip_bomb_is_cut_off_early_without_allocating_its_size(server):
    bomb = gzip_bomb(1024)  # about 1 MB that expands to 1 GiB
    assert len(bomb) < 2 * 1024 * 1024
    server.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}
    )
    cap = 1024 * 1024

    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(FetchTooLarge, match="larger than 1 MB once decompressed"):
            url_fetch(url=server.url_for("/bomb"), max_bytes=cap)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 16 * cap  # a few times the cap, nowhere near a gigabyte
    assert elapsed < 5


def test_a_body_larger_than_the_cap_is_refused(server):
    server.expect_request("/big").respond_with_data(b"x" * 5000)

    with pytest.raises(FetchTooLarge):
        url_fetch(url=server.url_for("/big"), max_bytes=4096)


def test_a_chunked_body_larger_than_the_cap_is_refused(server):
    def stream(_request):
        return Response((b"y" * 1000 for _ in range(10)), mimetype="application/xml")

    server.expect_request("/chunked").respond_with_handler(stream)

    with pytest.raises(FetchTooLarge):
        url_fetch(url=server.url_for("/chunked"), max_bytes=4096)


def test_up_to_five_redirects_are_followed(server):
    for hop in range(5):
        server.expect_request(f"/r{hop}").respond_with_data(
            "", status=301 if hop % 2 else 302, headers={"Location": f"/r{hop + 1}"}
        )
    server.expect_request("/r5").respond_with_data(FEED)

    result = url_fetch(url=server.url_for("/r0"))

    assert result.body == FEED
    assert result.redirects == 5
    assert result.url == server.url_for("/r5")


def test_a_sixth_redirect_is_refused(server):
    for hop in range(6):
        server.expect_request(f"/r{hop}").respond_with_data(
            "", status=307, headers={"Location": f"/r{hop + 1}"}
        )
    server.expect_request("/r6").respond_with_data(FEED)

    with pytest.raises(FetchError, match="redirected more than 5 times"):
        url_fetch(url=server.url_for("/r0"))

    assert len(server.log) == 6  # /r6 was never requested


def test_a_redirect_loop_is_detected(server):
    server.expect_request("/a").respond_with_data("", 302, {"Location": "/b"})
    server.expect_request("/b").respond_with_data("", 302, {"Location": "/a"})

    with pytest.raises(FetchError, match="redirects in a loop"):
        url_fetch(url=server.url_for("/a"))


def test_a_redirect_without_location_is_an_error(server):
    server.expect_request("/a").respond_with_data("", status=302)

    with pytest.raises(FetchError, match="without saying where"):
        url_fetch(url=server.url_for("/a"))


def test_a_redirect_to_a_refused_address_stops_there(server, settings):
    settings.FEEDS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server.expect_request("/a").respond_with_data(
        "", 302, {"Location": "http://169.254.169.254/latest/meta-data/"}
    )

    with pytest.raises(FetchRefused, match="169.254.169.254, a link-local address"):
        url_fetch(url=server.url_for("/a"))


def test_429_gives_the_retry_after_delay(server):
    server.expect_request("/feed").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )

    with pytest.raises(FetchError) as failed:
        url_fetch(url=server.url_for("/feed"))

    assert failed.value.status == 429
    assert failed.value.retry_after == 120
    assert "wait 120 seconds" in failed.value.message


def test_503_with_an_http_date_retry_after(server):
    later = datetime.now(UTC) + timedelta(hours=2)
    server.expect_request("/feed").respond_with_data(
        "", status=503, headers={"Retry-After": format_datetime(later, usegmt=True)}
    )

    with pytest.raises(FetchError) as failed:
        url_fetch(url=server.url_for("/feed"))

    assert 7000 < failed.value.retry_after <= 7200


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (404, "not at this address"),
        (410, "removed"),
        (403, "not allowed"),
        (500, "error on the server"),
        (418, "I'M A TEAPOT"),
    ],
)
def test_http_errors_are_reported_in_plain_words(server, status, words):
    server.expect_request("/feed").respond_with_data("no", status=status)

    with pytest.raises(FetchError, match=words) as failed:
        url_fetch(url=server.url_for("/feed"))

    assert failed.value.status == status


def test_a_server_that_does_not_answer_in_time_times_out(server):
    def slow(_request):
        time.sleep(1.5)
        return Response(FEED)

    server.expect_request("/slow").respond_with_handler(slow)

    started = time.perf_counter()
    with pytest.raises(FetchTimeout):
        url_fetch(url=server.url_for("/slow"), total_timeout=0.5)

    assert time.perf_counter() - started < 1.2


def test_a_server_that_drips_bytes_hits_the_total_deadline(server):
    def drip(_request):
        def body():
            yield b"<rss>"
            for _ in range(30):
                time.sleep(0.1)
                yield b" "

        return Response(body(), mimetype="application/rss+xml")

    server.expect_request("/drip").respond_with_handler(drip)

    started = time.perf_counter()
    with pytest.raises(FetchTimeout):
        url_fetch(url=server.url_for("/drip"), total_timeout=0.8)

    assert time.perf_counter() - started < 1.5


def test_a_refused_connection_is_reported():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="refused the connection"):
        url_fetch(url=f"http://127.0.0.1:{port}/feed")


def test_unsupported_compression_is_refused(server):
    server.expect_request("/feed").respond_with_data(
        b"\x00\x01", headers={"Content-Encoding": "br"}
    )

    with pytest.raises(FetchError, match="not supported"):
        url_fetch(url=server.url_for("/feed"))


def test_a_corrupt_gzip_body_is_an_error(server):
    server.expect_request("/feed").respond_with_data(
        b"\x1f\x8b\x08\x00garbage", headers={"Content-Encoding": "gzip"}
    )

    with pytest.raises(FetchError, match="corrupt|ended early"):
        url_fetch(url=server.url_for("/feed"))


def test_loopback_is_refused_when_not_allow_listed(server, settings):
    settings.FEEDS_ALLOWED_NETWORKS = []
    server.expect_request("/feed").respond_with_data(FEED)

    with pytest.raises(FetchRefused, match="loopback"):
        url_fetch(url=server.url_for("/feed"))

    assert server.log == []


def test_retry_after_values_are_read_in_both_forms():
    now = datetime(2021, 1, 1, tzinfo=UTC)

    assert retry_after_seconds("30") == 30
    assert retry_after_seconds("Fri, 01 Jan 2021 00:01:00 GMT", now=now) == 60
    assert retry_after_seconds("Thu, 31 Dec 2020 00:00:00 GMT", now=now) == 0
    assert retry_after_seconds("Fri, 01 Jan 2021 00:02:00 -0000", now=now) == 120
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("") is None


def test_a_multi_member_gzip_body_is_read_whole(server):
    server.expect_request("/feed").respond_with_data(
        gzip.compress(FEED[:100]) + gzip.compress(FEED[100:]),
        headers={"Content-Encoding": "gzip"},
    )

    assert url_fetch(url=server.url_for("/feed")).body == FEED


def test_compressed_input_that_never_yields_output_is_still_capped(server):
    # A gzip header whose file name field goes on for 2 MB: no output at all.
    header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + b"a" * 2_000_000
    server.expect_request("/feed").respond_with_data(
        header, headers={"Content-Encoding": "gzip"}
    )

    with pytest.raises(FetchTooLarge):
        url_fetch(url=server.url_for("/feed"), max_bytes=1024)


def raw_server(answer: bytes):
    """A TCP server on 127.0.0.1 that answers one connection with raw bytes."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(answer)
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def test_a_malformed_answer_is_reported():
    port = raw_server(b"this is not HTTP\r\n\r\n")

    with pytest.raises(FetchError, match="malformed answer"):
        url_fetch(url=f"http://127.0.0.1:{port}/feed")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for the name localhost only (not its address)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.fixture
def tls_server(certificate):
    key, cert = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def test_https_certificates_are_verified(tls_server):
    tls_server.expect_request("/feed").respond_with_data(FEED)

    with pytest.raises(
        FetchError, match="certificate of localhost could not be verified"
    ):
        url_fetch(url=f"https://localhost:{tls_server.port}/feed")


def test_https_checks_the_name_on_the_pinned_connection(
    tls_server, certificate, monkeypatch
):
    _key, cert = certificate
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(fetch_module.ssl, "create_default_context", lambda: trusting)
    tls_server.expect_request("/feed").respond_with_data(FEED)

    result = url_fetch(url=f"https://localhost:{tls_server.port}/feed")
    with pytest.raises(FetchError, match="could not be verified"):
        # The certificate names localhost, not the address: SNI and the check
        # use the name in the address, whatever address was connected to.
        url_fetch(url=f"https://127.0.0.1:{tls_server.port}/feed")

    assert result.body == FEED
    request, _ = tls_server.log[0]
    assert request.headers["Host"] == f"localhost:{tls_server.port}"
