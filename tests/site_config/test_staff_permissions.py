"""Wagtail's Editors and Moderators groups can do the communications staff's work."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from tests.briefings.factories import issue_build
from tests.briefings.newsletter.factories import MailingListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(home_page, locales):
    return issue_build(home_page, locales)


@pytest.fixture
def briefing_list():
    return MailingListFactory(briefing=True)


STAFF_CODENAMES = {
    "news.view_newsitem",
    "news.change_newsitem",
    "news.change_newssource",
    "newsletter.change_mailinglist",
    "newsletter.change_subscriber",
    "newsletter.view_dispatch",
    "newsletter.send_digest",
    "publications.change_programme",
    "publications.change_country",
    "publications.change_organisation",
    "publications.change_person",
}


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw", is_staff=False
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_staff_groups_carry_the_staff_permissions(group, django_user_model):
    user = django_user_model.objects.create_user(f"in-{group}", password="pw")
    user.groups.add(Group.objects.get(name=group))

    assert user.get_all_permissions() >= STAFF_CODENAMES
    # Settings, partner onboarding and users stay with the site's admins.
    assert not user.has_perm("site_config.change_sitesettings")
    assert not user.has_perm("auth.add_group")
    assert not user.has_perm("news.delete_newsitem")  # dismissed, not deleted


def test_an_editor_opens_the_inbox_subscribers_and_send_screen(
    client, editor, issue, briefing_list
):
    client.force_login(editor)

    for url in (
        reverse("news_newsitem_modeladmin_index"),
        reverse("news_newssource_modeladmin_index"),
        reverse("newsletter_dispatch_index"),
        reverse("newsletter_digest_send", args=[issue.pk]),
        reverse("wagtailsnippets_publications_programme:list"),
    ):
        assert client.get(url).status_code == 200, url
    settings_url = reverse("wagtailsettings:edit", args=["site_config", "sitesettings"])
    refused = client.get(settings_url)
    assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's "no"
