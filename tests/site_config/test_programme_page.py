"""Programme pages: filled in from the library and the inbox, in the page's
language, at a constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from site_config.models import ProgrammePage
from tests.publications.factories import (
    CountryFactory,
    PersonFactory,
    ProgrammeFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)
from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 24


@pytest.fixture
def programme_site(home_page):
    library = PublicationIndexPageFactory(parent=home_page)
    research = StandardPageFactory(
        parent=home_page, title="Our research", slug="research"
    )
    programme = ProgrammeFactory(name="Natural Resources", slug="natural-resources")
    page = research.add_child(
        instance=ProgrammePage(
            title="Natural Resources", slug="natural-resources", programme=programme
        )
    )
    page.save_revision().publish()
    return library, research, programme, page


def _content_add(library, programme, number: int, start: int = 0) -> None:
    for n in range(start, start + number):
        country = CountryFactory(name=f"Country {n}")
        person = PersonFactory(name=f"Researcher {n}", role="Researcher")
        PublicationPageFactory(
            parent=library,
            title=f"Report {n}",
            programmes=[programme],
            countries=[country],
            authors=[person],
        )


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_programme_page_shows_publications_countries_and_people(client, programme_site):
    library, research, programme, page = programme_site
    _content_add(library, programme, 8)

    html = client.get(page.url).content.decode()

    assert html.count('class="card card--publication"') == 6  # the latest six
    assert "Report 7" in html and "Report 1" not in html
    assert 'href="/en/publications/?programme=natural-resources"' in html
    assert 'href="/en/publications/?country=' in html
    assert '">Researcher 3</a>' in html
    assert 'href="/en/publications/people/researcher-3/"' in html
    research_html = client.get(research.url).content.decode()
    assert f'href="{page.url}">Natural Resources</a>' in research_html


def test_programme_page_query_count_is_constant(client, programme_site):
    library, _research, programme, page = programme_site
    _content_add(library, programme, 1)
    client.get(page.url)  # warm the chrome cache
    few, _html = _queries(client, page.url)
    _content_add(library, programme, 8, start=1)
    many, html = _queries(client, page.url)

    assert "Report 8" in html
    assert few == many
    assert many <= QUERY_BUDGET


def test_french_programme_page_speaks_french_and_marks_english_items(
    client, programme_site, locales
):
    library, _research, programme, page = programme_site
    _content_add(library, programme, 2)
    french = programme.copy_for_translation(locales["fr"])
    french.name = "Ressources naturelles"
    french.save()
    congo = CountryFactory(name="DR Congo", iso_code="CD")
    french_congo = congo.copy_for_translation(locales["fr"])
    french_congo.name = "République démocratique du Congo"
    french_congo.save()
    PublicationPageFactory(parent=library, programmes=[programme], countries=[congo])
    french_page = page.copy_for_translation(locales["fr"], copy_parents=True)
    french_page.title = "Ressources naturelles"
    french_page.save_revision().publish()

    html = client.get(french_page.url).content.decode()

    assert '<html lang="fr"' in html
    assert "République démocratique du Congo" in html
    assert "DR Congo" not in html
    assert '<li lang="en">' in html  # English publications say so
    assert "Ressources naturelles" in html
