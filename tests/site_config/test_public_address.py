"""The demo served on a port of its own names that address everywhere.

`make run PORT=…` sets BASE_URL from the port; here the same happens by hand:
a fresh SQLite file (a copy of the suite's migrated template,
tests/utils/migrated.py) is migrated and filled with the demo in subprocesses, a
real `runserver` serves it on a free port that is not 8000, and the test
follows what a crawler and a subscriber follow: robots.txt → the sitemap → a
page (its canonical and og:url), the feeds' item links, and a subscription's
emailed links (confirm → preferences). Every link must lead to that port.
"""

import email
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.utils.migrated import sqlite_template_copy

ROOT = Path(__file__).resolve().parents[2]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert port != 8000
    return port


class Browser:
    """urllib with cookies, refusing any address but the demo's own."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        # The network rule: nothing but the server this test started.
        assert url.startswith(self.base + "/"), url
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        request = urllib.request.Request(url, data=body)  # noqa: S310 (checked above)
        if data is not None:
            request.add_header("Referer", url)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """BASE_URL, the directory of sent emails; the demo served until the end."""
    work = tmp_path_factory.mktemp("public-address")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.site_config.public_address_settings",
        "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
        "BASE_URL": base,
        "EMAIL_FILE_PATH": str(work / "mail"),
        "MEDIA_ROOT": str(work / "media"),
        "PYTHONPATH": str(ROOT),
    }
    sqlite_template_copy(work / "demo.sqlite3")
    for command in (["migrate", "--no-input"], ["load_demo_content"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    # Wagtail's own absolute URLs (page.full_url) agree with BASE_URL too.
    assert f"Site address: 127.0.0.1:{port} (from BASE_URL)." in done.stdout
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None, "runserver stopped"
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.2)
        yield base, work / "mail"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _messages(mail_dir: Path) -> list[email.message.Message]:
    """The messages sent to the reader so far, oldest first."""
    messages = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime):
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            message = email.message_from_string(chunk.strip() + "\n")
            if "reader@example.org" in (message["To"] or ""):
                messages.append(message)
    return messages


def _text_of(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    return ""


def test_crawler_and_subscriber_links_all_lead_to_the_served_port(demo_server):
    base, mail_dir = demo_server
    browser = Browser(base)

    # robots.txt names the sitemap on the served address.
    status, _url, robots = browser.open(base + "/robots.txt")
    assert status == 200
    assert f"Sitemap: {base}/sitemap.xml" in robots.splitlines()

    # Every <loc> of the sitemap is on it; a publication's head agrees.
    status, _url, sitemap = browser.open(base + "/sitemap.xml")
    assert status == 200
    urlset = ET.fromstring(sitemap)  # noqa: S314 (our own server's output)
    locations = [loc.text for loc in urlset.findall("sm:url/sm:loc", SITEMAP_NS)]
    assert len(locations) > 50
    assert all(location.startswith(base + "/") for location in locations)
    publication = next(url for url in locations if "/en/publications/" in url)
    status, _url, html = browser.open(publication)
    head = BeautifulSoup(html, "html.parser").head
    assert status == 200
    assert head.select_one("link[rel=canonical]")["href"] == publication
    assert head.find("meta", property="og:url")["content"] == publication
    assert all(
        link["href"].startswith(base + "/")
        for link in head.select("link[rel=alternate][hreflang]")
    )

    # The feeds' links (self link included) are on it and lead to live pages.
    for feed in ("/en/publications/feed/", "/en/briefings/feed/"):
        status, _url, rss = browser.open(base + feed)
        channel = ET.fromstring(rss).find("channel")  # noqa: S314
        items = [item.findtext("link") for item in channel.findall("item")]
        assert status == 200
        assert channel.findtext("link").startswith(base + "/")
        assert items
        assert all(link.startswith(base + "/") for link in items)
        assert browser.open(items[0])[0] == 200
        self_links = [
            element.get("href")
            for element in channel
            if element.tag.endswith("}link") and element.get("rel") == "self"
        ]
        assert self_links == [base + feed]

    # A subscription: the emailed link confirms, the next email's link works.
    status, form_url, form_html = browser.open(base + "/en/newsletter/")
    form = BeautifulSoup(form_html, "html.parser").select_one("main form[method=post]")
    first_list = form.select_one("input[name=lists]")["value"]
    status, landed, _html = browser.open(
        form_url,
        {
            # The form is on cacheable pages: no CSRF token (newsletter.views).
            "email": "reader@example.org",
            "name": "A Reader",
            "lists": [first_list],
            "language": "en",
            "website": "",
        },
    )
    assert status == 200
    assert landed.endswith("/en/newsletter/check-your-inbox/")
    (confirmation,) = _messages(mail_dir)
    confirm_url = re.search(
        re.escape(base) + r"/en/newsletter/confirm/\S+/", _text_of(confirmation)
    )
    assert confirm_url, _text_of(confirmation)
    status, _url, confirm_html = browser.open(confirm_url[0])
    assert status == 200
    button = BeautifulSoup(confirm_html, "html.parser").select_one(
        "main form[method=post]"
    )
    status, _url, confirmed = browser.open(
        confirm_url[0],
        {
            "csrfmiddlewaretoken": button.select_one("input[name=csrfmiddlewaretoken]")[
                "value"
            ]
        },
    )
    assert status == 200
    preferences_link = BeautifulSoup(confirmed, "html.parser").select_one(
        "main a[href*='/newsletter/preferences/']"
    )["href"]
    assert preferences_link.startswith(base + "/")
    welcome = _messages(mail_dir)[-1]
    emailed = re.search(
        re.escape(base) + r"/en/newsletter/preferences/\S+/", _text_of(welcome)
    )
    assert emailed, _text_of(welcome)
    assert welcome["List-Id"] is None or "127.0.0.1" in welcome["List-Id"]
    status, _url, preferences = browser.open(emailed[0])
    assert status == 200
    assert "reader@example.org" in preferences
