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

from publications.demo import pdf_placeholder
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


def test_partner_study_goes_from_draft_to_the_library(site_url, page, tmp_path):
    series = VoicesSeriesPage.objects.get(slug="voix-du-congo")

    # The partner, from a fresh sign-in, writes a study in their series with a
    # PDF, and submits it. Their organisation (filed in English only) is
    # already named, and a new file says it is in French, the page's language.
    _sign_in(page, site_url, "apde")
    page.goto(f"{site_url}/admin/pages/add/publications/publicationpage/{series.pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_publication_date").fill("2026-11-20")
    page.locator("#id_summary").fill("Traders in Kamituga describe the first year.")
    expect(
        page.locator("#inline_child_organisations-0").get_by_text(
            "Action pour la paix et le développement"
        )
    ).to_be_visible()
    page.get_by_role("button", name="Add file").click()
    expect(page.locator("#id_downloads-0-language")).to_have_value("fr")
    page.locator("#inline_child_downloads-0").get_by_role(
        "button", name=re.compile("Choose a document")
    ).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("tab", name="Upload").click()
    dialog.locator("#id_document-chooser-upload-title").fill("Kamituga study")
    pdf = tmp_path / "kamituga.pdf"
    pdf.write_bytes(pdf_placeholder(title=TITLE))
    dialog.locator("#id_document-chooser-upload-file").set_input_files(pdf)
    dialog.get_by_role("button", name="Upload").click()
    expect(page.locator("#inline_child_downloads-0")).to_contain_text("Kamituga study")
    _action(page, re.compile("Submit to Voices editorial review"))
    expect(page.locator(".messages")).to_contain_text("submitted")
    study = PublicationPage.objects.get(title=TITLE)
    assert not study.live
    assert [row.organisation.acronym for row in study.organisations.all()] == ["APDE"]
    assert [(row.document.title, row.language) for row in study.downloads.all()] == [
        ("Kamituga study", "fr")
    ]
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
    # The partner hears it in the study's language (they chose none for the
    # admin): changes requested, not "rejected", with the comment.
    (requested,) = [
        message for message in mail.outbox if "apde@example.org" in message.to
    ]
    assert requested.subject.startswith("Modifications demandées : ")  # in French
    assert "Please name the cooperative" in requested.body
    assert '<html lang="fr">' in requested.alternatives[0][0]

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
