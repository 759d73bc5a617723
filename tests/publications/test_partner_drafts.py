"""Partner drafts stay private: not on the site, in search, sitemaps, feeds or the
public API; their files are not downloadable until the study is published."""

import json

from django.urls import reverse

import pytest

from tests.publications.partner_setup import voices_from_module  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(voices, client):
    """Every public place a study could show up, fetched anonymously."""
    # Indexing runs on save in Wagtail's database backend; publish one study so
    # the places are not empty for a reason unrelated to drafts.
    pages = {
        "series": voices.congo_fr.get_url(),
        "library": voices.fr_library.get_url(),
        "en library": voices.library.get_url(),
        "search fr": "/fr/search/?q=Misisi",
        "search en": "/en/search/?q=Geita",
        "sitemap": "/sitemap.xml",
        "feed": voices.fr_library.get_url() + "feed/",
        "atom": voices.fr_library.get_url() + "feed/atom/",
        "api pages": "/api/v2/pages/?limit=50",
        "api search": "/api/v2/pages/?search=Misisi",
        "api documents": "/api/v2/documents/?limit=50",
    }
    return {name: client.get(url) for name, url in pages.items()}


def test_drafts_are_nowhere_public(voices, everything):
    for name, response in everything.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        for title in (
            voices.draft_a.title,
            voices.review_a.title,
            voices.draft_b.title,
            voices.document_a.title,
            voices.document_b.title,
        ):
            assert title not in text, (name, title)
        for slug in (voices.draft_a.slug, voices.review_a.slug, voices.draft_b.slug):
            assert slug not in text, (name, slug)


def test_the_published_study_is_public(voices, everything):
    assert voices.live_a.title in everything["series"].content.decode()
    assert voices.live_a.title in everything["library"].content.decode()
    assert voices.live_a.slug in everything["sitemap"].content.decode()
    titles = [
        item["title"] for item in json.loads(everything["api pages"].content)["items"]
    ]
    assert voices.live_a.title in titles


def test_draft_urls_answer_404_to_readers_and_the_api(voices, client):
    for page in (voices.draft_a, voices.review_a, voices.draft_b):
        url = page.get_parent().get_url() + page.slug + "/"
        assert client.get(url).status_code == 404
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    for document in (voices.document_a, voices.document_b):
        assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404


def test_a_signed_in_partner_does_not_see_drafts_on_the_site(voices, client):
    client.force_login(voices.author_b)
    draft = voices.draft_a
    assert client.get(draft.get_parent().get_url() + draft.slug + "/").status_code == (
        404
    )
    response = client.get("/fr/search/?q=Misisi")
    assert draft.title not in response.content.decode()


def test_draft_files_are_for_the_partner_and_editors_only(voices, client):
    url = voices.document_a.url
    assert client.get(url)["Location"].startswith(reverse("wagtailcore_login"))
    client.force_login(voices.author_b)
    assert client.get(url).status_code == 302
    client.force_login(voices.author_a)
    assert client.get(url).status_code == 200
    client.force_login(voices.editor)
    assert client.get(url).status_code == 200


def test_publishing_a_study_makes_its_files_public(voices, client):
    from wagtail.models import Collection

    from publications.partners import LIBRARY_COLLECTION_NAME

    library = Collection.get_first_root_node().add_child(name=LIBRARY_COLLECTION_NAME)
    voices.draft_a.get_latest_revision().publish()
    voices.document_a.refresh_from_db()
    assert voices.document_a.collection == library
    response = client.get(voices.document_a.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # B's draft file stays private.
    voices.document_b.refresh_from_db()
    assert voices.document_b.collection == voices.haki.collection


def test_publishing_a_page_without_partner_files_moves_nothing(voices):
    from publications.partners import study_files_release

    assert study_files_release(instance=voices.live_a) == 0
    assert study_files_release(instance=voices.congo_fr) == 0


def test_partner_uploads_into_their_own_collection_only(voices, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.documents import get_document_model

    from publications.demo import pdf_placeholder

    client.force_login(voices.author_a)
    url = reverse("wagtaildocs:add")

    def upload(collection):
        return client.post(
            url,
            {
                "title": "Misisi interview notes",
                "collection": collection.pk,
                "file": SimpleUploadedFile(
                    "notes.pdf", pdf_placeholder(title="Notes"), "application/pdf"
                ),
            },
        )

    # With one collection to upload to, Wagtail hides the choice and files
    # everything there, whatever collection the request names.
    assert upload(voices.haki.collection).status_code == 302
    assert upload(voices.apde.collection).status_code == 302
    documents = get_document_model().objects.filter(title="Misisi interview notes")
    assert [document.collection for document in documents] == [
        voices.apde.collection,
        voices.apde.collection,
    ]
    # Private until a study using it is published.
    client.logout()
    assert client.get(documents.first().url).status_code == 302
