"""Title suggestions for the header search: the service and /<lang>/search/suggest/."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wagtail.models import PageViewRestriction

import pytest

from site_config.search import search_suggestions
from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def _translate(page, locale, **fields):
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    translated.save_revision().publish()
    return translated


def test_titles_of_live_public_pages_of_the_language_by_their_beginning(
    home_page, locales
):
    gold = StandardPageFactory(parent=home_page, title="Gold mines of Ituri")
    StandardPageFactory(parent=home_page, title="Gold smuggling", intro="Mines.")
    StandardPageFactory(parent=home_page, title="Gold mines draft", live=False)
    private = StandardPageFactory(parent=home_page, title="Gold mines secret")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    french_home = _translate(home_page, locales["fr"], title="Accueil")
    StandardPageFactory(parent=french_home, title="Gold mines en français")

    suggestions = search_suggestions(query="gold mi", locale=locales["en"])

    assert [s.title for s in suggestions] == [gold.title]
    assert suggestions[0].url == gold.url


def test_short_or_wordless_queries_suggest_nothing(
    home_page, locales, django_assert_num_queries
):
    StandardPageFactory(parent=home_page, title="Gold mines")

    with django_assert_num_queries(0):
        assert search_suggestions(query="g", locale=locales["en"]) == []
        assert search_suggestions(query=" ?! ", locale=locales["en"]) == []


def test_endpoint_answers_json_cached_publicly_in_constant_queries(
    client, home_page, locales, django_assert_max_num_queries
):
    def queries_for(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        StandardPageFactory(parent=home_page, title=f"Uranium report {n}")
    client.get("/en/search/suggest/?q=uran")  # warm the site root paths cache
    few = queries_for("/en/search/suggest/?q=uran")
    for n in range(20):
        StandardPageFactory(parent=home_page, title=f"Uranium more {n}")

    assert queries_for("/en/search/suggest/?q=uran") == few
    # The locale, the site, the private sections, the ranked titles, the pages.
    with django_assert_max_num_queries(5):
        response = client.get("/en/search/suggest/", {"q": "Uran"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert not response.cookies and "Cookie" not in response.get("Vary", "")
    titles = [s["title"] for s in response.json()["suggestions"]]
    assert len(titles) == 8 and all(t.startswith("Uranium") for t in titles)


@pytest.mark.parametrize(
    "query", ["", "x", '"NEAR(a b)" OR *', "a" * 5000, "\x00gold", "gold:* & !"]
)
def test_endpoint_never_fails_on_bad_input(client, home_page, query):
    StandardPageFactory(parent=home_page, title="Gold mines")

    response = client.get("/en/search/suggest/", {"q": query})

    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_endpoint_refuses_a_post(client, home_page):
    assert client.post("/en/search/suggest/", {"q": "gold"}).status_code == 405


def test_header_form_offers_suggestions_through_an_external_script(client, home_page):
    html = client.get("/en/").content.decode()

    with translation.override("en"):
        suggest_url = reverse("search_suggest")
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert f'data-suggest-url="{suggest_url}"' in header
    assert 'src="/static/theme/js/search-suggest.js" defer' in header
    # No inline script: the Content-Security-Policy stays script-src 'self'.
    assert "<script>" not in html
