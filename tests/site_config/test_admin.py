from django.urls import reverse

import pytest

from site_config.models import HomePage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin_client(client, demo_site_shared, django_user_model):
    user = django_user_model.objects.get(username="admin")
    client.force_login(user)
    return client


def test_admin_dashboard_and_page_editors_render_with_demo_content(demo_admin_client):
    home = HomePage.objects.get(locale__language_code="en")
    team = StandardPage.objects.get(slug="team")

    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[team.pk]),
        reverse(
            "wagtailadmin_pages:add", args=["site_config", "standardpage", home.pk]
        ),
    ):
        response = demo_admin_client.get(url)
        assert response.status_code == 200, url


def test_site_settings_edit_form_has_contact_social_and_navigation_tabs(
    demo_admin_client,
):
    site_settings = SiteSettings.objects.get()
    url = reverse(
        "wagtailsettings:edit",
        args=["site_config", "sitesettings", site_settings.site_id],
    )

    html = demo_admin_client.get(url).content.decode()

    for tab in ("Contact and footer", "Social media", "Main navigation"):
        assert tab in html
    assert "Italiëlei 98a" in html


def test_editor_can_publish_a_standard_page_through_the_admin(demo_admin_client):
    home = HomePage.objects.get(locale__language_code="en")
    url = reverse(
        "wagtailadmin_pages:add", args=["site_config", "standardpage", home.pk]
    )

    response = demo_admin_client.post(
        url,
        {
            "title": "Contact",
            "slug": "contact",
            "intro": "Write to us.",
            "body-count": "0",
            "action-publish": "Publish",
        },
    )

    assert response.status_code == 302
    page = StandardPage.objects.get(slug="contact")
    assert page.live
    assert demo_admin_client.get(page.url).status_code == 200


def test_invalid_settings_are_refused_with_a_message_and_nothing_changes(
    demo_admin_client,
):
    site_settings = SiteSettings.objects.get()
    url = reverse(
        "wagtailsettings:edit",
        args=["site_config", "sitesettings", site_settings.site_id],
    )

    response = demo_admin_client.post(
        url,
        {
            "organisation_name": "IPIS",
            "email": "not-an-address",
            "twitter_url": "javascript:alert(1)",
            "navigation_items-TOTAL_FORMS": "0",
            "navigation_items-INITIAL_FORMS": "0",
            "navigation_items-MIN_NUM_FORMS": "0",
            "navigation_items-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "Enter a valid URL." in html
    site_settings.refresh_from_db()
    assert site_settings.email == "info@ipisresearch.be"
