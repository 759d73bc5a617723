"""A partner author's start in the admin: "Pages" opens at their own series, in
their admin language, and the dashboard counts the studies they may see."""

import json
import re

from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from tests.publications.partner_setup import study_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def voices(voices_shared):
    """The scenario built once for the module; each test's changes are undone."""
    return voices_shared


def _prefers(user, language: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def _explorer_start(html: str) -> tuple[str, int]:
    """(URL, start page id) of the sidebar's "Pages" menu."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    modules = json.loads(props.group(1))["modules"]
    menu = next(
        module for module in modules if module["_type"].endswith("MainMenuModule")
    )
    item = next(
        item
        for item in menu["_args"][0]
        if item["_type"] == "wagtail.sidebar.PageExplorerMenuItem"
    )
    return item["_args"][0]["url"], item["_args"][1]


@pytest.mark.parametrize(
    ("language", "series"), [("fr", "congo_fr"), ("en", "congo_en")]
)
def test_pages_opens_at_the_partner_series_in_their_language(
    voices, client, language, series
):
    _prefers(voices.author_a, language)
    client.force_login(voices.author_a)
    expected = getattr(voices, series)

    response = client.get(reverse("wagtailadmin_home"))

    url, start = _explorer_start(response.content.decode())
    assert start == expected.pk
    assert url == reverse("wagtailadmin_explore", args=[expected.pk])
    # The tree's root (the "Pages" link without script) goes there too.
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_staff_keep_wagtail_pages_menu(voices, client):
    client.force_login(voices.editor)

    response = client.get(reverse("wagtailadmin_home"))

    _url, start = _explorer_start(response.content.decode())
    assert start == voices.library.get_parent().get_parent().pk  # the tree's root
    assert re.search(r"\d+ Pages <span", response.content.decode())


def test_dashboard_counts_the_studies_the_partner_may_see(voices, client):
    client.force_login(voices.author_a)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    # A's draft, A's study in review and A's published study; none in English.
    summary = " ".join(html.split())
    assert "3 studies in Voix du Congo (French)" in summary
    assert "0 studies in Voices from Congo (English)" in summary
    assert not re.search(r"\d+ Pages? <span", summary)  # Wagtail's "71 Pages"
    # A's fellow author sees the published study only: drafts are not shared.
    client.force_login(voices.author_a2)
    summary = " ".join(
        client.get(reverse("wagtailadmin_home")).content.decode().split()
    )
    assert "1 study in Voix du Congo (French)" in summary
    assert "0 studies in Voices from Congo (English)" in summary


def test_dashboard_queries_do_not_grow_with_studies(
    voices, client, django_assert_max_num_queries
):
    client.force_login(voices.author_a)
    url = reverse("wagtailadmin_home")
    client.get(url)
    with django_assert_max_num_queries(200) as captured:
        client.get(url)
    few = len(captured)
    for number in range(8):
        study_draft(
            parent=voices.congo_fr,
            owner=voices.author_a if number % 2 else voices.editor,
            organisation=voices.apde_org,
            title=f"Extra study {number}",
            slug=f"extra-study-{number}",
        )
    with django_assert_max_num_queries(few):
        response = client.get(url)
    summary = " ".join(response.content.decode().split())
    assert "7 studies in Voix du Congo (French)" in summary
