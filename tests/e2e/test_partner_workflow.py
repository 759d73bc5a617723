"""A Voices study from a partner's draft to the library, in a real browser.

The partner writes and submits; an editor requests a change with a comment;
the partner fixes it and resubmits; the editor approves, which publishes it;
readers find it in its series and in the library.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache

import pytest
from playwright.sync_api import expect

from publications.models import PublicationPage, VoicesSeriesPage
from site_config.demo.build import demo_site_build
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "partner-e2e-password-7"  # noqa: S105
TITLE = "Kamituga: gold traders and the new cooperative"


@pytest.fixture
def site_url(live_server, monkeypatch) -> str:
    cache.clear()
    monkeypatch.setenv("DEMO_PARTNER_PASSWORD", PASSWORD)
    demo_site_build()
    editor = get_user_model().objects.create_user(
        "editor", "editor@example.org", PASSWORD, first_name="Eda", last_name="Editor"
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    return live_server.url


def _sign_in(page, site_url: str, username: str) -> None:
    sign_in(page, site_url, username, PASSWORD)


def _action(page, name) -> None:
    """Click an entry of the editor's action menu (opening the menu if needed)."""
    button = page.get_by_role("button", name=name)
    if not button.is_visible():
        page.get_by_role("button", name="More actions").click()
    button.click()


def test_partner_study_goes_from_draft_to_the_library(site_url, page):
    series = VoicesSeriesPage.objects.get(slug="voix-du-congo")

    # The partner writes a study in their series and submits it.
    _sign_in(page, site_url, "apde")
    page.goto(f"{site_url}/admin/pages/add/publications/publicationpage/{series.pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_publication_date").fill("2026-11-20")
    page.locator("#id_summary").fill("Traders in Kamituga describe the first year.")
    page.get_by_role("button", name="Add organisation").click()
    page.get_by_role("button", name="Choose organisation").click()
    # The organisations are filed in English; the chooser starts with French.
    page.get_by_role("dialog").get_by_label("Locale").select_option(label="All")
    page.get_by_role("dialog").get_by_role(
        "link", name="Action pour la paix et le développement"
    ).first.click()
    page.locator("#id_organisations-0-role").select_option("published_with")
    _action(page, re.compile("Submit to Voices editorial review"))
    expect(page.locator(".messages")).to_contain_text("submitted")
    study = PublicationPage.objects.get(title=TITLE)
    assert not study.live
    assert any("editor@example.org" in message.to for message in mail.outbox)

    # The editor asks for a change, with a comment.
    _sign_in(page, site_url, "editor")
    page.goto(f"{site_url}/admin/pages/{study.pk}/edit/")
    _action(page, "Request changes")
    page.get_by_role("dialog").get_by_label("Comment").fill(
        "Please name the cooperative in the summary."
    )
    page.get_by_role("dialog").get_by_role("button", name="Request changes").click()
    expect(page.locator(".messages")).to_contain_text("has been updated")
    assert any(
        "apde@example.org" in message.to
        and "Please name the cooperative" in message.body
        for message in mail.outbox
    )

    # The partner sees the request, fixes the summary and resubmits.
    _sign_in(page, site_url, "apde")
    page.goto(f"{site_url}/admin/pages/{study.pk}/edit/")
    # The request and its comment are in the page's status panel.
    expect(page.get_by_text("Please name the cooperative").first).to_be_attached()
    page.locator("#id_summary").fill(
        "Traders in Kamituga describe the first year of the Twendelee cooperative."
    )
    _action(page, re.compile("Resubmit to Editorial review"))
    expect(page.locator(".messages")).to_contain_text("submitted")

    # The editor approves; this review is the last step, so it publishes.
    _sign_in(page, site_url, "editor")
    page.goto(f"{site_url}/admin/pages/{study.pk}/edit/")
    _action(page, "Approve and Publish")
    expect(page.locator(".messages")).to_contain_text("has been updated")
    study.refresh_from_db()
    assert study.live

    # Readers find it in its series and in the library.
    page.context.clear_cookies()
    page.goto(site_url + series.url)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(site_url + series.get_parent().url)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
