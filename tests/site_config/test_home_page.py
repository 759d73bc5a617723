import re

from wagtail.models import Page

import pytest

from publications.models import Programme
from site_config.models import HomePage
from tests.publications.factories import ProgrammeFactory
from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_title_intro_and_programmes_of_its_language(
    client, home_page, locales
):
    landing = StandardPageFactory(parent=home_page, title="Mining research")
    ProgrammeFactory(name="Natural Resources", landing_page=landing)
    ProgrammeFactory(name="Ressources naturelles", locale=locales["fr"])

    response = client.get("/en/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and home_page.title in html
    assert home_page.intro in html
    assert "Natural Resources" in html
    assert f'href="{landing.url}"' in html
    assert "Ressources naturelles" not in html


def test_programme_without_landing_page_is_listed_without_a_link(client, home_page):
    ProgrammeFactory(name="Capacity Enhancement")

    html = client.get("/en/").content.decode()

    assert re.search(r'<h3 class="card__title">\s*Capacity Enhancement\s*</h3>', html)


def test_featured_page_is_shown_only_while_live(client, home_page):
    featured = StandardPageFactory(
        parent=home_page, title="Mapping artisanal mining in eastern DRC"
    )
    home_page.featured_page = featured
    home_page.featured_text = "623 mining sites visited."
    home_page.save()

    assert "623 mining sites visited." in client.get("/en/").content.decode()

    featured.unpublish()

    assert "623 mining sites visited." not in client.get("/en/").content.decode()


def test_featured_page_is_given_in_the_home_page_language(client, home_page, locales):
    featured = StandardPageFactory(parent=home_page, title="Gold in Beni")
    home_page.featured_page = featured
    home_page.save()
    french_home = home_page.copy_for_translation(locales["fr"])
    french_home.save_revision().publish()
    french_featured = featured.copy_for_translation(locales["fr"])
    french_featured.title = "L’or à Beni"
    french_featured.save_revision().publish()

    html = client.get("/fr/").content.decode()

    assert "L’or à Beni" in html
    assert french_featured.url in html


def test_newsletter_call_to_action_links_to_its_page_or_falls_back_to_email(
    client, home_page
):
    html = client.get("/en/").content.decode()
    assert "Stay informed" in html
    assert "mailto:" not in html.split("newsletter-title", 1)[1].split("</section>")[0]

    from site_config.models import SiteSettings

    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.email = "info@example.org"
    site_settings.save()
    assert "mailto:info@example.org?subject=Stay%20informed" in (
        client.get("/en/").content.decode()
    )

    signup = StandardPageFactory(parent=home_page, title="Newsletter")
    home_page.newsletter_page = signup
    home_page.save()
    assert f'href="{signup.url}"' in client.get("/en/").content.decode()


def test_root_redirects_to_the_browser_language(client, home_page):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9").url == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="sw").url == "/sw/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").url == "/en/"


def test_home_page_can_only_sit_at_the_top_of_a_tree(home_page):
    assert HomePage.can_create_at(Page.get_first_root_node()) is False  # one exists
    assert HomePage.can_create_at(home_page) is False
    assert "wagtailcore.Page" in HomePage.parent_page_types


def test_programmes_are_ordered_for_the_home_page(client, home_page):
    ProgrammeFactory(name="Second", sort_order=2)
    ProgrammeFactory(name="First", sort_order=1)

    html = client.get("/en/").content.decode()

    assert html.index("First") < html.index("Second")
    assert Programme.objects.count() == 2


def test_hero_image_is_a_picture_in_avif_webp_and_jpeg(client, home_page):
    from tests.publications.factories import CoverImageFactory

    home_page.hero_image = CoverImageFactory()
    home_page.save_revision().publish()

    html = client.get("/en/").content.decode()

    hero = html.split('<section class="hero', 1)[1].split("</section>", 1)[0]
    picture = hero.split("<picture>", 1)[1].split("</picture>", 1)[0]
    assert '<source sizes="100vw" srcset="' in picture
    assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
    assert re.search(r'<img alt="" class="hero__image"[^>]*src="[^"]+\.jpg"', picture)
