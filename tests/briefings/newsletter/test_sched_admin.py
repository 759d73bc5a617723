"""The send screen plans sends: in Brussels time, refused clearly, cancellable."""

import datetime
from datetime import UTC, timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

import pytest

from briefings.newsletter.choices import ScheduledSendStatus
from briefings.newsletter.models import Dispatch, ScheduledSend
from tests.briefings.newsletter.factories import SubscriberFactory
from tests.briefings.newsletter.test_admin import MAILING_PERMISSIONS, _staff
from tests.briefings.newsletter.test_sched_service import scheduled_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    """An editor who may publish pages and send digests."""
    return _staff(django_user_model, "editor", MAILING_PERMISSIONS)


@pytest.fixture
def partner(django_user_model):
    return _staff(django_user_model, "partner", [])


@pytest.fixture
def readers(briefing_list):
    return [SubscriberFactory(lists=[briefing_list]) for _ in range(2)]


def _send_url(page) -> str:
    return reverse("newsletter_digest_send", args=[page.pk])


def _january_nine() -> datetime.datetime:
    """09:00 on 15 January next year, as typed (no time zone)."""
    return datetime.datetime(timezone.now().year + 1, 1, 15, 9, 0)


def test_a_time_typed_in_brussels_is_stored_in_utc_and_shown_back(
    client, issue, editor, briefing_list, readers
):
    # Whatever the editor's own admin time zone says.
    UserProfile.get_for_user(editor).__class__.objects.filter(user=editor).update(
        current_time_zone="America/New_York"
    )
    client.force_login(editor)
    typed = _january_nine()
    response = client.post(
        _send_url(issue),
        {
            "mailing_list": briefing_list.pk,
            "when": "at",
            "send_at": typed.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    planned = ScheduledSend.objects.get()
    # Brussels is UTC+1 in January.
    assert planned.send_at == typed.replace(tzinfo=UTC) - timedelta(hours=1)
    assert planned.created_by == editor
    assert not Dispatch.objects.exists()

    screen = client.get(response["Location"]).content.decode()
    assert "will be sent to Monthly Briefing at" in screen
    assert typed.strftime("%Y-%m-%d 09:00") in screen
    assert "Planned sends" in screen
    assert "already planned: see above" in screen


def test_a_summer_time_is_two_hours_ahead_of_utc(client, issue, editor, briefing_list):
    client.force_login(editor)
    typed = datetime.datetime(timezone.now().year + 1, 7, 15, 9, 0)
    client.post(
        _send_url(issue),
        {
            "mailing_list": briefing_list.pk,
            "when": "at",
            "send_at": typed.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert ScheduledSend.objects.get().send_at.astimezone(UTC).hour == 7


@pytest.mark.parametrize(
    ("send_at", "message"),
    [
        ("2001-01-01T09:00", "This time is in the past"),
        ("", "Choose the date and time to send at."),
        ("next tuesday", "Enter a valid date/time."),
    ],
)
def test_the_form_refuses_a_bad_time_with_a_clear_message(
    client, issue, editor, briefing_list, send_at, message
):
    client.force_login(editor)
    response = client.post(
        _send_url(issue),
        {"mailing_list": briefing_list.pk, "when": "at", "send_at": send_at},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScheduledSend.objects.exists()


def test_the_form_refuses_a_time_the_clocks_skip(client, issue, editor, briefing_list):
    year = timezone.now().year + 1
    last_sunday_of_march = max(
        datetime.date(year, 3, day)
        for day in range(25, 32)
        if datetime.date(year, 3, day).weekday() == 6
    )
    client.force_login(editor)
    response = client.post(
        _send_url(issue),
        {
            "mailing_list": briefing_list.pk,
            "when": "at",
            "send_at": f"{last_sunday_of_march}T02:30",
        },
    )
    assert response.status_code == 400
    assert "does not exist in Europe/Brussels" in response.content.decode()
    assert not ScheduledSend.objects.exists()


def test_a_page_neither_live_nor_scheduled_is_refused(
    client, issue, editor, briefing_list
):
    issue.unpublish()
    client.force_login(editor)
    screen = client.get(_send_url(issue)).content.decode()
    assert "not live and not scheduled to go live" in screen
    assert 'name="send_at"' not in screen
    for when in ("at", "publish"):
        response = client.post(
            _send_url(issue),
            {
                "mailing_list": briefing_list.pk,
                "when": when,
                "send_at": _january_nine().strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert response.status_code == 400
        assert "not live and not scheduled to go live" in response.content.decode()
    response = client.post(
        _send_url(issue), {"mailing_list": briefing_list.pk, "when": "now"}
    )
    assert "Only a published issue can be sent." in response.content.decode()
    assert not ScheduledSend.objects.exists()
    assert not Dispatch.objects.exists()


def test_a_scheduled_page_offers_sending_when_it_goes_live(
    client, issue, editor, briefing_list
):
    page = scheduled_page(issue.get_parent(), go_live_at=timezone.now() + timedelta(2))
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert _send_url(page) in edit.content.decode()
    assert "Plan sending to a list" in edit.content.decode()

    screen = client.get(_send_url(page)).content.decode()
    assert "When the page goes live (scheduled for" in screen
    assert 'id="when-now"' not in screen  # not live: nothing can go now

    response = client.post(
        _send_url(page), {"mailing_list": briefing_list.pk, "when": "publish"}
    )
    assert response.status_code == 302
    planned = ScheduledSend.objects.get()
    assert planned.on_publish
    assert planned.page_id == page.pk


def test_an_editor_cancels_a_planned_send(client, issue, editor, briefing_list):
    client.force_login(editor)
    client.post(
        _send_url(issue),
        {
            "mailing_list": briefing_list.pk,
            "when": "at",
            "send_at": _january_nine().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    planned = ScheduledSend.objects.get()
    # Sending the same issue now is refused while a send is planned.
    refused = client.post(
        _send_url(issue), {"mailing_list": briefing_list.pk, "when": "now"}
    )
    assert refused.status_code == 400
    assert "already planned" in refused.content.decode()

    response = client.post(_send_url(issue), {"cancel": planned.pk}, follow=True)
    assert "The planned send to Monthly Briefing is cancelled." in (
        response.content.decode()
    )
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.CANCELLED
    assert planned.cancelled_by == editor
    assert "Planned sends" not in response.content.decode()
    # Now it can be sent, or planned again.
    assert (
        client.post(
            _send_url(issue), {"mailing_list": briefing_list.pk, "when": "now"}
        ).status_code
        == 302
    )


def test_a_cancel_names_a_send_of_this_issue(client, issue, editor, briefing_list):
    other = scheduled_page(issue.get_parent(), go_live_at=timezone.now() + timedelta(2))
    planned = ScheduledSend.objects.create(page=other, mailing_list=briefing_list)
    client.force_login(editor)
    for value in (planned.pk, "x"):
        response = client.post(_send_url(issue), {"cancel": value}, follow=True)
        assert "This issue has no such planned send waiting." in (
            response.content.decode()
        )
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.PENDING


def test_partners_and_strangers_cannot_plan_or_cancel(
    client, issue, editor, partner, briefing_list
):
    planned = ScheduledSend.objects.create(
        page=issue,
        mailing_list=briefing_list,
        send_at=timezone.now() + timedelta(days=1),
        created_by=editor,
    )
    attempts = [
        {"cancel": planned.pk},
        {
            "mailing_list": briefing_list.pk,
            "when": "at",
            "send_at": _january_nine().strftime("%Y-%m-%dT%H:%M"),
        },
    ]
    client.force_login(partner)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    refused = client.get(_send_url(issue))
    assert refused.status_code in (302, 403)
    assert reverse("wagtailadmin_login") not in refused.get("Location", "")
    for data in attempts:
        assert client.post(_send_url(issue), data).status_code in (302, 403)
    client.logout()
    response = client.get(_send_url(issue))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
    for data in attempts:
        assert client.post(_send_url(issue), data).status_code == 302
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.PENDING
    assert ScheduledSend.objects.count() == 1
