"""Playwright fixtures: Debian's Chromium, one launch for tests/e2e, no network.

Pages come from pytest-django's `live_server`. Every request that is not for
this machine is aborted before it leaves the browser.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.core.cache import cache

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Route,
    expect,
    sync_playwright,
)

from tests.utils.demo_snapshot import demo_put_for_good
from tests.utils.tools import tool_missing

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A second guard for what `context.route` cannot see (WebSockets, the browser's
# own requests): everything but this machine goes to a dead proxy on the local
# discard port, so it fails without leaving. Playwright proxies loopback too
# unless it is in the bypass list.
DEAD_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost,[::1]"}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Schemes that never touch the network.
LOCAL_SCHEMES = frozenset({"about", "blob", "data"})
VIEWPORT = {"width": 1280, "height": 800}
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    # The hook sees the whole session's items, not only this folder's.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


# Package scope: one launch for all of tests/e2e (its tests run together), and
# the browser stops before the rest of the suite runs. Playwright's sync API
# keeps an asyncio loop running in this thread from start to stop, and Django
# refuses ORM calls while a loop runs unless DJANGO_ALLOW_ASYNC_UNSAFE is set.
# A session-scoped browser would need that flag for every later test, and it
# leaks into subprocesses: `manage.py check --deploy` then fails on async.E001.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        tool_missing(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: "
            "install it with `apt-get install chromium` "
            "(never `playwright install`)."
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                proxy=DEAD_PROXY,
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def blocked_requests() -> list[str]:
    """URLs the context aborted because they were not for this machine."""
    return []


@pytest.fixture
def context(browser: Browser, blocked_requests: list[str]) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def keep_local(route: Route) -> None:
        url = route.request.url
        if is_local_url(url):
            route.fallback()
        else:
            blocked_requests.append(url)
            route.abort("blockedbyclient")

    # Routes added later (by a test) run first and may fulfil what this aborts.
    context.route("**/*", keep_local)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def demo_site_ready() -> None:
    """The demo site in the database the previous browser test flushed.

    Building the demo costs seconds of CPU, and every browser test starts from
    a flushed database: on SQLite (where the browser tests run in CI) the
    process's kept demo is copied in (tests/utils/demo_snapshot.py), the same
    rows in a few milliseconds; on other databases it is built each time.
    """
    cache.clear()
    demo_put_for_good()


@pytest.fixture
def site_url(live_server) -> str:
    """The address of a live server holding the demo site.

    Browser tests run on a flushed database (no Wagtail root page or site):
    `demo_site_ready` puts the demo back.
    """
    demo_site_ready()
    return live_server.url


def sign_in(page: Page, site_url: str, username: str, password: str) -> None:
    """Sign in to the admin as `username`, in a browser holding no session."""
    page.context.clear_cookies()
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
