"""The API tells what the library's pages tell: publications, Voices studies and
series, from their published version only, in constant queries."""

import datetime

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from publications.models import Organisation, PublicationDownload
from tests.publications.factories import (
    PdfDocumentFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)

pytestmark = pytest.mark.django_db

PUBLICATIONS = "publications.PublicationPage"


def api_items(client, model: str = PUBLICATIONS, **params) -> list[dict]:
    response = client.get(
        "/api/v2/pages/", {"type": model, "fields": "*", "limit": 50, **params}
    )
    assert response.status_code == 200, response.content
    return response.json()["items"]


def api_item(client, page) -> dict:
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def _download(page, document, language="en", label=""):
    PublicationDownload.objects.create(
        page=page, document=document, language=language, label=label
    )


@pytest.fixture
def restricted_collection(db):
    collection = Collection.get_first_root_node().add_child(name="Partner drafts")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


@pytest.fixture
def report(library, fr_library, taxonomy, restricted_collection):
    """A published report with authors, terms, a public and a private file, and a
    published French translation."""
    page = PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining sites in eastern DR Congo",
        publication_date=datetime.date(2019, 4, 1),
        date_precision="month",
        publication_type="map",
        summary="Where <em>623</em> sites are & who works there.",
        programmes=[taxonomy.natural_resources],
        countries=[taxonomy.congo],
        authors=[taxonomy.merket, "Elise Foubert"],
    )
    public_pdf = PdfDocumentFactory(title="Full report")
    _download(page, public_pdf, language="en", label="Full report")
    _download(page, PdfDocumentFactory(title="French summary"), language="fr")
    _download(
        page,
        PdfDocumentFactory(title="Unreviewed draft", collection=restricted_collection),
        language="en",
        label="Draft",
    )
    page.save_revision().publish()
    french = page.copy_for_translation(fr_library.locale)
    french.title = "Cartographie des sites miniers"
    french.save_revision().publish()
    page.refresh_from_db()
    return page


def test_publication_fields_are_told(client, report):
    (item,) = [item for item in api_items(client) if item["id"] == report.pk]

    assert item["title"] == "Mapping artisanal mining sites in eastern DR Congo"
    assert item["publication_date"] == "2019-04-01"
    assert item["date_precision"] == "month"
    assert item["publication_type"] == "map"
    # Text as stored: JSON carries it, escaping is the reader's business.
    assert item["summary"] == "Where <em>623</em> sites are & who works there."
    assert item["programmes"] == [
        {"slug": "natural-resources", "name": "Natural Resources"}
    ]
    assert item["countries"] == [
        {"iso_code": "CD", "name": "Democratic Republic of the Congo"}
    ]
    assert [author["name"] for author in item["authors"]] == [
        "Hans Merket",
        "Elise Foubert",
    ]
    assert item["publisher"] == "IPIS"
    assert item["meta"]["locale"] == "en"
    assert item["meta"]["html_url"].endswith(f"/en/publications/{report.slug}/")


def test_identifiers_and_licence_are_told(client, report, taxonomy):
    report.doi = "10.1000/xyz123"
    report.licence = "cc-by-4.0"
    report.save_revision().publish()
    taxonomy.merket.orcid = "0000-0002-1825-0097"
    taxonomy.merket.save()

    item = api_item(client, report)

    assert item["doi"] == "10.1000/xyz123"
    assert item["licence"] == "cc-by-4.0"
    assert [author["orcid"] for author in item["authors"]] == [
        "0000-0002-1825-0097",
        "",
    ]


def test_downloads_are_public_files_with_language_size_and_url(client, report):
    downloads = api_item(client, report)["downloads"]

    assert [(row["label"], row["language"]) for row in downloads] == [
        ("Full report", "en"),
        ("", "fr"),
    ]
    first = downloads[0]
    document = report.downloads.first().document
    assert first["size_bytes"] == document.file_size > 0
    assert first["file_extension"] == "pdf"
    assert first["url"] == f"http://testserver{document.url}"
    assert f"/documents/{document.pk}/" in first["url"]
    assert "Draft" not in str(downloads)


def test_translations_name_each_live_language_version(client, report):
    translations = api_item(client, report)["translations"]

    french = report.get_translations().get()
    assert translations == [
        {
            "id": french.pk,
            "locale": "fr",
            "html_url": f"http://testserver/fr/publications/{french.slug}/",
        }
    ]
    back = api_item(client, french)["translations"]
    assert [(row["id"], row["locale"]) for row in back] == [(report.pk, "en")]


def test_a_private_translation_is_not_named(client, report):
    french = report.get_translations().get()
    PageViewRestriction.objects.create(
        page=french, restriction_type=PageViewRestriction.LOGIN
    )

    assert api_item(client, report)["translations"] == []
    assert french.pk not in {item["id"] for item in api_items(client)}


def test_draft_edits_of_a_live_publication_are_not_told(client, report, taxonomy):
    report.summary = "Unreviewed summary"
    report.publication_date = datetime.date(2024, 1, 1)
    report.programmes = [taxonomy.arms_trade]
    report.authors.clear()
    report.save_revision()
    report.refresh_from_db()
    assert report.has_unpublished_changes

    for item in (
        api_item(client, report),
        *[item for item in api_items(client) if item["id"] == report.pk],
    ):
        assert item["summary"] == "Where <em>623</em> sites are & who works there."
        assert item["publication_date"] == "2019-04-01"
        assert [row["slug"] for row in item["programmes"]] == ["natural-resources"]
        assert len(item["authors"]) == 2


def test_draft_and_private_publications_are_absent(client, library):
    live = PublicationPageFactory(parent=library, title="Published")
    draft = PublicationPageFactory(parent=library, title="Partner draft", live=False)
    private = PublicationPageFactory(parent=library, title="Board only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert {item["id"] for item in api_items(client)} == {live.pk}
    for page in (draft, private):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_a_voices_study_names_its_series(client, library, taxonomy):
    partner = Organisation.objects.create(
        name="Haki Madini", acronym="HM", kind="partner", locale=library.locale
    )
    series = VoicesSeriesPageFactory(
        parent=library, title="Voices from Tanzania", intro="Partner studies."
    )
    series.partner_organisations = [partner]
    series.save_revision().publish()
    study = PublicationPageFactory(
        parent=series, title="Women in mining", publication_type="partner_study"
    )

    item = api_item(client, study)
    assert item["voices_series"] == {"id": series.pk, "title": "Voices from Tanzania"}
    assert item["publication_type"] == "partner_study"
    (series_item,) = api_items(client, "publications.VoicesSeriesPage")
    assert series_item["intro"] == "Partner studies."
    assert series_item["partner_organisations"] == [
        {"name": "Haki Madini", "acronym": "HM", "country": ""}
    ]


def _text_document(name: str):
    """A small file that is not a PDF: nothing to read out of it on publish."""
    document = get_document_model()(
        title=name, collection=Collection.get_first_root_node()
    )
    document.file.save(f"{name}.txt", ContentFile(b"text"), save=True)
    return document


def _many(library, fr_library, taxonomy, count: int, start: int = 0):
    """Live publications with terms, authors, two files and a French version.

    Made live directly (no revisions to publish): the API reads the rows.
    """
    for n in range(start, start + count):
        page = PublicationPageFactory(
            parent=library,
            title=f"Report {n}",
            programmes=[taxonomy.natural_resources, taxonomy.arms_trade],
            countries=[taxonomy.congo, taxonomy.tanzania],
            authors=[taxonomy.merket, f"Outside author {n}"],
        )
        for language in ("en", "fr"):
            _download(page, _text_document(f"{n}-{language}"), language=language)
        PublicationPageFactory(
            parent=fr_library,
            locale=fr_library.locale,
            translation_key=page.translation_key,
            title=f"Rapport {n}",
        )


@pytest.mark.parametrize("model", [PUBLICATIONS, "publications.VoicesSeriesPage"])
def test_listing_queries_do_not_grow_with_pages(
    client,
    library,
    fr_library,
    taxonomy,
    django_assert_max_num_queries,
    model,
    settings,
):
    # Indexing each new page for search is most of the set-up's time and none
    # of what is measured.
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**backend, "AUTO_UPDATE": False}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }

    def grow(count, start):
        if model == "publications.VoicesSeriesPage":
            for n in range(start, start + count):
                series = VoicesSeriesPageFactory(parent=library, title=f"Series {n}")
                series.partner_organisations = [
                    Organisation.objects.create(
                        name=f"Partner {n}", locale=library.locale
                    )
                ]
                series.save()
                VoicesSeriesPageFactory(
                    parent=fr_library,
                    locale=fr_library.locale,
                    translation_key=series.translation_key,
                    title=f"Série {n}",
                )
        else:
            _many(library, fr_library, taxonomy, count, start)

    grow(2, 0)
    params = {"locale": "en"}
    client.get("/api/v2/pages/", {"type": model, "fields": "*", **params})
    with django_assert_max_num_queries(30) as few:
        items = api_items(client, model, **params)
    assert len(items) == 2
    grow(18, 2)

    with django_assert_max_num_queries(len(few.captured_queries)):
        items = api_items(client, model, **params)
    assert len(items) == 20
