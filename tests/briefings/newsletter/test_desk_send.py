"""The sending desk, from the staff's side and the attacker's: nothing goes
before a typed confirmation, tests go only where typed and count nowhere, and
the progress poll answers only those who may send."""

import json

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from briefings.newsletter.models import Delivery, Dispatch
from tests.briefings.newsletter import test_admin
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

# The send screens' people and readers, as the other admin tests have them.
sender = test_admin.sender
partner = test_admin.partner
readers = test_admin.readers


def _send(page):
    return reverse("newsletter_digest_send", args=[page.pk])


def _confirm(page, mailing_list):
    return reverse("newsletter_digest_send_confirm", args=[page.pk, mailing_list.pk])


def test_no_list_is_preselected_and_the_first_step_sends_nothing(
    client, issue, sender, briefing_list, readers
):
    client.force_login(sender)
    screen = client.get(_send(issue)).content.decode()
    assert f'value="{briefing_list.pk}"' in screen
    assert " checked" not in screen.split('name="mailing_list"')[1].split(">")[0]
    assert 'class="w-slim-header' in screen  # Wagtail's header
    edit = reverse("wagtailadmin_pages:edit", args=[issue.pk])
    assert f'href="{edit}"' in screen  # the breadcrumb back to the issue

    response = client.post(_send(issue), {"mailing_list": briefing_list.pk})
    assert response.status_code == 302
    assert response["Location"] == _confirm(issue, briefing_list)
    assert not Dispatch.objects.exists()
    assert mail.outbox == []


def test_the_confirmation_shows_languages_fallbacks_subjects_and_warnings(
    client, issue, sender, briefing_list, readers
):
    client.force_login(sender)
    response = client.get(_confirm(issue, briefing_list))
    assert response.status_code == 200
    content = response.content.decode()
    assert "4 recipients on Monthly Briefing" in content
    # French readers get the French translation; Swahili readers fall back.
    french_row = content.split('data-language="fr"')[1].split("</tr>")[0]
    assert "The French translation" in french_row
    assert "Briefing mars 2020" in french_row  # its own subject
    swahili_row = content.split('data-language="sw"')[1].split("</tr>")[0]
    assert "Falls back to English" in swahili_row
    assert "Briefing March 2020" in swahili_row
    # The factory's issue is dated 2020: more than two months ago.
    assert "more than two months ago" in content
    assert 'name="confirm_name"' in content
    assert mail.outbox == [] and not Dispatch.objects.exists()


def test_no_warning_for_a_recent_issue_but_one_for_an_empty_list(
    client, issue, sender, briefing_list
):
    type(issue).objects.filter(pk=issue.pk).update(issue_date=timezone.localdate())
    client.force_login(sender)
    content = client.get(_confirm(issue, briefing_list)).content.decode()
    assert "more than two months ago" not in content
    assert "Nobody on “Monthly Briefing” would get this issue." in content


def test_many_readers_without_their_translation_are_warned_of(
    client, issue, sender, briefing_list
):
    SubscriberFactory.create_batch(10, language="sw", lists=[briefing_list])
    client.force_login(sender)
    content = client.get(_confirm(issue, briefing_list)).content.decode()
    assert "10 readers read Swahili" in content


@pytest.mark.parametrize("typed", ["", "Monthly", "Weekly Briefing", "Monthly Brief"])
def test_a_wrong_or_missing_name_sends_nothing(
    client, issue, sender, briefing_list, readers, typed
):
    client.force_login(sender)
    response = client.post(_confirm(issue, briefing_list), {"confirm_name": typed})
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        "nothing was sent" in content
        or "Type the name of the list to confirm" in content
    )
    assert 'aria-invalid="true"' in content
    assert not Dispatch.objects.exists()
    assert mail.outbox == []


def test_the_right_name_sends_once_even_submitted_twice(
    client, issue, sender, briefing_list, readers, renders
):
    client.force_login(sender)
    url = _confirm(issue, briefing_list)
    # Spaces and case do not matter; the name does.
    response = client.post(url, {"confirm_name": "  monthly   briefing "})
    dispatch = Dispatch.objects.get()
    assert response["Location"] == reverse(
        "newsletter_dispatch_progress", args=[dispatch.pk]
    )
    assert dispatch.created_by == sender
    assert len(mail.outbox) == 4
    again = client.post(url, {"confirm_name": "Monthly Briefing"})
    assert again.status_code == 400
    assert "already been sent" in again.content.decode()
    assert Dispatch.objects.count() == 1
    assert len(mail.outbox) == 4


def test_the_confirmation_refuses_a_list_that_does_not_carry_the_issue(
    client, issue, sender
):
    other = MailingListFactory(
        name="Bulletin only", slug="bulletin-only", digest_type="bulletins.bulletinpage"
    )
    assert not other.carries(issue)
    client.force_login(sender)
    response = client.post(
        _confirm(issue, other), {"confirm_name": "Bulletin only"}, follow=True
    )
    assert response.status_code == 404
    assert not Dispatch.objects.exists()


def test_partners_and_strangers_cannot_confirm(
    client, issue, partner, briefing_list, readers
):
    url = _confirm(issue, briefing_list)
    client.force_login(partner)
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"confirm_name": "Monthly Briefing"}).status_code in (
        302,
        403,
    )
    client.logout()
    response = client.post(url, {"confirm_name": "Monthly Briefing"})
    assert reverse("wagtailadmin_login") in response["Location"]
    assert not Dispatch.objects.exists()
    assert mail.outbox == []


# --- Test sends -----------------------------------------------------------------


def test_a_french_test_of_a_draft_goes_to_the_typed_addresses_only(
    client, issue, sender, briefing_list, readers, renders
):
    french = issue.get_translation(
        issue.get_translations().filter(locale__language_code="fr").first().locale
    ).specific
    french.title = "Brouillon de mars"
    french.save_revision()  # a draft: not published
    client.force_login(sender)
    url = reverse("newsletter_digest_send_test", args=[issue.pk])
    screen = client.get(url).content.decode()
    assert 'name="addresses"' in screen and 'value="fr"' in screen
    response = client.post(
        url,
        {
            "addresses": "ana@partner.example, bo@partner.example\nana@partner.example",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@partner.example",
        "bo@partner.example",
    ]
    for message in mail.outbox:
        assert message.subject.startswith("[TEST] Brouillon de mars")
        assert 'lang="fr"' in message.alternatives[0][0]
    # Never recorded as a send: no report can count it.
    assert not Dispatch.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "addresses, message",
    [
        ("", "Type at least one address."),
        ("not-an-address", "Not a valid address: not-an-address"),
        ("a@example.org\nBcc: spy@evil.example", "Not a valid address"),
        (
            ", ".join(f"p{n}@example.org" for n in range(11)),
            "At most 10 addresses for a test.",
        ),
    ],
)
def test_test_addresses_are_checked_and_capped(
    client, issue, sender, briefing_list, addresses, message
):
    client.force_login(sender)
    url = reverse("newsletter_digest_send_test", args=[issue.pk])
    response = client.post(url, {"addresses": addresses, "language": "en"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert mail.outbox == []


def test_a_language_without_a_translation_is_not_offered(
    client, issue, sender, briefing_list
):
    client.force_login(sender)
    url = reverse("newsletter_digest_send_test", args=[issue.pk])
    response = client.post(url, {"addresses": "a@example.org", "language": "sw"})
    assert response.status_code == 400
    assert mail.outbox == []


def test_partners_cannot_send_tests(client, issue, partner, briefing_list):
    client.force_login(partner)
    url = reverse("newsletter_digest_send_test", args=[issue.pk])
    response = client.post(url, {"addresses": "spam@victim.example", "language": "en"})
    assert response.status_code in (302, 403)
    assert mail.outbox == []


# --- The progress poll ----------------------------------------------------------


def test_the_progress_poll_gives_the_figures(
    client, issue, sender, briefing_list, readers, renders
):
    from briefings.newsletter.choices import DeliveryStatus
    from briefings.newsletter.dispatch import dispatch_create

    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    first, second = dispatch.deliveries.order_by("pk")[:2]
    Delivery.objects.filter(pk=first.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    Delivery.objects.filter(pk=second.pk).update(status=DeliveryStatus.FAILED)
    client.force_login(sender)
    url = reverse("newsletter_dispatch_progress_json", args=[dispatch.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    state = json.loads(response.content)
    assert state["total"] == 4
    assert state["sent"] == 1
    assert state["failed"] == 1
    assert state["uncertain"] == 0
    assert state["pending"] == 2
    assert state["sent_text"] == "1 of 4 sent"
    assert state["running"] is True
    assert "Pace" in state["pace_text"]
    # No address leaves through the poll.
    assert "@" not in response.content.decode()
    # The screen names the poll and loads the script, no inline script.
    screen = client.get(
        reverse("newsletter_dispatch_progress", args=[dispatch.pk])
    ).content.decode()
    assert f'data-progress-url="{url}"' in screen
    assert "newsletter/js/progress.js" in screen
    assert "Reload the page to follow the progress" not in screen
    assert client.post(url).status_code == 405


def test_the_progress_poll_refuses_partners_and_strangers(
    client, issue, partner, briefing_list, readers
):
    from briefings.newsletter.dispatch import dispatch_create

    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    url = reverse("newsletter_dispatch_progress_json", args=[dispatch.pk])
    client.force_login(partner)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"sent_text" not in response.content
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
