"""An interactive map or video asks nothing of its site until the reader clicks.

The map host is a loopback HTTP server allowed as a provider; the video is on
YouTube, whose requests the browser aborts (tests never leave this machine).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.cache import cache

from wagtail.models import Collection

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import is_local_url
from tests.publications.factories import (
    CoverImageFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 800}
# Where screenshots go when asked for (EMBED_SCREENSHOTS=/some/dir).
SCREENSHOTS = os.environ.get("EMBED_SCREENSHOTS", "")


@pytest.fixture
def map_server(httpserver):
    httpserver.expect_request("/map/").respond_with_data(
        '<!DOCTYPE html><html lang="en"><title>Map</title><p id="map">The map</p>',
        content_type="text/html",
    )
    return httpserver


@pytest.fixture
def publication_url(live_server, home_page, map_server, settings):
    map_url = map_server.url_for("/map/")
    map_host = urlsplit(map_url).netloc
    settings.EMBED_ALLOWED_HOSTS = [map_host, "www.youtube.com", "youtu.be"]
    cache.clear()
    if Collection.get_first_root_node() is None:  # a flushed database
        Collection.add_root(name="Root")
    library = PublicationIndexPageFactory(parent=home_page)
    image = CoverImageFactory(description="Mining sites around Bukavu")
    page = PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining sites",
        body=[
            (
                "interactive",
                {
                    "url": map_url,
                    "title": "Mining sites in eastern DR Congo",
                    "image": {
                        "image": image,
                        "alt_text": "Map of mining sites around Bukavu",
                        "decorative": False,
                    },
                    "caption": "Sites visited by field teams.",
                },
            ),
            (
                "interactive",
                {
                    "url": "https://youtu.be/dQw4w9WgXcQ",
                    "title": "Miners explain their work",
                    "caption": "",
                },
            ),
        ],
    )
    return live_server.url + page.url, map_host


def _screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)


def test_nothing_loads_from_a_provider_until_the_reader_clicks(
    page, publication_url, map_server, blocked_requests
):
    url, map_host = publication_url
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    for size, name in ((SMALL, "375"), (WIDE, "1280")):
        page.set_viewport_size(size)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        map_button = page.get_by_role(
            "button", name=f"Load the interactive map (from {map_host})"
        )
        expect(map_button).to_be_visible()
        expect(page.locator("iframe")).to_have_count(0)
        assert_no_axe_violations(page, context=f"embed, {name} px, before loading")
        _screenshot(page, f"embed-{name}.png")

    assert requested and all(is_local_url(request) for request in requested)
    assert blocked_requests == []
    # The map server is on this machine, yet asked nothing either.
    assert len(map_server.log) == 0
    assert not any(map_host in request for request in requested)

    map_button.click()

    frame = page.locator("iframe.embed__frame")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute("title", "Mining sites in eastern DR Congo")
    expect(frame).to_have_attribute("referrerpolicy", "no-referrer")
    expect(frame).to_have_attribute("loading", "lazy")
    expect(frame).to_have_attribute("allow", "fullscreen")
    assert "allow-top-navigation" not in frame.get_attribute("sandbox")
    expect(page.frame_locator("iframe.embed__frame").locator("#map")).to_have_text(
        "The map"
    )
    (frame_request, _response) = map_server.log[0]
    assert "Referer" not in frame_request.headers
    # The video still asked nothing of YouTube.
    assert blocked_requests == []
    assert_no_axe_violations(page, context="embed, map loaded")
    _screenshot(page, "embed-1280-loaded.png")

    # Only the click on the video asks YouTube (aborted here, never sent).
    with page.expect_request(
        lambda request: request.url.startswith(
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        )
    ):
        page.get_by_role(
            "button", name="Load the video (from www.youtube-nocookie.com)"
        ).click()
    expect(page.locator("iframe.embed__frame")).to_have_count(2)
    assert all(
        request.startswith("https://www.youtube-nocookie.com/")
        for request in blocked_requests
    )


def test_without_javascript_the_link_leads_to_the_map(
    browser, publication_url, map_server
):
    url, map_host = publication_url
    context = browser.new_context(java_script_enabled=False, viewport=SMALL)
    context.route(
        "**/*",
        lambda route: (
            route.fallback()
            if is_local_url(route.request.url)
            else route.abort("blockedbyclient")
        ),
    )
    page = context.new_page()
    page.goto(url)

    expect(page.get_by_role("button", name="Load the interactive map")).to_have_count(0)
    link = page.get_by_role("link", name="Open the map on its site")
    expect(link).to_have_attribute("href", map_server.url_for("/map/"))
    assert len(map_server.log) == 0
    context.close()
