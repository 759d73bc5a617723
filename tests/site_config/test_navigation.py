import re

import pytest

from site_config.models import SiteSettings
from tests.site_config.factories import NavigationItemFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def _translate(page, locale, title):
    translation = page.copy_for_translation(locale)
    translation.title = title
    translation.save_revision().publish()
    return translation


@pytest.fixture
def french_home(home_page, locales):
    return _translate(home_page, locales["fr"], "Accueil")


def test_main_navigation_lists_menu_items_in_order(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About us")
    team = StandardPageFactory(parent=home_page, title="Our team")
    NavigationItemFactory(page=team, sort_order=2)
    NavigationItemFactory(page=about, sort_order=1, label="Who we are")

    html = client.get("/en/").content.decode()

    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.index("Who we are") < nav.index("Our team")
    assert f'href="{about.url}"' in nav


def test_main_navigation_marks_the_current_section(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About us")
    child = StandardPageFactory(parent=about, title="History")
    NavigationItemFactory(page=about)

    html = client.get(child.url).content.decode()

    assert f'href="{about.url}" aria-current="page"' in html


def test_main_navigation_follows_the_reader_language(
    client, home_page, french_home, locales
):
    about = StandardPageFactory(parent=home_page, title="About us")
    NavigationItemFactory(page=about, label="Who we are")
    french_about = _translate(about, locales["fr"], "À propos")

    html = client.get("/fr/").content.decode()

    assert f'href="{french_about.url}"' in html
    assert "À propos" in html
    assert "Who we are" not in html  # an English label stays in English pages


def test_untranslated_menu_item_falls_back_to_the_original(
    client, home_page, french_home
):
    about = StandardPageFactory(parent=home_page, title="About us")
    NavigationItemFactory(page=about)

    html = client.get("/fr/").content.decode()

    assert f'href="{about.url}"' in html


def test_language_switcher_links_to_translation_or_marks_the_home_fallback(
    client, home_page, french_home, locales
):
    _translate(home_page, locales["sw"], "Mwanzo")
    about = StandardPageFactory(parent=home_page, title="About us")
    french_about = _translate(about, locales["fr"], "À propos")

    html = client.get(about.url).content.decode()
    switcher = html.split('<nav class="language-switcher"', 1)[1].split("</nav>")[0]

    assert f'href="{about.url}" lang="en" hreflang="en" aria-current="true"' in switcher
    assert f'href="{french_about.url}" lang="fr"' in switcher
    assert 'href="/sw/" lang="sw"' in switcher
    assert "language-switcher__link--home" in switcher
    assert switcher.count("no translation of this page") == 1


def test_language_switcher_on_a_not_found_page_offers_each_home(
    client, home_page, french_home
):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="/fr/" lang="fr"' in html
    assert 'href="/en/" lang="en"' in html


def test_footer_shows_contact_details_and_social_links(client, home_page):
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.organisation_name = "IPIS"
    site_settings.address = "Italiëlei 98a\n\n 2000 Antwerp \nBelgium"
    site_settings.email = "info@example.org"
    site_settings.phone = "+32 3 225 00 22"
    site_settings.twitter_url = "https://twitter.com/example"
    site_settings.footer_text = "Research for peace."
    site_settings.save()

    html = client.get("/en/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]

    assert "Italiëlei 98a<br>2000 Antwerp<br>Belgium" in footer
    assert 'href="mailto:info@example.org"' in footer
    assert 'href="tel:+3232250022"' in footer
    assert 'href="https://twitter.com/example" rel="me noopener">X (Twitter)' in footer
    assert "Facebook" not in footer
    assert "Research for peace." in footer
    assert site_settings.social_links == [
        ("X (Twitter)", "https://twitter.com/example")
    ]


def test_every_page_starts_with_a_skip_link_to_the_main_content(client, home_page):
    html = client.get("/en/").content.decode()

    body = html.split("<body", 1)[1]
    assert body.index('class="skip-link" href="#main"') < body.index("<header")
    assert '<main id="main"' in body


def test_main_navigation_is_a_menu_disclosure_that_needs_no_script(
    client, home_page, french_home
):
    about = StandardPageFactory(parent=home_page, title="About us")
    NavigationItemFactory(page=about)

    for url, label in (("/en/", "Menu"), ("/fr/", "Menu")):
        html = client.get(url).content.decode()
        nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]

        # Closed by default (small screens); site.css opens it on wide ones.
        assert '<details class="main-nav__menu disclosure">' in nav
        assert f">{label}</summary>" in nav
        assert nav.index("</summary>") < nav.index('class="main-nav__link"')
        # The menu needs no script; the only one on the page is the header
        # search's suggestions, loaded from a file (no inline script).
        assert "<script" not in nav and " style=" not in html
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="/static/theme/js/search-suggest.js" defer>'
        ]
