from django.template.loader import render_to_string
from django.urls import path

import pytest

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


def test_not_found_page_is_friendly_and_keeps_the_site_chrome(client, home_page):
    response = client.get("/en/reports/missing/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert '<header class="site-header">' in html
    assert 'href="/en/"' in html


def test_server_error_page_renders_without_context_or_database():
    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert 'lang="fr"' in html and 'lang="sw"' in html


def test_unhandled_error_answers_with_the_500_page(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
