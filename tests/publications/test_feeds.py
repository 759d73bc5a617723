"""RSS and Atom feeds of the newest publications, read back with feedparser."""

import datetime

import feedparser
import pytest

from tests.publications.conftest import taxonomy_make
from tests.publications.factories import (
    PublicationIndexPageFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)
from tests.site_config.factories import home_page_make, locales_ensure
from tests.utils.shared import rows_again

pytestmark = pytest.mark.django_db

RSS = "/en/publications/feed/"
ATOM = "/en/publications/feed/atom/"
BASE = "http://testserver"


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def rows_build():
    """The module's shelf (`module_rows`), under a home of its own."""
    home = home_page_make(locales_ensure(), slug="shelf-institute")
    library = PublicationIndexPageFactory(parent=home)
    return _shelf_fill(library, taxonomy_make())


@pytest.fixture
def shelf(module_rows, db):
    """The module's shelf (below), read again for the test."""
    return rows_again(module_rows)


def _shelf_fill(library, taxonomy):
    """25 live publications a week apart, the even ones in Conflict Mapping."""
    pages = []
    for number in range(25):
        pages.append(
            PublicationPageFactory(
                parent=library,
                title=f"Report {number:02d}",
                subtitle="A subtitle" if number == 24 else "",
                summary=f"What report {number} found & why it matters.",
                publication_date=datetime.date(2018, 1, 1)
                + datetime.timedelta(weeks=number),
                programmes=[taxonomy.conflict_mapping]
                if number % 2 == 0
                else [taxonomy.natural_resources],
                authors=[taxonomy.merket, "Elise Foubert"] if number == 24 else [],
            )
        )
    PublicationPageFactory(
        parent=library,
        title="Unpublished draft",
        publication_date=datetime.date(2030, 1, 1),
        live=False,
    )
    return pages


def test_rss_lists_the_newest_twenty_live_publications(client, shelf):
    response, feed = parse(client, RSS)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feed.version == "rss20"
    assert feed.feed.title == "Publications"
    assert feed.feed.link == BASE + "/en/publications/"
    assert feed.feed.language == "en"
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 20
    assert titles[0] == "Report 24: A subtitle"
    assert titles[-1] == "Report 05"
    assert "Unpublished draft" not in response.content.decode()


def test_rss_items_carry_absolute_links_dates_authors_and_programmes(client, shelf):
    _response, feed = parse(client, RSS)

    entry = feed.entries[0]
    assert entry.link == BASE + shelf[24].url
    assert entry.id == BASE + shelf[24].url
    assert entry.summary == "What report 24 found & why it matters."
    assert entry.published_parsed[:3] == (2018, 6, 18)
    assert entry.author == "Hans Merket, Elise Foubert"
    assert [tag.term for tag in entry.tags] == ["Conflict Mapping"]


def test_atom_feed_has_the_same_items(client, shelf):
    response, feed = parse(client, ATOM)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.version == "atom10"
    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Report 24: A subtitle"
    assert feed.entries[0].link == BASE + shelf[24].url
    assert feed.entries[0].updated_parsed is not None
    assert feed.feed.links[0].href.startswith("http")


def test_programme_feed_lists_only_that_programme(client, shelf):
    _response, feed = parse(client, RSS + "?programme=conflict-mapping")

    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 13
    assert all(int(title[7:9]) % 2 == 0 for title in titles)
    assert feed.feed.title == "Publications: Conflict Mapping"

    _response, atom = parse(client, ATOM + "?programme=natural-resources")
    assert len(atom.entries) == 12


def test_unknown_programme_feed_is_not_found(client, shelf):
    assert client.get(RSS + "?programme=no-such-thing").status_code == 404
    assert client.get(ATOM + "?programme=" + "x" * 5000).status_code == 404


def test_feed_includes_voices_studies(client, library):
    series = VoicesSeriesPageFactory(parent=library)
    PublicationPageFactory(parent=series, title="Partner study")

    _response, feed = parse(client, RSS)

    assert [entry.title for entry in feed.entries] == ["Partner study"]


def test_empty_library_gives_a_valid_empty_feed(client, library):
    _response, feed = parse(client, RSS)

    assert feed.entries == []


def test_french_library_has_its_own_feed(client, library, fr_library):
    PublicationPageFactory(parent=library, title="English report")
    PublicationPageFactory(parent=fr_library, title="Rapport")

    _response, feed = parse(client, "/fr/publications/feed/")

    assert [entry.title for entry in feed.entries] == ["Rapport"]
    assert feed.feed.language == "fr"


def test_feed_of_a_draft_library_is_not_found(client, home_page):
    from tests.publications.factories import PublicationIndexPageFactory

    PublicationIndexPageFactory(parent=home_page, live=False)

    assert client.get(RSS).status_code == 404
