"""The read-only Wagtail API v2 at /api/v2/: published public content only."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from tests.site_config.factories import (
    StandardPageFactory,
    home_page_make,
    locales_ensure,
)
from tests.utils.shared import rows_again

pytestmark = pytest.mark.django_db


def _published(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def listed_ids(client, path="/api/v2/pages/", **params) -> set[int]:
    response = client.get(path, {"limit": 50, **params})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def rows_build():
    """A public page and every kind of page the API must never show."""
    locales = locales_ensure()
    home = _published(home_page_make(locales))
    public = _published(StandardPageFactory(parent=home, title="Public report"))
    draft = StandardPageFactory(parent=home, title="Draft report", live=False)
    draft.save_revision()
    unpublished = _published(StandardPageFactory(parent=home, title="Withdrawn"))
    unpublished.unpublish()
    private = _published(StandardPageFactory(parent=home, title="Staff only"))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    under_private = _published(StandardPageFactory(parent=private, title="Minutes"))
    protected = _published(StandardPageFactory(parent=home, title="Board papers"))
    PageViewRestriction.objects.create(
        page=protected,
        restriction_type=PageViewRestriction.PASSWORD,
        password="board",
    )
    french_home = home.copy_for_translation(locales["fr"])
    french_home.title = "Accueil"
    french_home.save()
    _published(french_home)
    french = _published(StandardPageFactory(parent=french_home, title="Rapport"))
    return {
        "home": home,
        "public": public,
        "draft": draft,
        "unpublished": unpublished,
        "private": private,
        "under_private": under_private,
        "protected": protected,
        "french_home": french_home,
        "french": french,
    }


@pytest.fixture
def pages(module_rows, db):
    return rows_again(module_rows)


HIDDEN = ("draft", "unpublished", "private", "under_private", "protected")


def test_listing_shows_published_public_pages_in_every_language(client, pages):
    ids = listed_ids(client)

    assert ids == {
        pages[name].pk for name in ("home", "public", "french_home", "french")
    }


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_page_is_absent_from_listing_and_detail(client, pages, name):
    page = pages[name]

    assert page.pk not in listed_ids(client)
    assert page.pk not in listed_ids(client, search=page.title)
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    find = client.get("/api/v2/pages/find/", {"html_path": page.url_path})
    assert find.status_code == 404


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_page_stays_hidden_from_a_signed_in_editor(
    client, pages, admin_user, name
):
    client.force_login(admin_user)

    assert pages[name].pk not in listed_ids(client)
    assert client.get(f"/api/v2/pages/{pages[name].pk}/").status_code == 404


def test_detail_shows_the_published_version_not_a_newer_draft(client, pages):
    page = pages["public"]
    page.title = "Unreviewed new title"
    page.intro = "Unreviewed intro"
    page.save_revision()

    detail = client.get(f"/api/v2/pages/{page.pk}/")

    assert detail.json()["title"] == "Public report"
    assert "Unreviewed" not in detail.content.decode()
    assert "Unreviewed" not in client.get("/api/v2/pages/").content.decode()


def test_locale_filter_keeps_one_language(client, pages):
    assert listed_ids(client, locale="fr") == {
        pages["french_home"].pk,
        pages["french"].pk,
    }
    assert pages["french"].pk not in listed_ids(client, locale="en")
    items = client.get("/api/v2/pages/", {"locale": "fr"}).json()["items"]
    assert {item["meta"]["locale"] for item in items} == {"fr"}


def test_unknown_locale_is_not_found(client, pages):
    assert client.get("/api/v2/pages/", {"locale": "xx"}).status_code == 404


def test_child_of_a_private_page_lists_nothing(client, pages):
    response = client.get("/api/v2/pages/", {"child_of": pages["private"].pk})

    assert response.status_code == 400 or response.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    ["/api/v2/pages/", "/api/v2/pages/{pk}/", "/api/v2/images/", "/api/v2/documents/"],
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_api_refuses_everything_but_reading(client, pages, path, method):
    url = path.format(pk=pages["public"].pk)

    response = getattr(client, method)(url, data={}, content_type="application/json")

    assert response.status_code == 405
    assert client.head(url).status_code == 200


def test_listing_query_count_does_not_grow_with_pages(
    client, pages, django_assert_max_num_queries
):
    client.get("/api/v2/pages/")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v2/pages/", {"limit": 50})
    for n in range(20):
        StandardPageFactory(parent=pages["home"], title=f"Report {n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(listed_ids(client)) == 24


@pytest.fixture
def documents(db):
    root = Collection.get_first_root_node()
    open_collection = root.add_child(name="Reports")
    closed_collection = root.add_child(name="Board")
    CollectionViewRestriction.objects.create(
        collection=closed_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    inner = closed_collection.add_child(name="Board minutes")
    document_model = get_document_model()
    made = {}
    for name, collection in (
        ("open", open_collection),
        ("closed", closed_collection),
        ("inner", inner),
    ):
        document = document_model(title=f"{name} document", collection=collection)
        document.file.save(f"{name}.txt", ContentFile(b"text"), save=True)
        made[name] = document
    return made


def test_documents_in_restricted_collections_are_hidden(client, documents, admin_user):
    client.force_login(admin_user)

    assert listed_ids(client, "/api/v2/documents/") == {documents["open"].pk}
    for name in ("closed", "inner"):
        url = f"/api/v2/documents/{documents[name].pk}/"
        assert client.get(url).status_code == 404
    assert client.get(f"/api/v2/documents/{documents['open'].pk}/").status_code == 200


def test_images_endpoint_lists_images(client, db):
    response = client.get("/api/v2/images/")

    assert response.status_code == 200
    assert response.json() == {"meta": {"total_count": 0}, "items": []}


@pytest.mark.parametrize(
    "path", ["/api/v2/pages/abc/", "/api/v2/nothing/", "/api/v2/pages/999999/"]
)
def test_api_not_found_is_a_404_not_a_language_redirect(client, pages, path):
    assert client.get(path).status_code == 404


def test_pages_without_language_prefix_still_redirect(client, pages):
    response = client.get(pages["public"].url_path.replace("/institute", "", 1))

    assert response.status_code == 302
    assert response["Location"] == pages["public"].url


def test_api_answers_are_public_like_pages_but_kept_shorter(client, pages, settings):
    response = client.get("/api/v2/pages/")
    page = client.get(pages["public"].url)

    def directives(response) -> set[str]:
        return set(response["Cache-Control"].split(", "))

    assert directives(page) == {
        "public",
        f"max-age={settings.PUBLIC_CACHE_BROWSER_SECONDS}",
        f"s-maxage={settings.PUBLIC_CACHE_SHARED_SECONDS}",
    }
    assert directives(response) == {
        "public",
        f"max-age={settings.PUBLIC_CACHE_BROWSER_SECONDS}",
        f"s-maxage={settings.PUBLIC_CACHE_API_SHARED_SECONDS}",
    }
    assert settings.PUBLIC_CACHE_API_SHARED_SECONDS <= 300
    assert not response.cookies
    # Same security headers as every public response.
    for header in ("Content-Security-Policy", "X-Content-Type-Options"):
        assert response[header] == page[header]


def test_api_answer_to_a_signed_in_editor_is_private(client, pages, admin_user):
    client.force_login(admin_user)

    assert client.get("/api/v2/pages/")["Cache-Control"] == "private"
