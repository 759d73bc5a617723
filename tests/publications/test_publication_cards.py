"""A publication's card shows its cover, else its PDF's first page, as a
responsive picture; a page of cards costs the same queries with 0, 2 or 20
pictures (publications.cards)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Collection, CollectionViewRestriction

import pytest
from bs4 import BeautifulSoup

from publications.models import DocumentText, PublicationDownload, PublicationPage
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import (
    CoverImageFactory,
    PdfDocumentFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)

pytestmark = pytest.mark.django_db

URL = "/en/publications/"
LIBRARY_MAX_QUERIES = 20


def _first_page(publication, *, collection=None, language="en"):
    """A PDF for `publication` whose first page was drawn (as the sandbox does)."""
    document = PdfDocumentFactory(
        collection=collection or Collection.get_first_root_node()
    )
    image = CoverImageFactory(title=f"First page of {document.title}")
    image.collection = document.collection
    image.save()
    DocumentText.objects.create(
        document=document, status="ok", read_at=timezone.now(), thumbnail=image
    )
    PublicationDownload.objects.create(
        page=publication, document=document, language=language
    )
    return image


def _cards(html: str):
    return BeautifulSoup(html, "html.parser").select(".library-list .card")


def _count(client, url: str) -> int:
    client.get(url)  # renditions made and site caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_library_cards_cost_the_same_with_0_2_and_20_pictures(
    client, library, taxonomy, django_assert_max_num_queries
):
    publications_bulk_create(
        parent=library,
        count=20,
        programmes=[taxonomy.natural_resources],
        countries=[taxonomy.congo],
        people=[taxonomy.merket],
    )
    pages = list(PublicationPage.objects.child_of(library).order_by("pk"))

    without = _count(client, URL)
    # Two pictures: a cover and a PDF's first page.
    PublicationPage.objects.filter(pk=pages[0].pk).update(
        cover_image=CoverImageFactory()
    )
    _first_page(pages[1])
    two = _count(client, URL)
    # Twenty: half covers, half first pages.
    for page in pages[2:11]:
        PublicationPage.objects.filter(pk=page.pk).update(
            cover_image=CoverImageFactory()
        )
    for page in pages[11:]:
        _first_page(page)
    twenty = _count(client, URL)

    with django_assert_max_num_queries(LIBRARY_MAX_QUERIES):
        html = client.get(URL).content.decode()
    assert len(_cards(html)) == 20
    assert html.count('type="image/avif"') == html.count('type="image/webp"') == 20
    # The covers' renditions cost a query once a card has a cover: 0 pictures
    # may cost one less, never more; 2 and 20 the same.
    assert two == twenty <= LIBRARY_MAX_QUERIES
    assert without <= two


def test_a_card_without_cover_shows_its_pdfs_first_page(client, library):
    publication = PublicationPageFactory(parent=library, title="Gold in Ituri")
    image = _first_page(publication)

    card = _cards(client.get(URL).content.decode())[0]

    picture = card.select_one("picture")
    assert [source["type"] for source in picture.select("source")] == [
        "image/avif",
        "image/webp",
    ]
    img = picture.select_one("img")
    # Decorative: the title beside it names the card (WCAG H67).
    assert img["alt"] == ""
    assert img["width"] == "120" and img["height"] == "160"
    assert re.search(r"\b240w\b", img["srcset"])
    assert image.file.name.rsplit("/", 1)[-1].split(".")[0][:10] in img["src"]


def test_a_cover_wins_over_the_first_page_on_the_card(client, library):
    cover = CoverImageFactory(title="Cover of the gold study")
    publication = PublicationPageFactory(parent=library, cover_image=cover)
    first_page = _first_page(publication)

    img = _cards(client.get(URL).content.decode())[0].select_one("img")

    stem = first_page.file.name.rsplit("/", 1)[-1].split(".")[0][:10]
    assert stem not in img["src"]
    assert cover.renditions.filter(file=img["src"].split("/media/")[-1]).exists()


def test_a_private_pdfs_first_page_stays_off_the_card(client, library):
    private = Collection.get_first_root_node().add_child(name="Partner drafts")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    publication = PublicationPageFactory(parent=library)
    _first_page(publication, collection=private)

    card = _cards(client.get(URL).content.decode())[0]

    assert card.select_one("picture") is None
    assert "card--with-image" not in card["class"]


def test_only_the_first_two_cards_load_their_picture_at_once(client, library):
    for _ in range(4):
        PublicationPageFactory(parent=library, cover_image=CoverImageFactory())

    images = [card.select_one("img") for card in _cards(client.get(URL).text)]

    assert [img.get("loading") for img in images] == [None, None, "lazy", "lazy"]


def test_a_voices_series_shows_its_studies_pictures_at_a_fixed_cost(
    client, library, django_assert_max_num_queries
):
    series = VoicesSeriesPageFactory(parent=library)
    study = PublicationPageFactory(parent=series, cover_image=CoverImageFactory())
    _first_page(PublicationPageFactory(parent=series))
    few = _count(client, series.url)
    for _ in range(2):
        _first_page(PublicationPageFactory(parent=series))
    PublicationPageFactory(parent=series, cover_image=CoverImageFactory())

    assert _count(client, series.url) == few
    with django_assert_max_num_queries(few):
        html = client.get(series.url).content.decode()
    assert html.count('type="image/avif"') == 5
    assert study.title in html
