"""A real Varnish (deploy/varnish.vcl) on loopback in front of the site: pages
come from its cache, and an editor's publish purges them (site_config/purge.py)."""

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

from django.test import override_settings

from wagtail.models import Locale, Page, Site

import pytest

from tests.site_config.factories import HomePageFactory, StandardPageFactory
from tests.utils.tools import PROJECT_ROOT, tool_missing

VCL = PROJECT_ROOT / "deploy" / "varnish.vcl"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path):
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not shutil.which(varnishd):
        tool_missing("varnishd is missing: install Debian's varnish package.")
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = tmp_path / "site.vcl"
    vcl.write_text(
        VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
    )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - Debian's varnishd, our VCL
        [
            varnishd,
            "-j",  # first: it applies to reading the VCL
            "none",
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(tmp_path / "varnish"),
            "-s",
            "malloc,32m",
            "-T",
            "none",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline, "varnishd did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=30)


def _get(url: str, **headers) -> tuple[str, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.headers.get("X-Cache", ""), response.read().decode()


@pytest.fixture
def site_behind(transactional_db, varnish):
    """The default site, its public address the cache's."""
    locale = Locale.objects.get_or_create(language_code="en")[0]
    for code in ("fr", "sw"):
        Locale.objects.get_or_create(language_code=code)
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="institute-cached", locale=locale)
    port = int(varnish.rsplit(":", 1)[1])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "127.0.0.1", "port": port, "root_page": home},
    )
    front = {
        "front": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish,
        }
    }
    with override_settings(WAGTAILFRONTENDCACHE=front):
        yield home


def test_pages_come_from_the_cache_until_an_editor_publishes(site_behind, varnish):
    page = StandardPageFactory(parent=site_behind, title="Artisanal mining in Ituri")
    url = page.get_full_url()
    assert url.startswith(varnish)

    first = _get(url)
    second = _get(url)
    assert first[0] == "MISS"
    assert second[0] == "HIT"
    assert "Artisanal mining in Ituri" in second[1]
    assert _get(f"{varnish}/en/")[0] in ("MISS", "HIT")
    assert _get(f"{varnish}/en/")[0] == "HIT"

    page.title = "Artisanal gold mining in Ituri"
    page.save_revision().publish()

    state, body = _get(url)
    assert state == "MISS"
    assert "Artisanal gold mining in Ituri" in body
    assert _get(f"{varnish}/en/")[0] == "MISS"  # the home page was purged too


def test_signed_in_requests_pass_and_readers_cannot_purge(site_behind, varnish):
    url = site_behind.get_full_url()
    _get(url)
    assert _get(url, Cookie="sessionid=abc")[0] == "MISS"
    assert _get(url, Cookie="_ga=123")[0] == "HIT"  # other cookies change nothing

    relayed = urllib.request.Request(  # noqa: S310 - loopback
        url, method="PURGE", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(relayed, timeout=30)  # noqa: S310 - loopback
    assert refused.value.code == 405
    assert _get(url)[0] == "HIT"
