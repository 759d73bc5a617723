"""The send desk in a real browser: choose a list, confirm by typing its name,
and watch the progress update without reloading; axe on every screen."""

import os
from pathlib import Path

from django.core import mail

from wagtail.models import Locale

import pytest
from playwright.sync_api import expect

from briefings.models import BriefingPage
from briefings.newsletter import admin_views
from briefings.newsletter.dispatch import dispatch_send
from briefings.newsletter.models import Dispatch, MailingList, Subscriber
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Screenshots for a person to look at, when asked for (never in CI by default).
SHOTS = os.environ.get("DESK_SCREENSHOTS", "")


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


class _Held:
    """The send task held back, so the progress screen sees a running dispatch."""

    def __init__(self):
        self.ids: list[int] = []

    def enqueue(self, dispatch_id: int) -> None:
        self.ids.append(dispatch_id)


def _sign_in(page, site_url, django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.org", "pw")
    sign_in(page, site_url, "desk", "pw")
    expect(page).to_have_url(f"{site_url}/admin/")


def test_confirm_send_and_follow_the_progress_without_reloading(
    site_url, page, django_user_model, monkeypatch
):
    held = _Held()
    monkeypatch.setattr(admin_views, "dispatch_send_task", held)
    mail.outbox.clear()
    issue = (
        BriefingPage.objects.live()
        .filter(locale__language_code="en")
        .order_by("-issue_date")
        .first()
    )
    briefing_list = MailingList.objects.get(slug="monthly-briefing")
    recipients = Subscriber.objects.receiving(briefing_list).count()
    assert recipients > 0
    _sign_in(page, site_url, django_user_model)

    # Reachable from the page's action menu, beside Publish.
    page.goto(f"{site_url}/admin/pages/{issue.pk}/edit/")
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("link", name="Send to list…").click()
    expect(page.get_by_role("heading", name="Send to a list")).to_be_attached()
    radio = page.get_by_label(briefing_list.name, exact=True)
    expect(radio).not_to_be_checked()  # nothing chosen for the staff member
    assert_no_axe_violations(page, context="send: choose a list")
    _shoot(page, "send")
    radio.check()
    page.get_by_label("Now").check()
    page.get_by_role("button", name="Continue").click()

    # The confirmation: recipients per language; a wrong name sends nothing.
    expect(page.get_by_label("Type the name of the list to confirm")).to_be_visible()
    expect(page.locator("tr[data-language=fr]")).to_contain_text("French")
    assert_no_axe_violations(page, context="confirm")
    _shoot(page, "confirm")
    page.get_by_label("Type the name of the list to confirm").fill("Monthly")
    page.locator("[data-send-confirm]").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was sent")
    assert not Dispatch.objects.exists()
    assert_no_axe_violations(page, context="confirm refused")
    page.get_by_label("Type the name of the list to confirm").fill(briefing_list.name)
    page.locator("[data-send-confirm]").click()

    # The progress screen, running: it updates on its own.
    dispatch = Dispatch.objects.get()
    assert held.ids == [dispatch.pk]
    expect(page).to_have_url(f"{site_url}/admin/newsletter/dispatches/{dispatch.pk}/")
    label = page.locator("label[for=dispatch-progress]")
    expect(label).to_have_text(f"0 of {recipients} sent")
    assert_no_axe_violations(page, context="progress, running")
    _shoot(page, "progress-running")
    page.evaluate("window.__notReloaded = true")
    dispatch_send(dispatch=dispatch)  # what the worker would do
    expect(label).to_have_text(f"{recipients} of {recipients} sent", timeout=15_000)
    expect(page.locator("td[data-progress-field=pending]")).to_have_text("0")
    expect(page.locator("[data-progress-live]")).to_contain_text("stopped running")
    expect(page.get_by_role("button", name="Pause")).to_be_hidden()
    assert page.evaluate("window.__notReloaded") is True
    assert len(mail.outbox) == recipients
    assert_no_axe_violations(page, context="progress, finished")
    _shoot(page, "progress-done")

    page.goto(f"{site_url}/admin/newsletter/dispatches/")
    expect(page.get_by_role("link", name=issue.title)).to_be_visible()
    assert_no_axe_violations(page, context="dispatches")
    _shoot(page, "dispatches")


def test_a_test_send_in_french(site_url, page, django_user_model):
    mail.outbox.clear()
    issue = (
        BriefingPage.objects.live()
        .filter(locale__language_code="en")
        .order_by("-issue_date")
        .first()
    )
    # A French translation that is only a draft (the demo may have one).
    locale = Locale.objects.get(language_code="fr")
    french = issue.get_translation_or_none(locale) or issue.copy_for_translation(
        locale, copy_parents=True
    )
    if french.live:
        french.unpublish()
    french.title = "Brouillon de test"
    french.save_revision()
    assert not french.live
    _sign_in(page, site_url, django_user_model)
    page.goto(f"{site_url}/admin/newsletter/send/{issue.pk}/test/")
    assert_no_axe_violations(page, context="send a test")
    _shoot(page, "send-test")
    page.get_by_label("Send to").fill("ana@partner.example, bo@partner.example")
    page.get_by_label("Language").select_option("fr")
    page.locator("[data-send-test]").click()
    expect(page.get_by_text("A test in French was sent to")).to_be_visible()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@partner.example",
        "bo@partner.example",
    ]
    assert all(
        message.subject.startswith("[TEST] Brouillon de test")
        for message in mail.outbox
    )
    assert not Dispatch.objects.exists()
