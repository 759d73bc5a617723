"""Scheduled sends as services: due at a time, or when the page goes live."""

import datetime
from datetime import UTC, timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Revision

import pytest

from briefings.newsletter.choices import ScheduledSendStatus
from briefings.newsletter.models import Dispatch, ScheduledSend
from briefings.newsletter.schedule import (
    ScheduleRefused,
    WallClockError,
    scheduled_send_cancel,
    scheduled_send_create,
    scheduled_sends_start_due,
    wall_clock_to_utc,
)
from tests.briefings.factories import BriefingPageFactory
from tests.briefings.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def scheduled_page(parent, *, go_live_at):
    """A Briefing never published, scheduled to go live at `go_live_at`."""
    page = BriefingPageFactory(parent=parent, title="Briefing to come", live=False)
    page.go_live_at = go_live_at
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    return page


def time_passes_until_go_live(page) -> None:
    """What the clock would do: the page's go-live moment is now in the past."""
    past = timezone.now() - timedelta(seconds=1)
    revision = Revision.objects.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])


@pytest.fixture
def readers(briefing_list):
    return [SubscriberFactory(lists=[briefing_list]) for _ in range(3)]


def test_a_send_at_a_time_becomes_a_dispatch_when_due_and_not_before(
    issue, briefing_list, readers, django_capture_on_commit_callbacks
):
    now = timezone.now()
    planned = scheduled_send_create(
        page=issue,
        mailing_list=briefing_list,
        send_at=now + timedelta(hours=2),
        now=now,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_sends_start_due(now=now + timedelta(hours=1, minutes=59)) == []
    assert not Dispatch.objects.exists()
    assert len(mail.outbox) == 0

    with django_capture_on_commit_callbacks(execute=True):
        started = scheduled_sends_start_due(now=now + timedelta(hours=2))
    dispatch = Dispatch.objects.get()
    assert started == [dispatch.pk]
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.STARTED
    assert planned.dispatch == dispatch
    assert len(mail.outbox) == 3  # the send task ran (immediate backend)

    # Due again a minute later: nothing starts twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_sends_start_due(now=now + timedelta(hours=2, minutes=1)) == []
    assert Dispatch.objects.count() == 1
    assert len(mail.outbox) == 3


def test_a_cancelled_send_never_starts(issue, briefing_list, readers):
    now = timezone.now()
    planned = scheduled_send_create(
        page=issue, mailing_list=briefing_list, send_at=now + timedelta(hours=1)
    )
    assert scheduled_send_cancel(scheduled_send=planned) is True
    assert scheduled_send_cancel(scheduled_send=planned) is False  # once

    assert scheduled_sends_start_due(now=now + timedelta(days=1)) == []
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.CANCELLED
    assert not Dispatch.objects.exists()


def test_a_started_send_cannot_be_cancelled(issue, briefing_list, readers):
    now = timezone.now()
    planned = scheduled_send_create(
        page=issue, mailing_list=briefing_list, send_at=now + timedelta(minutes=5)
    )
    scheduled_sends_start_due(now=now + timedelta(minutes=5))
    assert scheduled_send_cancel(scheduled_send=planned) is False
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.STARTED


def test_a_due_send_the_checks_refuse_is_recorded_with_its_reason(
    issue, briefing_list, readers
):
    now = timezone.now()
    planned = scheduled_send_create(
        page=issue, mailing_list=briefing_list, send_at=now + timedelta(hours=1)
    )
    issue.unpublish()  # withdrawn meanwhile

    assert scheduled_sends_start_due(now=now + timedelta(hours=1)) == []
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.REFUSED
    assert "Only a published issue can be sent." in planned.reason
    assert not Dispatch.objects.exists()


def test_on_publish_send_starts_when_publish_scheduled_makes_the_page_live(
    issue, briefing_list, readers, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + timedelta(days=2)
    page = scheduled_page(issue.get_parent(), go_live_at=go_live)
    planned = scheduled_send_create(page=page, mailing_list=briefing_list, send_at=None)

    # Before its time, the scheduler's runs start nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
        assert scheduled_sends_start_due() == []
    page.refresh_from_db()
    assert not page.live
    assert not Dispatch.objects.exists()

    time_passes_until_go_live(page)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")

    page.refresh_from_db()
    assert page.live
    planned.refresh_from_db()
    assert planned.status == ScheduledSendStatus.STARTED
    assert planned.dispatch.page_id == page.pk
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        reader.email for reader in readers
    )


def test_recording_a_schedule_alone_starts_nothing(
    issue, briefing_list, readers, django_capture_on_commit_callbacks
):
    """Wagtail sends page_published when it only records a go-live date."""
    page = scheduled_page(issue.get_parent(), go_live_at=timezone.now() + timedelta(1))
    scheduled_send_create(page=page, mailing_list=briefing_list, send_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        page.go_live_at = timezone.now() + timedelta(days=3)
        page.save_revision().publish()  # rescheduled, still not live
    assert not Dispatch.objects.exists()
    assert ScheduledSend.objects.get().status == ScheduledSendStatus.PENDING


def test_a_page_neither_live_nor_scheduled_cannot_be_planned(
    issue, briefing_list, readers
):
    draft = BriefingPageFactory(parent=issue.get_parent(), live=False)
    for send_at in (None, timezone.now() + timedelta(days=1)):
        with pytest.raises(ScheduleRefused, match="not live and not scheduled"):
            scheduled_send_create(
                page=draft, mailing_list=briefing_list, send_at=send_at
            )
    assert not ScheduledSend.objects.exists()


def test_a_time_before_the_page_goes_live_is_refused(issue, briefing_list):
    go_live = timezone.now() + timedelta(days=2)
    page = scheduled_page(issue.get_parent(), go_live_at=go_live)
    with pytest.raises(ScheduleRefused, match="goes live only at"):
        scheduled_send_create(
            page=page, mailing_list=briefing_list, send_at=go_live - timedelta(hours=1)
        )
    # After it is fine.
    scheduled_send_create(
        page=page, mailing_list=briefing_list, send_at=go_live + timedelta(hours=1)
    )


def test_the_checks_of_an_immediate_send_apply_when_planning(
    issue, briefing_list, readers
):
    later = timezone.now() + timedelta(hours=1)
    with pytest.raises(ScheduleRefused, match="in the past"):
        scheduled_send_create(
            page=issue,
            mailing_list=briefing_list,
            send_at=timezone.now() - timedelta(minutes=1),
        )
    with pytest.raises(ScheduleRefused, match="already live"):
        scheduled_send_create(page=issue, mailing_list=briefing_list, send_at=None)
    scheduled_send_create(page=issue, mailing_list=briefing_list, send_at=later)
    # One plan per issue and list, in any language of the issue.
    french = issue.get_translation(issue.get_translations().first().locale)
    with pytest.raises(ScheduleRefused, match="already planned"):
        scheduled_send_create(page=french, mailing_list=briefing_list, send_at=later)
    ScheduledSend.objects.update(status=ScheduledSendStatus.CANCELLED)
    Dispatch.objects.create(page=issue, mailing_list=briefing_list)
    with pytest.raises(ScheduleRefused, match="already been sent"):
        scheduled_send_create(page=issue, mailing_list=briefing_list, send_at=later)


def _next_dst_sundays() -> tuple[datetime.date, datetime.date]:
    """The next last Sundays of March and October (clocks change in Brussels)."""
    year = timezone.now().year + 1

    def last_sunday(month: int) -> datetime.date:
        day = datetime.date(year, month + 1, 1) - timedelta(days=1)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    return last_sunday(3), last_sunday(10)


def test_brussels_wall_clock_times_are_stored_in_utc_across_the_clock_changes():
    spring, autumn = _next_dst_sundays()
    winter_nine = datetime.datetime.combine(
        spring - timedelta(days=1), datetime.time(9)
    )
    summer_nine = datetime.datetime.combine(spring, datetime.time(9))
    assert wall_clock_to_utc(winter_nine) == winter_nine.replace(
        tzinfo=UTC
    ) - timedelta(hours=1)
    assert wall_clock_to_utc(summer_nine) == summer_nine.replace(
        tzinfo=UTC
    ) - timedelta(hours=2)
    # The first minute after the jump exists; 02:30 that night does not.
    three = datetime.datetime.combine(spring, datetime.time(3))
    assert wall_clock_to_utc(three).hour == 1
    with pytest.raises(WallClockError, match="does not exist") as skipped:
        wall_clock_to_utc(datetime.datetime.combine(spring, datetime.time(2, 30)))
    assert skipped.value.code == "imaginary"
    # 02:30 happens twice the night the clocks go back: refused, not guessed.
    with pytest.raises(WallClockError, match="happens twice") as twice:
        wall_clock_to_utc(datetime.datetime.combine(autumn, datetime.time(2, 30)))
    assert twice.value.code == "ambiguous"
    after_autumn = datetime.datetime.combine(autumn, datetime.time(9))
    assert wall_clock_to_utc(after_autumn).hour == 8
