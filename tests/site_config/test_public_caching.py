"""Anonymous readers' pages are public and cookie-free; nobody else's are."""

from django.contrib.auth import get_user_model
from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def _public(response) -> bool:
    return "public" in response.get("Cache-Control", "")


def test_an_anonymous_readers_pages_are_public_without_cookies(home_page, settings):
    page = StandardPageFactory(parent=home_page, title="About the institute")
    client = Client()

    assert _public(client.get("/robots.txt"))  # its own day-long policy
    for url in (home_page.url, page.url, "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        cache_control = response["Cache-Control"]
        assert _public(response), url
        assert f"max-age={settings.PUBLIC_CACHE_BROWSER_SECONDS}" in cache_control
        assert f"s-maxage={settings.PUBLIC_CACHE_SHARED_SECONDS}" in cache_control


def test_a_missing_page_is_public_too(home_page):
    assert _public(Client().get("/en/no-such-page/"))


def test_a_signed_in_persons_pages_are_private(home_page):
    user = get_user_model().objects.create_user("editor", password="pw")
    client = Client()
    client.force_login(user)

    response = client.get(home_page.url)

    assert not _public(response)
    assert "private" in response["Cache-Control"]


def test_restricted_pages_admin_and_token_pages_are_never_public(home_page):
    secret = StandardPageFactory(parent=home_page, title="Board minutes")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    client = Client()

    assert not _public(client.get(secret.url))  # the password form
    assert not _public(client.get("/admin/login/"))
    preferences = client.get("/en/newsletter/preferences/not-a-token/")
    assert not _public(preferences)
    assert (
        "no-store" in preferences["Cache-Control"]
        or "no-cache" in preferences["Cache-Control"]
    )


def test_a_post_is_never_marked_public(home_page):
    response = Client().post("/en/search/", {"q": "x"})
    assert not _public(response)
