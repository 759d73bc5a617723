"""Wagtail's admin in French, and in English where a reader asks for Swahili."""

from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from publications.models import Programme
from tests.publications.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(admin_user):
    return admin_user


@pytest.fixture
def french_home(home_page, locales):
    french = home_page.copy_for_translation(locales["fr"])
    french.title = "Accueil"
    french.save_revision().publish()
    return french


def _admin_urls(home_page) -> list[str]:
    programme = ProgrammeFactory(slug="natural-resources", name="Natural Resources")
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[home_page.pk]),
        reverse("wagtailadmin_pages:edit", args=[home_page.pk]),
        reverse(
            "wagtailadmin_pages:add", args=["site_config", "standardpage", home_page.pk]
        ),
        reverse("simple_translation:submit_page_translation", args=[home_page.pk]),
        reverse("wagtailsnippets_publications_programme:list"),
        reverse("wagtailsnippets_publications_programme:edit", args=[programme.pk]),
        reverse(
            "simple_translation:submit_snippet_translation",
            args=["publications", "programme", programme.pk],
        ),
    ]


def test_editor_who_prefers_french_gets_the_whole_admin_in_french(
    client, editor, home_page, french_home
):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(editor)

    for url in _admin_urls(home_page):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="fr"' in response.content.decode(), url

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tableau de bord" in dashboard
    # Our own field labels and panels come from our French catalogue.
    editor_form = client.get(
        reverse("wagtailadmin_pages:edit", args=[home_page.pk])
    ).content.decode()
    assert "Titre de la lettre d’information" in editor_form
    assert "Appel à s’abonner à la lettre d’information" in editor_form
    programmes = client.get(
        reverse("wagtailsnippets_publications_programme:list")
    ).content.decode()
    assert "Programmes" in programmes


def test_browser_asking_for_swahili_gets_the_admin_in_english_without_errors(
    client, editor, home_page, french_home
):
    client.force_login(editor)

    for url in _admin_urls(home_page):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="sw")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en"' in html, url
    dashboard = client.get(
        reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="sw"
    ).content.decode()
    assert "Dashboard" in dashboard


def test_admin_offers_english_and_french_but_not_swahili(client, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_account")).content.decode()

    assert 'value="fr"' in html
    assert 'value="sw"' not in html


def test_french_editor_creates_a_french_translation_of_a_snippet(
    client, editor, home_page, locales
):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(editor)
    programme = ProgrammeFactory(slug="arms-trade", name="Arms Trade & Security")

    response = client.post(
        reverse(
            "simple_translation:submit_snippet_translation",
            args=["publications", "programme", programme.pk],
        ),
        {"locales": [locales["fr"].pk]},
    )

    assert response.status_code == 302
    french = Programme.objects.get(
        translation_key=programme.translation_key, locale=locales["fr"]
    )
    assert french.slug == "arms-trade"


def test_browser_asking_for_french_gets_the_french_admin(client, editor):
    client.force_login(editor)

    html = client.get(
        reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert '<html lang="fr"' in html
    assert "Tableau de bord" in html
