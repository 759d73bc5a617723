from django.core.exceptions import ValidationError

from wagtail.models import Page

import pytest

from publications.choices import PersonGroup
from site_config.blocks import StandardStoryBlock
from site_config.models import StandardPage
from tests.publications.factories import PersonFactory
from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_standard_page_renders_every_kind_of_block(client, home_page):
    target = StandardPageFactory(parent=home_page, title="Contact")
    page = StandardPageFactory(
        parent=home_page,
        title="About us",
        intro="An independent institute.",
        body=[
            ("heading", {"text": "Our mission", "level": "h2"}),
            ("heading", {"text": "In detail", "level": "h3"}),
            ("paragraph", "<p>We check every fact <b>twice</b>.</p>"),
            ("quote", {"quote": "Data is for sharing.", "attribution": "Staff"}),
            (
                "call_to_action",
                {
                    "heading": "Write to us",
                    "text": "We answer every message.",
                    "page": target,
                    "url": "",
                    "button_label": "Contact",
                },
            ),
        ],
    )

    html = client.get(page.url).content.decode()

    assert '<h2 class="block-heading" id="our-mission">Our mission</h2>' in html
    assert '<h3 class="block-heading">In detail</h3>' in html
    assert "We check every fact <b>twice</b>." in html
    assert "<blockquote" in html and "Data is for sharing." in html
    assert f'<a class="button" href="{target.url}">Contact</a>' in html


def test_people_block_lists_one_group_in_the_page_language(client, home_page, locales):
    PersonFactory(name="Ken Matthysen", group=PersonGroup.RESEARCHER, email="k@e.org")
    PersonFactory(name="Filip Reyniers", group=PersonGroup.STAFF)
    PersonFactory(name="Chercheur", group=PersonGroup.RESEARCHER, locale=locales["fr"])
    page = StandardPageFactory(
        parent=home_page,
        title="Team",
        body=[
            (
                "people",
                {
                    "heading": "Researchers",
                    "group": PersonGroup.RESEARCHER,
                    "show_contact": False,
                },
            )
        ],
    )

    html = client.get(page.url).content.decode()

    assert "Ken Matthysen" in html
    assert "Filip Reyniers" not in html
    assert "Chercheur" not in html
    assert "k@e.org" not in html


def test_people_block_shows_addresses_when_asked(client, home_page):
    PersonFactory(name="Han Verleyen", group=PersonGroup.STAFF, email="han@e.org")
    page = StandardPageFactory(
        parent=home_page,
        body=[
            (
                "people",
                {"heading": "Staff", "group": PersonGroup.STAFF, "show_contact": True},
            )
        ],
    )

    assert 'href="mailto:han@e.org"' in client.get(page.url).content.decode()


@pytest.mark.parametrize(
    ("page_given", "url"),
    [(False, ""), (True, "https://example.org/")],
    ids=["neither", "both"],
)
def test_call_to_action_needs_exactly_one_target(home_page, page_given, url):
    block = StandardStoryBlock().child_blocks["call_to_action"]
    value = block.to_python(
        {
            "heading": "Read more",
            "text": "",
            "page": home_page.pk if page_given else None,
            "url": url,
            "button_label": "Go",
        }
    )

    with pytest.raises(ValidationError) as raised:
        block.clean(value)

    assert "Choose a page or give an external link" in str(
        raised.value.block_errors["url"]
    )


def test_call_to_action_with_external_link_is_valid(home_page):
    block = StandardStoryBlock().child_blocks["call_to_action"]
    value = block.to_python(
        {
            "heading": "Read more",
            "text": "",
            "page": None,
            "url": "https://example.org/",
            "button_label": "Go",
        }
    )

    assert block.clean(value)["url"] == "https://example.org/"


def test_standard_pages_live_under_the_home_page_only(home_page):
    assert StandardPage.can_create_at(home_page)
    assert not StandardPage.can_create_at(Page.get_first_root_node())


def test_every_block_has_an_icon_and_a_template():
    for name, block in StandardStoryBlock().child_blocks.items():
        assert block.meta.icon not in ("", "placeholder"), name
        assert block.meta.template and block.meta.template.startswith("components/")
