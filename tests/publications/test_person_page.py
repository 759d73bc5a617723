"""A person's page in the library: who they are and what they wrote, in each
language, and links to it from their publications."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from publications.models import Person, PublicationAuthor
from tests.publications.factories import (
    CoverImageFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationPageFactory,
)
from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db

# ORCID's documented example iD (its test persona), never a real person's.
EXAMPLE_ORCID = "0000-0002-1825-0097"
MERKET_EN = "/en/publications/people/hans-merket/"
MERKET_FR = "/fr/publications/people/hans-merket/"
BASE = "http://testserver"


def _html(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def _card_titles(html: BeautifulSoup) -> list[str]:
    return [
        title.get_text(strip=True)
        for title in html.select(".person-profile__publications .card__title")
    ]


@pytest.fixture
def merket(taxonomy):
    person = taxonomy.merket
    person.role = "Researcher"
    person.orcid = EXAMPLE_ORCID
    person.bio = "Hans researches the mineral supply chains of eastern Congo."
    person.photo = CoverImageFactory(title="Hans Merket")
    person.organisation = OrganisationFactory(name="IPIS", acronym="IPIS")
    person.save()
    return person


@pytest.fixture
def works(library, fr_library, taxonomy, merket, locales):
    """Three publications by Hans: one in English and French, one only in
    English, one only in French; and a draft, which no page shows."""
    both = PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining",
        slug="mapping",
        publication_date=datetime.date(2019, 1, 1),
        programmes=[taxonomy.natural_resources],
        authors=[merket, "Elise Foubert"],
    )
    french = both.copy_for_translation(locales["fr"])
    french.title = "Cartographie de l'exploitation minière artisanale"
    french.save_revision().publish()
    english_only = PublicationPageFactory(
        parent=library,
        title="Roadblocks in the Central African Republic",
        publication_date=datetime.date(2021, 6, 1),
        programmes=[taxonomy.conflict_mapping],
        authors=[merket],
    )
    french_only = PublicationPageFactory(
        parent=fr_library,
        title="Route du pillage",
        publication_date=datetime.date(2020, 3, 1),
        authors=[merket],
    )
    PublicationPageFactory(
        parent=library, title="Unfinished", authors=[merket], live=False
    )
    return {
        "both": both,
        "french": french,
        "english_only": english_only,
        "french_only": french_only,
    }


# What readers see


def test_person_page_shows_who_they_are_and_their_publications_newest_first(
    client, works, merket
):
    html = _html(client, MERKET_EN)

    assert html.h1.get_text(strip=True) == "Hans Merket"
    assert "Researcher" in html.select_one(".page-header").text
    facts = {
        dt.get_text(strip=True): [
            dd.get_text(strip=True) for dd in dt.find_next_siblings("dd", limit=2)
        ][0]
        for dt in html.select(".publication__facts dt")
    }
    assert facts["Role"] == "Researcher"
    assert facts["Organisation"] == "IPIS"
    assert facts["ORCID iD"] == f"https://orcid.org/{EXAMPLE_ORCID}"
    programmes = [
        a.get_text(strip=True)
        for a in html.select(".publication__facts dd a[href*='programme']")
    ]
    assert programmes == ["Natural Resources", "Conflict Mapping"]
    assert "mineral supply chains" in html.select_one(".person-profile__bio").text
    # The photo in several formats and sizes, as the other pictures are.
    picture = html.select_one(".person-profile__photo picture")
    assert len(picture.find_all("source")) == 2
    assert "400w" in picture.find("source")["srcset"]
    # Newest first; the English version of the work that has two; no draft.
    assert _card_titles(html) == [
        "Roadblocks in the Central African Republic",
        "Route du pillage",
        "Mapping artisanal mining",
    ]
    kickers = [k.get_text(strip=True) for k in html.select(".card__kicker")]
    assert kickers[1].endswith("French")
    assert kickers[0].endswith("English")
    french_card = html.select(".card__title")[1]
    assert french_card["lang"] == "fr"


def test_in_french_the_french_version_comes_first_and_the_page_is_french(client, works):
    html = _html(client, MERKET_FR)

    assert html.html["lang"] == "fr"
    assert _card_titles(html) == [
        "Roadblocks in the Central African Republic",
        "Route du pillage",
        "Cartographie de l'exploitation minière artisanale",
    ]
    english_card = html.select(".card__title")[0]
    assert english_card["lang"] == "en"
    assert "anglais" in html.select(".card__kicker")[0].get_text().lower()
    assert html.select_one(".publication__back a")["href"] == "/fr/publications/"


def test_a_person_without_readable_publications_has_no_page(
    client, library, works, taxonomy
):
    PublicationPageFactory(
        parent=library, title="Draft", authors=[taxonomy.mawala], live=False
    )

    assert client.get("/en/publications/people/elard-mawala/").status_code == 404
    assert client.get("/en/publications/people/nobody/").status_code == 404


def test_another_languages_slug_redirects_to_this_languages_address(
    client, works, merket, locales
):
    french = merket.copy_for_translation(locales["fr"])
    french.slug = "hans-merket-fr"
    french.role = "Chercheur"
    french.save()

    response = client.get(MERKET_FR)

    assert response.status_code == 301
    assert response["Location"] == "/fr/publications/people/hans-merket-fr/"
    html = _html(client, "/fr/publications/people/hans-merket-fr/")
    assert "Chercheur" in html.select_one(".page-header").text
    links = {
        link["hreflang"]: link["href"]
        for link in html.find_all("link", rel="alternate")
        if link.get("hreflang")
    }
    assert links["en"].endswith(MERKET_EN)
    assert links["fr"].endswith("/fr/publications/people/hans-merket-fr/")
    assert links["x-default"] == links["en"]


def test_head_names_the_person_for_search_engines_and_social_sites(
    client, works, merket
):
    html = _html(client, MERKET_EN)

    canonical = html.find("link", rel="canonical")["href"]
    assert canonical.endswith(MERKET_EN)
    assert html.title.get_text().startswith("Hans Merket · ")
    og = {
        tag["property"]: tag["content"]
        for tag in html.find_all("meta", attrs={"property": True})
    }
    assert og["og:title"] == "Hans Merket"
    assert og["og:type"] == "profile"
    assert og["og:url"] == canonical
    assert "fill-1200x630" in og["og:image"]
    description = html.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Hans researches")
    alternates = {
        link["hreflang"]: link["href"]
        for link in html.find_all("link", rel="alternate")
        if link.get("hreflang")
    }
    assert alternates["fr"].endswith(MERKET_FR)
    # The language switcher goes to the same person in French.
    switcher = html.select_one(".language-switcher__link[hreflang=fr]")
    assert switcher["href"] == MERKET_FR
    profile = json.loads(html.find("script", type="application/ld+json").string)
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"]["sameAs"] == [f"https://orcid.org/{EXAMPLE_ORCID}"]
    assert profile["mainEntity"]["jobTitle"] == "Researcher"


def test_description_without_a_biography_says_who_they_are(client, works, merket):
    merket.bio = ""
    merket.save()

    html = _html(client, MERKET_FR)

    description = html.find("meta", attrs={"name": "description"})["content"]
    assert "Hans Merket" in description
    assert "Researcher" in description


def test_sitemap_lists_the_people_with_publications_in_each_language(
    client, works, taxonomy
):
    body = client.get("/sitemap.xml").content.decode()

    assert f"{MERKET_EN}</loc>" in body
    assert f"{MERKET_FR}</loc>" in body
    assert "elard-mawala" not in body


# Links to the person


def test_publication_page_links_its_authors_to_their_pages(client, works, merket):
    html = _html(client, works["both"].url)

    links = [a["href"] for a in html.select(".publication__author a")]
    assert links == [MERKET_EN]
    orcid = html.select_one(".publication__orcid")
    assert orcid["href"] == f"https://orcid.org/{EXAMPLE_ORCID}"
    report = json.loads(html.find("script", type="application/ld+json").string)
    merket_ld, foubert_ld = report["author"]
    assert merket_ld["url"].endswith(MERKET_EN)
    assert merket_ld["sameAs"] == f"https://orcid.org/{EXAMPLE_ORCID}"
    assert "url" not in foubert_ld
    tags = [
        (tag["name"], tag["content"])
        for tag in html.find_all("meta", attrs={"name": True})
        if tag["name"].startswith("citation_author")
    ]
    assert tags == [
        ("citation_author", "Hans Merket"),
        ("citation_author_orcid", f"https://orcid.org/{EXAMPLE_ORCID}"),
        ("citation_author", "Elise Foubert"),
    ]


def test_french_publication_links_to_the_french_person_page(client, works):
    html = _html(client, works["french"].url)

    assert [a["href"] for a in html.select(".publication__author a")] == [MERKET_FR]


def test_person_and_publication_pages_are_valid_html(client, works):
    documents = {
        url: client.get(url).content
        for url in (MERKET_EN, MERKET_FR, works["both"].url)
    }

    assert_valid_html_documents(documents)


# Queries


def _many_works(library, person, count: int, start: int = 0) -> None:
    # One cover for all: each card still reads it through its own page.
    cover = CoverImageFactory()
    for number in range(start, start + count):
        page = PublicationPageFactory(
            parent=library,
            title=f"Work {number}",
            cover_image=cover,
            authors=[person, f"Co-author {number}"],
        )
        PublicationAuthor.objects.create(
            page=page, person=PersonFactory(name=f"Colleague {number}"), sort_order=5
        )


def _query_count(client, url, django_assert_max_num_queries, limit) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # renditions made, caches warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(limit):
        client.get(url)
    return len(queries)


PERSON_PAGE_MAX_QUERIES = 22


def test_person_page_queries_do_not_grow_with_their_publications(
    client, library, fr_library, taxonomy, django_assert_max_num_queries
):
    person = taxonomy.merket
    _many_works(library, person, 1)
    one = _query_count(
        client, MERKET_EN, django_assert_max_num_queries, PERSON_PAGE_MAX_QUERIES
    )

    _many_works(library, person, 19, start=1)
    twenty = _query_count(
        client, MERKET_EN, django_assert_max_num_queries, PERSON_PAGE_MAX_QUERIES
    )

    assert twenty == one, (one, twenty)
    assert len(_card_titles(_html(client, MERKET_EN))) == 20


# The person's slug


def test_slug_is_made_from_the_name_and_numbered_when_taken(locales):
    first = PersonFactory(name="Jean-Pierre Mbembe")
    second = PersonFactory(name="Jean Pierre Mbembe")

    assert first.slug == "jean-pierre-mbembe"
    assert second.slug == "jean-pierre-mbembe-2"


def test_a_translation_keeps_the_persons_slug(locales):
    person = PersonFactory(name="Hans Merket")

    french = person.copy_for_translation(locales["fr"])
    french.save()

    assert french.slug == "hans-merket"


def test_a_slug_taken_in_the_language_is_a_form_error(locales):
    PersonFactory(name="Hans Merket")
    other = Person(
        name="Someone", slug="hans-merket", group="staff", locale=locales["en"]
    )

    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "slug" in error.value.message_dict


def test_a_wrong_orcid_is_a_form_error_and_an_address_is_kept_as_the_id(locales):
    person = Person(name="Test Person", group="staff", locale=locales["en"])
    person.orcid = "https://orcid.org/0000-0002-1825-0098"
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "checksum" in error.value.message_dict["orcid"][0]

    person.orcid = "https://orcid.org/0000-0002-1825-0097"
    person.full_clean()
    assert person.orcid == EXAMPLE_ORCID


# The person form in the admin


def _person_form_post(client, **fields):
    url = reverse(Person.snippet_viewset.get_url_name("add"))
    data = {
        "name": "Test Person",
        "slug": "",
        "orcid": "",
        "role": "",
        "group": "staff",
        "email": "",
        "bio": "",
        "sort_order": "0",
        **fields,
    }
    return client.post(url + "?locale=en", data)


def test_admin_form_refuses_a_mistyped_orcid_and_keeps_what_was_typed(
    admin_client, locales
):
    response = _person_form_post(admin_client, orcid="0000-0002-1825-0098")

    assert response.status_code == 200
    html = response.content.decode()
    assert "does not match the others (its checksum)" in html
    assert 'value="0000-0002-1825-0098"' in html
    assert not Person.objects.filter(name="Test Person").exists()


def test_admin_form_stores_a_pasted_orcid_address_as_the_id(admin_client, locales):
    response = _person_form_post(
        admin_client, orcid=f"https://orcid.org/{EXAMPLE_ORCID}"
    )

    assert response.status_code == 302
    person = Person.objects.get(name="Test Person")
    assert (person.orcid, person.slug) == (EXAMPLE_ORCID, "test-person")
