"""Pictures on the programme page's publication cards and beside the home
page's featured publication, at a constant number of queries."""

import pytest
from bs4 import BeautifulSoup

from tests.publications.factories import CoverImageFactory, PublicationPageFactory
from tests.publications.test_publication_cards import _first_page
from tests.site_config.test_programme_page import (  # noqa: F401 - a fixture
    QUERY_BUDGET,
    _queries,
    programme_site,
)

pytestmark = pytest.mark.django_db


def test_programme_cards_show_covers_and_first_pages_at_a_fixed_cost(
    client,
    programme_site,  # noqa: F811 - the fixture imported above
):
    library, _research, programme, page = programme_site
    PublicationPageFactory(
        parent=library, programmes=[programme], cover_image=CoverImageFactory()
    )
    _first_page(PublicationPageFactory(parent=library, programmes=[programme]))
    client.get(page.url)  # renditions made, chrome cached
    few, _html = _queries(client, page.url)
    for _ in range(2):
        PublicationPageFactory(
            parent=library, programmes=[programme], cover_image=CoverImageFactory()
        )
        _first_page(PublicationPageFactory(parent=library, programmes=[programme]))
    client.get(page.url)
    many, html = _queries(client, page.url)

    cards = BeautifulSoup(html, "html.parser").select(".card--publication")
    assert len(cards) == 6
    assert all(card.select_one("picture img[alt='']") for card in cards)
    assert few == many <= QUERY_BUDGET


def test_featured_publication_shows_its_first_page_beside_it(client, home_page):
    featured = PublicationPageFactory(parent=home_page, title="Gold in Beni")
    _first_page(featured)
    home_page.featured_page = featured
    home_page.save_revision().publish()

    html = BeautifulSoup(client.get("/en/").content, "html.parser")

    img = html.select_one(".featured picture img.featured__image")
    assert img is not None and img["alt"] == ""
    assert html.select(".featured picture source[type='image/avif']")
