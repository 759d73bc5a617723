"""The demo site in three languages: pages, taxonomy, bulletin, Voices, libraries."""

import re

import pytest

from bulletins.models import BulletinPage
from publications.models import Country, Organisation, Programme, PublicationPage
from site_config.models import StandardPage

pytestmark = pytest.mark.django_db


def _switcher(html: str) -> str:
    return html.split('<nav class="language-switcher"', 1)[1].split("</nav>", 1)[0]


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a [^>]*>([^<]+)</a>', html)


def test_about_page_exists_in_french_and_swahili_as_translations(
    client, demo_site_shared
):
    english = StandardPage.objects.get(locale__language_code="en", slug="about")

    for url, lang, heading in (
        ("/fr/a-propos/", "fr", "Notre mission"),
        ("/sw/kuhusu-sisi/", "sw", "Dhamira yetu"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{lang}"' in html
        assert heading in html
    switcher = _switcher(client.get(english.url).content.decode())
    assert 'href="/fr/a-propos/"' in switcher
    assert 'href="/sw/kuhusu-sisi/"' in switcher
    assert "language-switcher__link--home" not in switcher
    french_home = client.get("/fr/").content.decode()
    assert 'href="/fr/a-propos/"' in french_home  # the menu follows the language


def test_taxonomy_and_voices_studies_are_in_each_language(client, demo_site_shared):
    congo = Country.objects.get(locale__language_code="en", iso_code="CD")
    french_congo = Country.objects.get(iso_code="CD", locale__language_code="fr")
    swahili_congo = Country.objects.get(iso_code="CD", locale__language_code="sw")
    assert french_congo.name == "République démocratique du Congo"
    assert swahili_congo.name == "Jamhuri ya Kidemokrasia ya Kongo"
    assert french_congo.translation_key == congo.translation_key
    assert swahili_congo.translation_key == congo.translation_key
    commission = Organisation.objects.get(acronym="THBUB", locale__language_code="sw")
    assert commission.name == "Tume ya Haki za Binadamu na Utawala Bora"
    assert commission.country.name == "Tanzania"
    assert commission.country.locale.language_code == "sw"
    assert Organisation.objects.get(acronym="OIM").locale.language_code == "fr"
    for code in ("fr", "sw"):
        assert Programme.objects.filter(locale__language_code=code).count() == 5

    # Voices studies sit in the tree of their language.
    french = PublicationPage.objects.get(
        slug="misisi-incidents-chaine-approvisionnement-or"
    )
    swahili = PublicationPage.objects.get(locale__language_code="sw")

    assert french.locale.language_code == "fr"
    assert french.get_parent().title == "Voix du Congo"
    assert swahili.get_parent().title == "Sauti kutoka Tanzania"
    assert swahili.translation_key == (
        PublicationPage.objects.get(
            slug="voices-from-tanzania-volume-1"
        ).translation_key
    )
    response = client.get(swahili.url)
    assert response.status_code == 200
    assert '<html lang="sw"' in response.content.decode()


def test_french_arms_trade_bulletin_is_a_translation_of_the_same_issue(
    client, demo_site_shared
):
    english = BulletinPage.objects.get(
        locale__language_code="en", slug="september-october-2019"
    )
    french = BulletinPage.objects.get(locale__language_code="fr")

    assert french.translation_key == english.translation_key
    assert french.issue_date == english.issue_date
    response = client.get(french.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert french.url == "/fr/bulletin-commerce-des-armes/septembre-octobre-2019/"
    assert '<html lang="fr"' in html
    assert "Violences fondées sur le genre" in html
    assert "Éditorial" in html
    assert f'hreflang="en" href="http://testserver{english.url}"' in html
    english_html = client.get(english.url).content.decode()
    assert f'href="{french.url}" lang="fr"' in _switcher(english_html)
    archive = client.get("/fr/bulletin-commerce-des-armes/").content.decode()
    assert f'href="{french.url}"' in archive


def _result_count(html: str) -> int:
    return int(re.search(r'id="library-results-title">\D*(\d+)', html).group(1))


def _live_publications(code: str) -> int:
    return PublicationPage.objects.live().filter(locale__language_code=code).count()


def test_library_lists_every_language_and_narrows_on_request(client, demo_site_shared):
    everything = sum(_live_publications(code) for code in ("en", "fr", "sw"))
    for language, other in (("en", "fr"), ("fr", "en"), ("sw", "en")):
        url = f"/{language}/publications/"

        default = client.get(url).content.decode()
        own = client.get(f"{url}?language={language}").content.decode()
        both = client.get(f"{url}?language={language}&language={other}")

        assert f'<html lang="{language}"' in default
        assert _result_count(default) == everything
        assert _result_count(own) == _live_publications(language) > 0
        assert _result_count(both.content.decode()) == (
            _live_publications(language) + _live_publications(other)
        )
