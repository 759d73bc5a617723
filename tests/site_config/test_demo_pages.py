"""The demo site's public pages, one build for the module (each test rolled
back): every page template and the search pages are valid HTML (Nu HTML
Checker), each home page declares its language and carries the header's
search, and the home page's queries stay constant."""

from django.template.loader import render_to_string

import pytest

from site_config.models import HomePage
from tests.publications.factories import ProgrammeFactory
from tests.site_config.factories import StandardPageFactory
from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db


def test_page_templates_produce_valid_html(client, demo_site_shared):
    paths = [
        "/en/",
        "/fr/",
        "/sw/",
        "/en/about/",
        "/en/team/",
        "/en/research/",
        "/en/research/natural-resources/",
        "/en/briefing/",
        "/en/briefing/november-2019/",
        "/en/arms-trade-bulletin/",
        "/en/arms-trade-bulletin/may-june-2019/",
        # Translations: hreflang links in the head, translated interface text.
        "/en/arms-trade-bulletin/september-october-2019/",
        "/fr/bulletin-commerce-des-armes/septembre-octobre-2019/",
        "/fr/a-propos/",
        "/sw/kuhusu-sisi/",
        "/sw/publications/",
        "/fr/recherche/ressources-naturelles/",
        "/sw/utafiti/",
        "/fr/equipe/",
        "/sw/briefing/desemba-2019/",
    ]
    documents = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        documents[path] = response.content
    not_found = client.get("/en/missing/")
    assert not_found.status_code == 404
    documents["404"] = not_found.content
    unknown_language = client.get("/de/")
    assert unknown_language.status_code == 404
    documents["404 unknown language"] = unknown_language.content
    documents["500"] = render_to_string("500.html")

    assert_valid_html_documents(documents)


def test_search_pages_are_valid_html(client, demo_site_shared):
    english_home = HomePage.objects.get(locale__language_code="en")
    for n in range(25):
        StandardPageFactory(parent=english_home, title=f"Ceasefire report {n}")
    documents = {
        label: client.get("/en/search/", params).content
        for label, params in {
            "empty": {},
            "results": {"q": "arms trade"},
            "paginated": {"q": "ceasefire", "page": "2"},
            "no results": {"q": "zanzibar"},
            "no words": {"q": "?!"},
            "french": {"q": "paix"},
        }.items()
    }
    documents["french"] = client.get("/fr/search/", {"q": "paix"}).content

    assert_valid_html_documents(documents)


def test_every_page_has_the_header_search_form(client, demo_site_shared):
    for code in ("en", "fr", "sw"):
        html = client.get(f"/{code}/").content.decode()

        header = html.split('<header class="site-header">', 1)[1].split("</header>")[0]
        assert f'action="/{code}/search/" method="get" role="search"' in header
        assert (
            '<label class="search-form__label visually-hidden" for="site-search-q">'
            in header
        )
        assert 'name="q"' in header and '<button class="search-form__button"' in header


def test_each_home_page_declares_its_language(client, demo_site_shared):
    for code in ("en", "fr", "sw"):
        html = client.get(f"/{code}/").content.decode()
        assert f'<html lang="{code}"' in html


def test_home_page_query_count_stays_constant(
    client, demo_site_shared, django_assert_max_num_queries
):
    client.get("/en/")  # warm the site root cache, as any running server has

    # Header and footer come from the cache; one query reads the public mailing
    # lists for the subscribe form.
    with django_assert_max_num_queries(15):
        assert client.get("/en/").status_code == 200

    home = HomePage.objects.get(locale__language_code="en")
    for number in range(10):
        ProgrammeFactory(name=f"More research {number}", landing_page=home)

    with django_assert_max_num_queries(15):
        response = client.get("/en/")
    assert "More research 9" in response.content.decode()
