"""Staff's hold on a dispatch: pause, resume, cancel, messages in doubt, a dead
worker's dispatch resumed, every failure listed, pace, a bad sender refused."""

import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from briefings.newsletter.choices import DeliveryStatus, DispatchStatus
from briefings.newsletter.dispatch import (
    DispatchRefused,
    dispatch_create,
    dispatch_leases_recover,
    dispatch_progress,
    dispatch_send,
)
from briefings.newsletter.models import Delivery, Dispatch, MailingList
from briefings.newsletter.send import DjangoEmailSendingBackend
from briefings.newsletter.tasks import dispatch_send_task
from tests.briefings.newsletter.factories import SubscriberFactory
from tests.briefings.newsletter.test_admin import MAILING_PERMISSIONS, _staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(django_user_model):
    return _staff(django_user_model, "sender", MAILING_PERMISSIONS)


@pytest.fixture
def readers(briefing_list):
    return [
        SubscriberFactory(email=f"r{n}@example.org", lists=[briefing_list])
        for n in range(6)
    ]


def _recipients() -> Counter:
    return Counter(a for message in mail.outbox for a in message.recipients())


def _progress_url(dispatch) -> str:
    return reverse("newsletter_dispatch_progress", args=[dispatch.pk])


class ActingBackend(DjangoEmailSendingBackend):
    """Sends through locmem; after `after` messages, runs `act` once (staff
    clicking a button while the worker is mid-way)."""

    def __init__(self, after: int, act):
        super().__init__()
        self.after, self.act, self.count = after, act, 0

    def send(self, message):
        super().send(message)
        self.count += 1
        if self.count == self.after:
            self.act()


def test_pause_stops_before_the_next_message_and_resume_sends_the_rest(
    client, sender, issue, briefing_list, readers, renders
):
    client.force_login(sender)
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    url = _progress_url(dispatch)

    report = dispatch_send(
        dispatch=dispatch,
        backend=ActingBackend(2, lambda: client.post(url, {"action": "pause"})),
    )
    assert (report.sent, report.stopped) == (2, "paused")
    assert len(mail.outbox) == 2
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.PAUSED
    assert dispatch.paused_by == sender
    assert dispatch.runner == ""
    page = client.get(url).content.decode()
    assert "Paused" in page and "paused by sender" in page
    assert 'value="resume"' in page

    # A worker arriving now (a task, the scheduler's recovery) sends nothing.
    assert dispatch_send_task.enqueue(dispatch.pk).return_value["busy"]
    assert dispatch_leases_recover() == 0
    with pytest.raises(CommandError, match="paused"):
        call_command("send_digest", str(issue.pk), "--list", "briefing")
    assert len(mail.outbox) == 2

    client.post(url, {"action": "resume"})  # the immediate task backend sends
    assert _recipients() == Counter({r.email: 1 for r in readers})
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE
    assert dispatch.stop_reason == ""


def test_cancel_stops_and_keeps_an_honest_record(
    client, sender, issue, briefing_list, readers, renders
):
    client.force_login(sender)
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    url = _progress_url(dispatch)
    report = dispatch_send(
        dispatch=dispatch,
        backend=ActingBackend(3, lambda: client.post(url, {"action": "cancel"})),
    )
    assert (report.sent, report.stopped) == (3, "cancelled")
    progress = dispatch_progress(dispatch=dispatch)
    assert (progress["sent"], progress["cancelled"], progress["pending"]) == (3, 3, 0)
    # Who got it is on record: exactly those the server took.
    sent = set(
        Delivery.objects.filter(status=DeliveryStatus.SENT).values_list(
            "subscriber__email", flat=True
        )
    )
    assert sent == set(_recipients())
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.CANCELLED
    assert dispatch.cancelled_by == sender
    assert dispatch.finished_at is not None
    page = client.get(url).content.decode()
    assert "Cancelled" in page
    for action in ("pause", "resume", "cancel"):
        assert f'value="{action}"' not in page
    # Nothing brings it back: resume, retry, a worker, the command.
    for action in ("resume", "retry"):
        client.post(url, {"action": action})
    assert dispatch_send(dispatch=dispatch).busy
    with pytest.raises(CommandError, match="cancelled"):
        call_command("send_digest", str(issue.pk), "--list", "briefing")
    assert len(mail.outbox) == 3


def _killed_mid_message(dispatch, *, lease_left: timedelta) -> Delivery:
    """What a worker killed with SIGKILL leaves: two rows recorded sent, one
    handed to the server without an answer, its lease still running or not."""
    rows = list(dispatch.deliveries.order_by("pk")[:3])
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), claim="dead"
    )
    Delivery.objects.filter(pk=rows[2].pk).update(
        status=DeliveryStatus.SENDING, claim="dead"
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status=DispatchStatus.SENDING,
        started_at=timezone.now() - timedelta(minutes=2),
        runner="dead",
        heartbeat_at=timezone.now() - timedelta(minutes=1),
        lease_until=timezone.now() + lease_left,
    )
    return rows[2]


def test_a_dead_workers_dispatch_is_resumed_from_the_admin_and_doubt_stays_with_staff(
    client, sender, issue, briefing_list, readers, renders
):
    client.force_login(sender)
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    in_flight = _killed_mid_message(dispatch, lease_left=timedelta(seconds=30))
    url = _progress_url(dispatch)

    # While its lease runs, nobody else may send; the screen says nothing yet.
    assert dispatch_send(dispatch=dispatch).busy
    assert "data-dispatch-stalled" not in client.get(url).content.decode()
    assert dispatch_leases_recover() == 0

    Dispatch.objects.filter(pk=dispatch.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    page = client.get(url).content.decode()
    assert "data-dispatch-stalled" in page
    assert (
        "worker stopped"
        in client.get(reverse("newsletter_dispatch_index")).content.decode()
    )
    client.post(url, {"action": "resume"})
    assert sorted(_recipients()) == sorted(r.email for r in readers[3:])
    in_flight.refresh_from_db()
    assert in_flight.status == DeliveryStatus.UNCERTAIN

    page = client.get(url).content.decode()
    assert "1 message in doubt" in page
    assert "Risk: those who did receive it get the issue twice." in page
    assert 'id="failures"' not in page  # in doubt is not failed
    # The ordinary retry does not touch it.
    client.post(url, {"action": "retry"})
    in_flight.refresh_from_db()
    assert in_flight.status == DeliveryStatus.UNCERTAIN
    assert len(mail.outbox) == 3

    # Staff decide: send anyway.
    client.post(url, {"action": "uncertain_send"})
    in_flight.refresh_from_db()
    assert in_flight.status == DeliveryStatus.SENT
    assert _recipients()[in_flight.subscriber.email] == 1
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE


def test_treat_as_not_sent_closes_the_doubt_without_sending(
    client, sender, issue, briefing_list, readers, renders
):
    client.force_login(sender)
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    in_flight = _killed_mid_message(dispatch, lease_left=-timedelta(seconds=1))
    # The scheduler's recovery finds the dispatch and a worker takes it over.
    assert dispatch_leases_recover() == 1
    assert len(mail.outbox) == 3
    client.post(_progress_url(dispatch), {"action": "uncertain_drop"})
    in_flight.refresh_from_db()
    assert in_flight.status == DeliveryStatus.NOT_SENT
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE
    assert dispatch_send(dispatch=dispatch).sent == 0
    assert in_flight.subscriber.email not in _recipients()


def test_every_failure_is_listed_page_by_page(
    client, sender, issue, briefing_list, renders
):
    SubscriberFactory.create_batch(230, lists=[briefing_list])
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    Delivery.objects.filter(dispatch=dispatch).update(
        status=DeliveryStatus.FAILED, error="550 mailbox unavailable"
    )
    client.force_login(sender)
    url = _progress_url(dispatch)
    seen = set()
    for number in (1, 2, 3):
        page = client.get(url, {"page": number}).content.decode()
        assert "230 failures" in page
        assert f"Page {number} of 3" in page
        seen |= {
            d.subscriber.email
            for d in dispatch.deliveries.select_related("subscriber")
            if f"<td>{d.subscriber.email}</td>" in page
        }
    assert len(seen) == 230


def test_pace_and_estimated_end_come_from_what_was_sent(
    client, sender, issue, briefing_list, renders
):
    SubscriberFactory.create_batch(40, lists=[briefing_list])
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    now = timezone.now()
    # 20 sent over the last two minutes: 10 a minute; 20 left: two minutes.
    for n, delivery in enumerate(dispatch.deliveries.order_by("pk")[:20]):
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=now - timedelta(seconds=6 * n)
        )
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status=DispatchStatus.SENDING,
        started_at=now - timedelta(minutes=2),
        runner="live",
        lease_until=now + timedelta(seconds=60),
    )
    client.force_login(sender)
    page = client.get(_progress_url(dispatch)).content.decode()
    rate = float(page.split("Pace: ")[1].split(" messages")[0])
    assert 9 <= rate <= 11
    end = page.split("Estimated end: ")[1].split(".")[0]
    # About two minutes from now (at 10.5 a minute, 1.9), shown to the minute.
    shown = datetime.strptime(end, "%d %b %Y %H:%M")
    expected = timezone.localtime(now + timedelta(minutes=2)).replace(tzinfo=None)
    assert abs(shown - expected) <= timedelta(minutes=1, seconds=30)


@pytest.mark.parametrize(
    "address",
    [
        '"x>,<https://evil.example/u"@example.org',
        "no-at-sign",
        "a@example.org\nBcc: spy@evil.example",
    ],
)
def test_a_dispatch_with_a_bad_sender_is_refused_at_creation(
    issue, briefing_list, readers, renders, address
):
    MailingList.objects.filter(pk=briefing_list.pk).update(from_email=address)
    briefing_list.refresh_from_db()
    with pytest.raises(DispatchRefused, match="sender address .* is not a valid"):
        dispatch_create(page=issue, mailing_list=briefing_list)
    with pytest.raises(CommandError, match="correct it in the list's settings"):
        call_command("send_digest", str(issue.pk), "--list", "briefing")
    MailingList.objects.filter(pk=briefing_list.pk).update(
        from_email="briefing@institute.example", reply_to=address
    )
    briefing_list.refresh_from_db()
    with pytest.raises(DispatchRefused, match="reply-to address"):
        dispatch_create(page=issue, mailing_list=briefing_list)
    assert not Dispatch.objects.exists()
    assert mail.outbox == []


def test_a_sender_spoilt_after_creation_pauses_the_dispatch_with_its_reason(
    client, sender, issue, briefing_list, readers, renders
):
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    MailingList.objects.filter(pk=briefing_list.pk).update(from_email="not valid")
    report = dispatch_send(dispatch=dispatch)  # no traceback
    assert (report.sent, report.stopped) == (0, "paused")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.PAUSED
    client.force_login(sender)
    page = client.get(_progress_url(dispatch)).content.decode()
    assert "Nothing can be sent" in page and "invalid address" in page
    MailingList.objects.filter(pk=briefing_list.pk).update(
        from_email="briefing@institute.example"
    )
    client.post(_progress_url(dispatch), {"action": "resume"})
    assert len(mail.outbox) == len(readers)


def test_send_digest_pauses_resumes_and_cancels(issue, briefing_list, readers, renders):
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    out = StringIO()
    call_command(
        "send_digest", str(issue.pk), "--list", "briefing", "--pause", stdout=out
    )
    assert "paused" in out.getvalue()
    assert dispatch_send(dispatch=dispatch).busy
    out = StringIO()
    call_command(
        "send_digest", str(issue.pk), "--list", "briefing", "--resume", stdout=out
    )
    assert "6 of 6 sent" in out.getvalue()
    with pytest.raises(CommandError, match="over already"):
        call_command("send_digest", str(issue.pk), "--list", "briefing", "--cancel")

    other = SubscriberFactory(lists=[briefing_list])
    Dispatch.objects.all().delete()
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    out = StringIO()
    call_command(
        "send_digest", str(issue.pk), "--list", "briefing", "--cancel", stdout=out
    )
    assert "7 messages not sent" in out.getvalue()
    assert dispatch_send(dispatch=dispatch).busy
    assert other.email not in _recipients()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory test database of SQLite locks whole tables between "
    "threads; test_engine_processes.py runs this case on an SQLite file",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_slower_than_its_lease_is_never_overtaken_while_alive(
    tx_issue, briefing_list, renders, settings
):
    """Each message takes longer than the whole lease (a throttled provider);
    other workers and the recovery keep trying meanwhile, and find it held."""
    settings.NEWSLETTER_DISPATCH_LEASE_SECONDS = 0.6
    settings.NEWSLETTER_DISPATCH_HEARTBEAT_SECONDS = 0.1
    readers = SubscriberFactory.create_batch(3, lists=[briefing_list])
    dispatch = dispatch_create(page=tx_issue, mailing_list=briefing_list)
    stop = threading.Event()
    attempts: list = []
    rival_sent: list = []

    class Throttled(DjangoEmailSendingBackend):
        def send(self, message):
            time.sleep(1.0)
            super().send(message)

    def rivals():
        try:
            while not stop.is_set():
                attempts.append(dispatch_leases_recover(enqueue=lambda pk: None))
                rival = dispatch_send(
                    dispatch=Dispatch.objects.get(pk=dispatch.pk),
                    backend=DjangoEmailSendingBackend(),
                )
                attempts.append(rival.busy)
                rival_sent.append(rival.sent + rival.failed + rival.uncertain)
                time.sleep(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=rivals)
    thread.start()
    try:
        report = dispatch_send(dispatch=dispatch, backend=Throttled())
    finally:
        stop.set()
        thread.join()
    assert report.sent == 3
    assert report.stopped == ""
    # Every rival attempt found it held, no recovery, no second sender; the
    # last ones may come after the sender let the lease go (it then updates
    # the status and logs), and find nothing left to send.
    assert len(attempts) > 10
    assert set(attempts[0::2]) == {0}
    held = attempts[1::2]
    assert held[0] is True
    assert held == sorted(held, reverse=True), held
    assert sum(rival_sent) == 0
    assert _recipients() == Counter({r.email: 1 for r in readers})
    progress = dispatch_progress(dispatch=Dispatch.objects.get(pk=dispatch.pk))
    assert (progress["sent"], progress["uncertain"]) == (3, 0)
