"""The interactive map or video block: allowed hosts only, nothing framed in the
HTML, a link that works without JavaScript, frames allowed by the page's CSP."""

from django.core.exceptions import ValidationError

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest

from publications.blocks import ReportStoryBlock
from publications.demo import _webmap_blocks
from tests.publications.factories import CoverImageFactory, PublicationPageFactory
from theme.blocks import InteractiveEmbedBlock
from theme.embeds import embed_frame, embed_frame_sources, embed_url_validate

MAP = "https://www.ipisresearch.be/mapping/webmapping/drcongo/v6/"


@pytest.fixture(autouse=True)
def _providers(settings):
    settings.EMBED_ALLOWED_HOSTS = [
        "www.ipisresearch.be",
        "ipisresearch.be",
        "www.youtube.com",
        "youtu.be",
        "vimeo.com",
        "127.0.0.1:8123",
    ]


@pytest.mark.parametrize(
    ("url", "src", "host", "is_video"),
    [
        (MAP, MAP, "www.ipisresearch.be", False),
        # A page over HTTPS cannot frame HTTP: the map is asked for over HTTPS.
        (
            "http://ipisresearch.be/mapping/webmapping/tza/v1/",
            "https://ipisresearch.be/mapping/webmapping/tza/v1/",
            "ipisresearch.be",
            False,
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "www.youtube-nocookie.com",
            True,
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "www.youtube-nocookie.com",
            True,
        ),
        (
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871",
            "player.vimeo.com",
            True,
        ),
        # Only a loopback host is framed over HTTP (tests, a local map server).
        (
            "http://127.0.0.1:8123/map/",
            "http://127.0.0.1:8123/map/",
            "127.0.0.1:8123",
            False,
        ),
    ],
)
def test_allowed_addresses_become_frames(url, src, host, is_video):
    embed_url_validate(url)
    frame = embed_frame(url)

    assert (frame.src, frame.host, frame.is_video) == (src, host, is_video)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://evil.example/map/", "from these sites only"),
        ("https://www.ipisresearch.be.evil.example/", "from these sites only"),
        ("https://user@evil.example/", "from these sites only"),
        ("javascript:alert(1)", "full address"),
        ("ftp://www.ipisresearch.be/map", "full address"),
        ("https://www.youtube.com/feed/trending", "one video"),
        ("https://vimeo.com/channels/staffpicks", "one video"),
    ],
)
def test_other_addresses_are_refused_with_a_reason(url, message):
    with pytest.raises(ValidationError, match=message):
        embed_url_validate(url)
    assert embed_frame(url) is None


def test_block_refuses_a_host_not_allowed():
    block = InteractiveEmbedBlock()
    value = block.to_python(
        {"url": "https://maps.example/x", "title": "A map", "caption": ""}
    )

    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "url" in raised.value.block_errors


def test_frame_sources_are_the_allowed_hosts_frame_origins():
    assert embed_frame_sources() == [
        "http://127.0.0.1:8123",
        "https://ipisresearch.be",
        "https://player.vimeo.com",
        "https://www.ipisresearch.be",
        "https://www.youtube-nocookie.com",
    ]


@pytest.mark.django_db
def test_page_shows_image_button_and_link_but_no_frame(client, library, settings):
    image = CoverImageFactory(description="Map of mining sites around Bukavu")
    page = PublicationPageFactory(
        parent=library,
        body=[
            (
                "interactive",
                {
                    "url": MAP,
                    "title": "Mining sites in eastern DR Congo",
                    "image": {
                        "image": image,
                        "alt_text": "Map of mining sites around Bukavu",
                        "decorative": False,
                    },
                    "caption": "Sites visited in 2018 and 2019.",
                },
            ),
            (
                "interactive",
                {
                    "url": "https://youtu.be/dQw4w9WgXcQ",
                    "title": "The film",
                    "caption": "",
                },
            ),
        ],
    )

    response = client.get(page.url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<iframe" not in html
    assert 'alt="Map of mining sites around Bukavu"' in html
    assert "Load the interactive map (from www.ipisresearch.be)" in html
    assert "Load the video (from www.youtube-nocookie.com)" in html
    assert f'href="{MAP}"' in html and "Open the map on its site" in html
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    # The buttons wait for the script; without it the links are the way.
    assert html.count("data-embed-load") == 2 and html.count("hidden>") >= 2
    assert "theme/js/embed" in html
    policy = response["Content-Security-Policy"]
    assert "frame-src http://127.0.0.1:8123 https://ipisresearch.be" in policy
    assert "https://evil" not in policy


@pytest.mark.django_db
def test_a_host_removed_from_the_setting_leaves_only_the_link(
    client, library, settings
):
    page = PublicationPageFactory(
        parent=library,
        body=[("interactive", {"url": MAP, "title": "Mining sites", "caption": ""})],
    )
    settings.EMBED_ALLOWED_HOSTS = ["www.youtube.com"]

    html = client.get(page.url).content.decode()

    assert "data-embed-load" not in html and "embed.js" not in html
    assert f'href="{MAP}"' in html


def test_demo_webmaps_get_the_block_and_other_reports_do_not():
    (block,) = _webmap_blocks(
        {
            "title": "Mapping",
            "external": (
                "https://ipisresearch.be/mapping/webmapping/tza/v1/",
                "Explore",
            ),
        },
        picture=None,
    )
    assert block[0] == "interactive"
    assert block[0] in ReportStoryBlock.base_blocks
    embed_url_validate(block[1]["url"])
    assert _webmap_blocks({"title": "Report"}, picture=None) == []
