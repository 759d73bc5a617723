"""Dispatch: recipients, languages, headers, suppression, exactly-once sending."""

import threading
from collections import Counter
from email import message_from_bytes

from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

import pytest

from briefings.email.render import PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER
from briefings.newsletter import subscriptions
from briefings.newsletter.choices import (
    DeliveryStatus,
    DispatchStatus,
    SubscriberStatus,
)
from briefings.newsletter.dispatch import (
    UNCERTAIN,
    DispatchRefused,
    digest_send_test,
    dispatch_create,
    dispatch_progress,
    dispatch_retry_failed,
    dispatch_send,
    dispatch_uncertain_send,
    recipients_by_language,
)
from briefings.newsletter.models import Delivery, Dispatch, Subscriber
from briefings.newsletter.send import DjangoEmailSendingBackend
from tests.briefings.newsletter.factories import (
    CrashingBackend,
    MailingListFactory,
    SubscriberFactory,
)
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(briefing_list):
    """Confirmed readers in en, fr and sw, and people who must get nothing."""
    confirmed = [
        SubscriberFactory(
            email="en1@example.org", language="en", lists=[briefing_list]
        ),
        SubscriberFactory(
            email="en2@example.org", language="en", lists=[briefing_list]
        ),
        SubscriberFactory(
            email="fr1@example.org", language="fr", lists=[briefing_list]
        ),
        SubscriberFactory(
            email="sw1@example.org", language="sw", lists=[briefing_list]
        ),
    ]
    SubscriberFactory(email="pending@example.org", pending=True, lists=[briefing_list])
    for status in (
        SubscriberStatus.UNSUBSCRIBED,
        SubscriberStatus.BOUNCED,
        SubscriberStatus.COMPLAINED,
    ):
        SubscriberFactory(
            email=f"{status}@example.org", status=status, lists=[briefing_list]
        )
    left = SubscriberFactory(email="left@example.org", lists=[briefing_list])
    left.subscriptions.update(active=False)
    SubscriberFactory(email="other-list@example.org", lists=[MailingListFactory()])
    return confirmed


def _recipients() -> list[str]:
    return sorted(
        address for message in mail.outbox for address in message.recipients()
    )


def test_only_confirmed_unsuppressed_subscribers_get_the_issue(
    issue, briefing_list, readers, renders
):
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    assert dispatch.total == 4
    report = dispatch_send(dispatch=dispatch)
    assert report.sent == 4
    assert _recipients() == sorted(reader.email for reader in readers)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE
    assert dispatch.finished_at is not None


def test_each_reader_gets_their_language_or_the_default(
    issue, briefing_list, readers, renders
):
    assert recipients_by_language(page=issue, mailing_list=briefing_list) == {
        "en": 3,
        "fr": 1,
    }
    dispatch_send(dispatch=dispatch_create(page=issue, mailing_list=briefing_list))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "mars 2020" in by_address["fr1@example.org"].subject
    assert "March 2020" in by_address["sw1@example.org"].subject  # no Swahili issue
    assert "March 2020" in by_address["en1@example.org"].subject
    # The Swahili reader's issue is English, its footer and links Swahili.
    swahili = by_address["sw1@example.org"]
    assert 'lang="sw"' in swahili.alternatives[0][0]
    assert "/sw/newsletter/" in swahili.body
    assert "Unsubscribe" not in swahili.body
    # One rendering per reader's language, however many readers.
    assert sorted(renders.calls) == ["en", "en", "fr"]


def test_headers_on_every_bulk_message(issue, briefing_list, readers, renders, client):
    dispatch_send(dispatch=dispatch_create(page=issue, mailing_list=briefing_list))
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        parsed = message_from_bytes(message.message().as_bytes())
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Only the one-click link: no mailto (the site processes no inbound mail).
        https_part = "".join(parsed["List-Unsubscribe"].split())
        assert https_part.startswith("<http://testserver/")
        assert https_part.count("<") == 1
        assert "/newsletter/unsubscribe/" in https_part
        assert parsed["List-Id"] == '"Monthly Briefing" <briefing.testserver>'
        assert parsed["From"] == "The Institute <briefing@institute.example>"
        assert parsed["Reply-To"] == "editors@institute.example"
        # Per-recipient links replaced the placeholders in both parts.
        html = message.alternatives[0][0]
        for body in (message.body, html):
            assert UNSUBSCRIBE_PLACEHOLDER not in body
            assert PREFERENCES_PLACEHOLDER not in body
        url = https_part[1:-1]
        assert url in message.body
        assert url.replace("&", "&amp;") in html
        # The header link works as RFC 8058 says, for this reader only.
        path = url.removeprefix("http://testserver")
        response = Client(enforce_csrf_checks=True).post(
            path, {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200
        reader = Subscriber.objects.get(email=message.to[0])
        assert reader.status == SubscriberStatus.UNSUBSCRIBED
    # Only the two who were not on the list are still confirmed.
    assert set(
        Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).values_list(
            "email", flat=True
        )
    ) == {"left@example.org", "other-list@example.org"}


def test_links_are_different_for_each_reader(issue, briefing_list, readers, renders):
    dispatch_send(dispatch=dispatch_create(page=issue, mailing_list=briefing_list))
    links = {message.extra_headers["List-Unsubscribe"] for message in mail.outbox}
    assert len(links) == 4


def test_names_and_addresses_cannot_inject_headers(issue, briefing_list, renders):
    briefing_list.from_name = "Institute\r\nBcc: spy@evil.example"
    briefing_list.save()
    SubscriberFactory(
        email="ok@example.org", name="Eve\nBcc: spy@evil.example", lists=[briefing_list]
    )
    sneaky = SubscriberFactory(email="x@example.org", lists=[briefing_list])
    # An address written straight into the database, past the form's checks.
    Subscriber.objects.filter(pk=sneaky.pk).update(
        email="x@example.org\nBcc: spy@evil.example"
    )
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    report = dispatch_send(dispatch=dispatch)
    assert report.sent == 1
    assert report.failed == 1
    (message,) = mail.outbox
    raw = message.message().as_bytes()
    assert message.recipients() == ["ok@example.org"]
    parsed = message_from_bytes(raw)
    assert parsed["Bcc"] is None
    # The sender's name stays inside the From header, on one logical line.
    assert (
        parsed["From"]
        == '"Institute Bcc: spy@evil.example" <briefing@institute.example>'
    )
    assert parsed["To"] == "ok@example.org"
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert "invalid address" in failed.error


def test_a_crash_mid_way_then_a_rerun_sends_everyone_at_most_once(
    issue, briefing_list, renders
):
    readers = [
        SubscriberFactory(language="fr" if n % 3 else "en", lists=[briefing_list])
        for n in range(23)
    ]
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    with pytest.raises(ConnectionResetError):
        dispatch_send(dispatch=dispatch, batch_size=5, backend=CrashingBackend(12))
    assert len(mail.outbox) == 12
    progress = dispatch_progress(dispatch=dispatch)
    assert progress["sent"] == 12
    # The message the backend broke on may have left: in doubt, not pending.
    assert progress["uncertain"] == 1
    assert progress["pending"] == 10
    assert progress["sending"] == 0
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.SENDING
    assert dispatch.runner == ""  # the lease is given back

    # A second crash, then a clean run.
    with pytest.raises(ConnectionResetError):
        dispatch_send(dispatch=dispatch, batch_size=5, backend=CrashingBackend(4))
    report = dispatch_send(dispatch=dispatch, batch_size=5)
    assert report.sent == 5
    counts = Counter(_recipients())
    assert set(counts.values()) == {1}
    uncertain = {
        d.subscriber.email
        for d in Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN)
    }
    assert len(uncertain) == 2
    assert set(counts) == {reader.email for reader in readers} - uncertain
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE_WITH_FAILURES
    # Running once more, or retrying the failures, sends nothing.
    assert dispatch_send(dispatch=dispatch).sent == 0
    assert dispatch_retry_failed(dispatch=dispatch) == 0
    assert len(mail.outbox) == 21


def test_rows_left_claimed_by_a_killed_worker_are_never_resent(
    issue, briefing_list, readers, renders
):
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    # What a worker killed between handing a message over and recording the
    # answer leaves behind (its lease has run out).
    killed = dispatch.deliveries.order_by("pk")[:1]
    Delivery.objects.filter(pk__in=[d.pk for d in killed]).update(
        status=DeliveryStatus.SENDING, claim="dead-worker"
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status=DispatchStatus.SENDING, runner="dead-worker", lease_until=None
    )
    report = dispatch_send(dispatch=dispatch)
    assert report.sent == 3
    (uncertain,) = Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN)
    assert uncertain.error == UNCERTAIN
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE_WITH_FAILURES
    # The ordinary retry leaves it alone; only staff's explicit decision sends it.
    assert dispatch_retry_failed(dispatch=dispatch) == 0
    assert dispatch_send(dispatch=dispatch).sent == 0
    assert dispatch_uncertain_send(dispatch=dispatch) == 1
    assert dispatch_send(dispatch=dispatch).sent == 1
    assert Counter(_recipients()) == Counter({r.email: 1 for r in readers})


@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_one_is_sending_sends_nothing(
    tx_issue, briefing_list, readers, renders
):
    dispatch = dispatch_create(page=tx_issue, mailing_list=briefing_list)
    other_runs = []

    class SlowBackend(DjangoEmailSendingBackend):
        def send(self, message):
            if not other_runs:
                # Another worker starts while this one is mid-way.
                thread = threading.Thread(
                    target=lambda: other_runs.append(dispatch_send(dispatch=dispatch))
                )
                thread.start()
                thread.join()
            super().send(message)

    report = dispatch_send(dispatch=dispatch, backend=SlowBackend())
    assert other_runs[0].busy
    assert other_runs[0].sent == 0
    assert report.sent == 4
    assert Counter(_recipients()) == Counter({r.email: 1 for r in readers})


def test_failures_are_recorded_per_reader_and_can_be_retried(
    issue, briefing_list, readers, renders
):
    from briefings.newsletter.send import RecipientRefused

    class Refusing(DjangoEmailSendingBackend):
        refuse = {"fr1@example.org"}

        def send(self, message):
            if message.to in self.refuse:
                raise RecipientRefused("550 mailbox unavailable")
            super().send(message)

    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    report = dispatch_send(dispatch=dispatch, backend=Refusing())
    assert (report.sent, report.failed) == (3, 1)
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.subscriber.email == "fr1@example.org"
    assert failed.error == "550 mailbox unavailable"
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE_WITH_FAILURES

    Refusing.refuse = set()
    assert dispatch_retry_failed(dispatch=dispatch) == 1
    assert dispatch_send(dispatch=dispatch, backend=Refusing()).sent == 1
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert failed.attempts == 2
    assert len(mail.outbox) == 4


def test_readers_who_leave_after_the_dispatch_is_recorded_get_nothing(
    issue, briefing_list, readers, renders
):
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    subscriptions.subscriber_unsubscribe(
        subscriber=readers[0], mailing_list=briefing_list, source="test"
    )
    Subscriber.objects.filter(pk=readers[1].pk).update(status=SubscriberStatus.BOUNCED)
    report = dispatch_send(dispatch=dispatch)
    assert (report.sent, report.skipped) == (2, 2)
    assert _recipients() == ["fr1@example.org", "sw1@example.org"]


def test_an_issue_goes_to_a_list_once(issue, briefing_list, readers, renders):
    dispatch_create(page=issue, mailing_list=briefing_list)
    with pytest.raises(DispatchRefused, match="already been sent"):
        dispatch_create(page=issue, mailing_list=briefing_list)
    french = issue.get_translation(issue.get_translations().first().locale)
    with pytest.raises(DispatchRefused, match="already been sent"):
        dispatch_create(page=french, mailing_list=briefing_list)
    assert Dispatch.objects.count() == 1


def test_drafts_and_other_digest_types_are_refused(
    home_page, issue, briefing_list, renders
):
    bulletin = BulletinPageFactory(parent=BulletinIndexPageFactory(parent=home_page))
    with pytest.raises(DispatchRefused, match="does not carry"):
        dispatch_create(page=bulletin, mailing_list=briefing_list)
    issue.unpublish()
    with pytest.raises(DispatchRefused, match="published"):
        dispatch_create(page=issue, mailing_list=briefing_list)
    assert not Dispatch.objects.exists()


def test_recording_and_sending_take_two_writes_per_message(
    issue, briefing_list, renders, django_assert_max_num_queries
):
    """Each message is claimed and recorded in its own small write (so a kill
    leaves at most one in doubt); nothing else grows with the list. Both runs
    send in the same two languages: each language costs a few queries of its
    own (rendering, the archived copy, the counted links)."""
    SubscriberFactory.create_batch(3, lists=[briefing_list])
    SubscriberFactory.create_batch(2, lists=[briefing_list], language="fr")
    with django_assert_max_num_queries(80) as small:
        dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
        dispatch_send(dispatch=dispatch, batch_size=100)
    SubscriberFactory.create_batch(60, lists=[briefing_list], language="fr")
    other = MailingListFactory(digest_type="briefings.briefingpage")
    for subscriber in Subscriber.objects.all():
        subscriber.subscriptions.create(mailing_list=other)
    with django_assert_max_num_queries(
        len(small.captured_queries) + 2 * 60 + 2
    ) as large:
        dispatch = dispatch_create(page=issue, mailing_list=other)
        dispatch_send(dispatch=dispatch, batch_size=100)
    updates = [
        q["sql"]
        for q in large.captured_queries
        if q["sql"].startswith('UPDATE "briefings_delivery" SET "status"')
    ]
    claims = [sql for sql in updates if "SET \"status\" = 'sending'" in sql]
    records = [sql for sql in updates if "SET \"status\" = 'sent'" in sql]
    assert (len(claims), len(records)) == (65, 65)
    assert len(mail.outbox) == 5 + 65


def test_send_test_goes_to_one_address(issue, briefing_list, readers, renders):
    digest_send_test(
        page=issue, mailing_list=briefing_list, to_email="me@institute.example"
    )
    (message,) = mail.outbox
    assert message.to == ["me@institute.example"]
    assert message.subject.startswith("[TEST] ")
    assert UNSUBSCRIBE_PLACEHOLDER not in message.body
    assert not Delivery.objects.exists()


def test_send_digest_command(issue, briefing_list, readers, renders):
    from io import StringIO

    out = StringIO()
    call_command(
        "send_digest", str(issue.pk), "--list", "briefing", "--dry-run", stdout=out
    )
    assert "en: 3 recipients" in out.getvalue()
    assert "fr: 1 recipient\n" in out.getvalue()
    assert "to “" in out.getvalue() and "(briefing)" in out.getvalue()
    assert "Sample recipients (3 of 4):" in out.getvalue()
    samples = [line for line in out.getvalue().splitlines() if "@" in line]
    assert len(samples) == 3
    assert all(line.endswith(("(en)", "(fr)")) for line in samples)
    assert "nothing sent" in out.getvalue()
    assert mail.outbox == []
    assert not Dispatch.objects.exists()

    out = StringIO()
    call_command("send_digest", str(issue.pk), "--list", "briefing", stdout=out)
    assert "4 of 4 sent, 0 failed" in out.getvalue()
    assert len(mail.outbox) == 4
    with pytest.raises(CommandError, match="already sent"):
        call_command("send_digest", str(issue.pk), "--list", "briefing")


def test_send_digest_command_resumes_a_stopped_dispatch(
    issue, briefing_list, readers, renders
):
    from io import StringIO

    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    with pytest.raises(ConnectionResetError):
        dispatch_send(dispatch=dispatch, backend=CrashingBackend(1))
    out = StringIO()
    call_command("send_digest", str(issue.pk), "--list", "briefing", stdout=out)
    assert f"Resuming dispatch {dispatch.pk}" in out.getvalue()
    assert "1 in doubt" in out.getvalue()
    in_doubt = Delivery.objects.get(status=DeliveryStatus.UNCERTAIN)
    assert Counter(_recipients()) == Counter(
        {r.email: 1 for r in readers if r != in_doubt.subscriber}
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["999999", "--list", "briefing"], "No page with id 999999"),
        (["{issue}", "--list", "nope"], "No mailing list 'nope'"),
        (["{issue}", "--list", "briefing", "--batch-size", "0"], "at least 1"),
    ],
)
def test_send_digest_command_errors(issue, briefing_list, arguments, message):
    arguments = [a.format(issue=issue.pk) for a in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("send_digest", *arguments)


def test_send_digest_command_refuses_a_draft(issue, briefing_list):
    issue.unpublish()
    with pytest.raises(CommandError, match="published"):
        call_command("send_digest", str(issue.pk), "--list", "briefing")


def test_dispatch_task_sends(issue, briefing_list, readers, renders):
    from briefings.newsletter.tasks import dispatch_send_task

    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    result = dispatch_send_task.enqueue(dispatch.pk)
    assert result.return_value["sent"] == 4
    assert dispatch_send_task.enqueue(0).return_value["outcome"] == "missing"


needs_row_locks = pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite has no row locks and one writer at a time; "
    "test_a_second_run_while_one_is_sending_sends_nothing covers it there",
)


def _in_thread(target, results):
    from django.db import connection

    def run():
        try:
            results.append(target())
        finally:
            connection.close()

    return threading.Thread(target=run)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_never_double_send(tx_issue, briefing_list, renders):
    SubscriberFactory.create_batch(40, lists=[briefing_list])
    dispatch = dispatch_create(page=tx_issue, mailing_list=briefing_list)
    start = threading.Barrier(2)
    results: list = []

    def run():
        start.wait()
        return dispatch_send(
            dispatch=Dispatch.objects.get(pk=dispatch.pk), batch_size=7
        )

    threads = [_in_thread(run, results) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in results) == 40
    counts = Counter(_recipients())
    assert len(counts) == 40
    assert set(counts.values()) == {1}


def test_messages_sent_by_a_run_taken_for_dead_are_still_recorded_as_sent(
    issue, briefing_list, readers, renders
):
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)

    class Slow(DjangoEmailSendingBackend):
        def send(self, message):
            # Meanwhile another run, believing this one dead, marks its
            # claimed rows uncertain.
            Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.UNCERTAIN, error=UNCERTAIN
            )
            super().send(message)

    report = dispatch_send(dispatch=dispatch, backend=Slow())
    assert report.sent == 4
    assert dispatch_progress(dispatch=dispatch)["sent"] == 4
    # Nothing is left for a retry to send a second time.
    assert dispatch_retry_failed(dispatch=dispatch) == 0
