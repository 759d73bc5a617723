from django.template.loader import render_to_string
from django.urls import path

import pytest

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


def test_not_found_page_is_friendly_and_keeps_the_site_chrome(client, home_page):
    response = client.get("/en/reports/missing/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert '<header class="site-header">' in html
    assert 'href="/en/"' in html


def test_server_error_page_renders_without_context_or_database():
    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert 'lang="fr"' in html and 'lang="sw"' in html


def test_unhandled_error_answers_with_the_500_page(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "library_link"),
    [
        ("en", "We could not find that page", "Browse the library of publications"),
        ("fr", None, None),
        ("sw", None, None),
    ],
)
def test_not_found_page_offers_search_and_the_library_in_the_readers_language(
    client, home_page, locales, language, heading, library_link
):
    from django.utils import translation

    from tests.publications.factories import PublicationIndexPageFactory

    library = PublicationIndexPageFactory(parent=home_page)
    if language != "en":
        home = home_page.copy_for_translation(locales[language])
        home.save_revision().publish()
        library = library.copy_for_translation(locales[language])
        library.save_revision().publish()
    with translation.override(language):
        heading = heading or translation.gettext("We could not find that page")
        library_link = library_link or translation.gettext(
            "Browse the library of publications"
        )
        search = translation.gettext("Search")

    response = client.get(f"/{language}/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}"' in html
    assert heading in html
    page = html.split('<main id="main"', 1)[1]
    assert f'action="/{language}/search/"' in page
    assert f">{search}</button>" in page
    assert f'<a href="{library.url}">{library_link}</a>' in page
    assert library.url.startswith(f"/{language}/")
