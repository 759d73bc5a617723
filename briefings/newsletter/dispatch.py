"""Sending one digest issue to one mailing list: exactly once per subscriber.

`dispatch_create` records a delivery row per recipient before anything is
sent. `dispatch_send` then sends them one by one, and each message leaves a
committed trace on both sides of the hand-over to the backend:

1. the row is claimed (`pending` → `sending`, naming the run) by a
   conditional UPDATE that also requires the run to hold the dispatch;
2. the message is handed to the backend;
3. the backend's answer is recorded at once (`sent`, `failed`).

Only the run whose UPDATE moved a row out of `pending` ever sends it, so two
runs never send the same row, on SQLite as on PostgreSQL (no row locks
needed). A run killed between 2 and 3 leaves exactly one row `sending`: the
run that takes the dispatch over marks it `uncertain`, and nothing sends an
uncertain row again unless staff say so ("send to these anyway").

The dispatch is leased to one run at a time (`runner`, `lease_until`). A
heartbeat renews the lease every few seconds while the run lives, in a
thread of its own, so a run that waits on a slow provider keeps it; the
renewal is conditional on still holding the lease, and a run that lost it
(or whose dispatch was paused or cancelled) stops before its next message. A
lease that ran out means its worker died: any worker takes the dispatch over,
`dispatch_leases_recover` (run by the scheduler every minute) does it on its
own, and the admin offers "Resume" as soon as the lease ran out. A
django-tasks row left RUNNING by a dead worker blocks nothing: the lease is
the only lock.
"""

import logging
import os
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.sql import UpdateQuery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from wagtail.models import Page

from briefings.email.render import (
    PREFERENCES_PLACEHOLDER,
    UNSUBSCRIBE_PLACEHOLDER,
    render_digest_email,
)
from briefings.newsletter import tokens
from briefings.newsletter.choices import (
    DeliveryStatus,
    DispatchStatus,
    SubscriberStatus,
)
from briefings.newsletter.clicks import rendering_prepare
from briefings.newsletter.models import (
    Delivery,
    Dispatch,
    MailingList,
    Subscriber,
    Subscription,
)
from briefings.newsletter.privacy import suppressed_among
from briefings.newsletter.send import (
    OutgoingMessage,
    RecipientRefused,
    address_checked,
    delivery_message_id,
    mail_domain,
    mailbox,
    phrase,
    sending_backend_get,
)
from briefings.newsletter.subscriptions import site_base_url

DEFAULT_BATCH_SIZE = 500
# A dead worker's dispatch is taken over once its lease ran out; the
# scheduler looks every minute, so within about two minutes.
DEFAULT_LEASE_SECONDS = 60
DEFAULT_HEARTBEAT_SECONDS = 5
CREATE_CHUNK = 2000
PACE_WINDOW = timedelta(minutes=5)
TOKEN_SLOT = "__token__"  # noqa: S105 - a slot in a URL, not a secret
UNCERTAIN = "The worker stopped while sending: this message may or may not have left."
# A dispatch a run may take (the others are paused or over).
RUNNABLE = (DispatchStatus.QUEUED, DispatchStatus.SENDING)
UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)

logger = logging.getLogger(__name__)


class DispatchRefused(Exception):
    """This issue cannot go to this list (a clear reason for staff)."""


@dataclass
class DispatchReport:
    dispatch_id: int
    busy: bool = False
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    uncertain: int = 0
    batches: int = 0
    # Why the run stopped before the end: "paused", "cancelled", "lease lost".
    stopped: str = ""
    renders: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "dispatch_id": self.dispatch_id,
            "busy": self.busy,
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "uncertain": self.uncertain,
            "batches": self.batches,
            "stopped": self.stopped,
        }


def lease_seconds() -> float:
    return float(
        getattr(settings, "NEWSLETTER_DISPATCH_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    )


def heartbeat_seconds() -> float:
    return float(
        getattr(
            settings, "NEWSLETTER_DISPATCH_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS
        )
    )


def _render(page, *, base_url: str, language: str | None = None):
    return render_digest_email(page, base_url=base_url, language=language)


def issue_translations(page: Page) -> dict[str, Page]:
    """The live translations of an issue, by language code (specific pages)."""
    pages = (
        page.get_translations(inclusive=True).live().select_related("locale").specific()
    )
    return {translation.locale.language_code: translation for translation in pages}


def _language_for(language: str, available: dict[str, Page]) -> str:
    if language in available:
        return language
    if settings.LANGUAGE_CODE in available:
        return settings.LANGUAGE_CODE
    return next(iter(sorted(available)))


def _reader_language(chosen: str, fallback: str) -> str:
    """The reader's own language when the site has it, else the issue's."""
    return chosen if chosen in dict(settings.LANGUAGES) else fallback


def recipients_by_language(*, page: Page, mailing_list: MailingList) -> dict[str, int]:
    """How many subscribers would get the issue, in each language they would get."""
    available = issue_translations(page)
    counts: Counter = Counter()
    rows = (
        Subscriber.objects.receiving(mailing_list)
        .values_list("language")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for language, count in rows:
        counts[_language_for(language, available)] += count
    return dict(sorted(counts.items()))


def recipients_sample(
    *, page: Page, mailing_list: MailingList, count: int = 3
) -> list[tuple[str, str]]:
    """A few subscribers who would get the issue, with the language they would
    get it in (the first to have subscribed, so the sample is stable)."""
    available = issue_translations(page)
    rows = (
        Subscriber.objects.receiving(mailing_list)
        .order_by("pk")
        .values_list("email", "language")[:count]
    )
    return [(email, _language_for(language, available)) for email, language in rows]


def dispatch_for(*, page: Page, mailing_list: MailingList) -> Dispatch | None:
    """The dispatch of this issue (in any language) to this list, if any."""
    return Dispatch.objects.filter(
        mailing_list=mailing_list, page__translation_key=page.translation_key
    ).first()


def sender_check(mailing_list: MailingList) -> None:
    """Raise DispatchRefused when the list's sender or reply-to is not one
    plain address (it would fail every message, or steer a header)."""
    for label, address in (
        (_("sender address"), mailing_list.from_email),
        (_("reply-to address"), mailing_list.reply_to),
    ):
        if label == _("reply-to address") and not address:
            continue
        try:
            address_checked(address)
        except RecipientRefused:
            raise DispatchRefused(
                _(
                    "The %(label)s of the list “%(list)s” is not a valid address "
                    "(%(address)s): correct it in the list's settings, then send."
                )
                % {"label": label, "list": mailing_list, "address": address}
            ) from None


def dispatch_check(*, page: Page, mailing_list: MailingList) -> None:
    """Raise DispatchRefused when this issue may not go to this list."""
    page = page.specific
    if not page.live:
        raise DispatchRefused("Only a published issue can be sent.")
    if not mailing_list.carries(page):
        raise DispatchRefused(
            f"The list “{mailing_list}” does not carry this kind of digest."
        )
    sender_check(mailing_list)
    if Dispatch.objects.filter(
        mailing_list=mailing_list, page__translation_key=page.translation_key
    ).exists():
        raise DispatchRefused(f"This issue has already been sent to “{mailing_list}”.")


def dispatch_create(*, page: Page, mailing_list: MailingList, user=None) -> Dispatch:
    """Record the dispatch and one delivery row per recipient, in one transaction."""
    available = issue_translations(page)
    with transaction.atomic():
        # One creation at a time per list: the check below then holds.
        MailingList.objects.select_for_update().get(pk=mailing_list.pk)
        dispatch_check(page=page, mailing_list=mailing_list)
        dispatch = Dispatch.objects.create(
            page=page, mailing_list=mailing_list, created_by=user
        )
        recipients = (
            Subscriber.objects.receiving(mailing_list)
            .values_list("pk", "language")
            .order_by("pk")
        )
        # In chunks: bulk_create holds all it is given in memory at once.
        chunk: list[Delivery] = []
        for subscriber_id, language in recipients.iterator(chunk_size=CREATE_CHUNK):
            chunk.append(
                Delivery(
                    dispatch=dispatch,
                    subscriber_id=subscriber_id,
                    language=_language_for(language, available),
                )
            )
            if len(chunk) >= CREATE_CHUNK:
                Delivery.objects.bulk_create(chunk)
                chunk = []
        if chunk:
            Delivery.objects.bulk_create(chunk)
        dispatch.total = dispatch.deliveries.count()
        dispatch.save(update_fields=["total"])
    return dispatch


# The lease -----------------------------------------------------------------


def _runner_id() -> str:
    """Which worker runs: host and process for staff, and a unique part."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def _orphans_uncertain(dispatch_id: int, runner: str) -> int:
    """Rows another run handed to the backend without recording the answer."""
    return (
        Delivery.objects.filter(dispatch_id=dispatch_id, status=DeliveryStatus.SENDING)
        .exclude(claim=runner)
        .update(status=DeliveryStatus.UNCERTAIN, error=UNCERTAIN)
    )


def _lease_take(dispatch_id: int, runner: str) -> bool:
    """Take a free or lapsed lease; whatever the last holder left in flight
    becomes uncertain."""
    now = timezone.now()
    with transaction.atomic():
        taken = (
            Dispatch.objects.filter(pk=dispatch_id, status__in=RUNNABLE)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .update(
                runner=runner,
                lease_until=now + timedelta(seconds=lease_seconds()),
                heartbeat_at=now,
                status=DispatchStatus.SENDING,
            )
        )
        if taken:
            _orphans_uncertain(dispatch_id, runner)
            Dispatch.objects.filter(pk=dispatch_id, started_at__isnull=True).update(
                started_at=now
            )
    return bool(taken)


def _lease_renew(dispatch_id: int, runner: str) -> bool:
    """Renew the lease if this run still holds it and may still send."""
    now = timezone.now()
    return bool(
        Dispatch.objects.filter(
            pk=dispatch_id, runner=runner, status=DispatchStatus.SENDING
        ).update(lease_until=now + timedelta(seconds=lease_seconds()), heartbeat_at=now)
    )


def _lease_release(dispatch_id: int, runner: str) -> None:
    Dispatch.objects.filter(pk=dispatch_id, runner=runner).update(
        runner="", lease_until=None
    )


def _why_stopped(dispatch_id: int, runner: str) -> str:
    dispatch = Dispatch.objects.filter(pk=dispatch_id).only("status", "runner").get()
    if dispatch.status == DispatchStatus.PAUSED:
        return "paused"
    if dispatch.status == DispatchStatus.CANCELLED:
        return "cancelled"
    return "lease lost" if dispatch.runner != runner else ""


class _Heartbeat:
    """Renews the lease every few seconds for as long as the worker lives.

    In a thread with its own database connection, so that a message that
    takes longer than the lease (a throttled provider, a rate limit) does not
    lose it. Inside a transaction (tests), another connection would not see
    the dispatch: the main loop renews it itself then, between messages.
    """

    def __init__(self, dispatch_id: int, runner: str) -> None:
        self.dispatch_id = dispatch_id
        self.runner = runner
        self.interval = heartbeat_seconds()
        self.lost = threading.Event()
        self.done = threading.Event()
        self.threaded = not connection.in_atomic_block
        self.thread: threading.Thread | None = None
        self.next_beat = time.monotonic() + self.interval

    def start(self) -> None:
        if self.threaded:
            self.thread = threading.Thread(
                target=self._run, name=f"dispatch-{self.dispatch_id}", daemon=True
            )
            self.thread.start()

    def _run(self) -> None:
        try:
            while not self.done.wait(self.interval):
                if not _lease_renew(self.dispatch_id, self.runner):
                    self.lost.set()
                    return
        except Exception:  # noqa: BLE001 - cannot renew: stop sending, let it lapse
            self.lost.set()
        finally:
            connection.close()

    def alive(self) -> bool:
        """Whether the run may send another message."""
        if self.threaded:
            return not self.lost.is_set()
        if time.monotonic() >= self.next_beat:
            self.next_beat = time.monotonic() + self.interval
            if not _lease_renew(self.dispatch_id, self.runner):
                self.lost.set()
        return not self.lost.is_set()

    def stop(self) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()


class _Composer:
    """Builds each recipient's message from one rendering per language.

    Headers: `From` carries the list's sender name; `List-Id` a quoted (or
    encoded) phrase; every value is encoded where it must be (send.py).
    `List-Unsubscribe` offers only the one-click HTTPS link (RFC 8058): a
    `mailto:` would need inbound mail processing, which the site does not
    run, so it is not offered. The `Message-ID` names the delivery (see
    `delivery_message_id`): the provider's webhooks find the row by it.

    A list whose stored sender or reply-to is not one plain address is
    refused here, before anything is claimed or sent (DispatchRefused).
    """

    def __init__(self, dispatch: Dispatch, report: DispatchReport, render) -> None:
        self.dispatch = dispatch
        self.mailing_list = dispatch.mailing_list
        self.report = report
        self.render = render
        self.base_url = site_base_url()
        self.translations = issue_translations(dispatch.page)
        self.rendered: dict[str, object] = {}
        self.link_prefixes: dict[str, tuple[str, str]] = {}
        try:
            self.from_email = mailbox(
                self.mailing_list.from_name, self.mailing_list.from_email
            )
            if self.mailing_list.reply_to:
                address_checked(self.mailing_list.reply_to)
        except RecipientRefused as error:
            raise DispatchRefused(
                f"The list “{self.mailing_list}” has a sender or reply-to that is "
                f"not one plain address ({error}): correct it in the list's "
                "settings, then send again. Nothing was sent."
            ) from error
        self.domain = mail_domain()
        self.list_id = (
            f"{phrase(self.mailing_list.name)} <{self.mailing_list.slug}.{self.domain}>"
        )

    def _rendering(self, language: str):
        if language not in self.rendered:
            page = self.translations[_language_for(language, self.translations)]
            # The content is the issue's translation (or the default one);
            # the fixed strings and the footer are in the reader's language.
            rendered = self.render(page, base_url=self.base_url, language=language)
            self.report.renders[language] += 1
            # Counted links and the archive: once per language (clicks.py).
            self.rendered[language] = rendering_prepare(
                dispatch=self.dispatch,
                page=page,
                language=language,
                rendered=rendered,
                base_url=self.base_url,
            )
        return self.rendered[language]

    def _links(self, language: str) -> tuple[str, str]:
        if language not in self.link_prefixes:
            with translation.override(language):
                self.link_prefixes[language] = (
                    reverse("newsletter:unsubscribe", kwargs={"token": TOKEN_SLOT}),
                    reverse("newsletter:preferences", kwargs={"token": TOKEN_SLOT}),
                )
        return self.link_prefixes[language]

    def message(self, delivery: Delivery) -> OutgoingMessage:
        subscriber = delivery.subscriber
        # The issue in its translation for the reader (delivery.language), its
        # footer and links in the language the reader chose.
        language = _reader_language(subscriber.language, delivery.language)
        rendered = self._rendering(language)
        unsubscribe_path, preferences_path = self._links(language)
        unsubscribe_token = tokens.link_token_make(
            key=subscriber.key, list_id=self.mailing_list.pk
        )
        preferences_token = tokens.link_token_make(key=subscriber.key)
        unsubscribe = self.base_url + unsubscribe_path.replace(
            TOKEN_SLOT, unsubscribe_token
        )
        preferences = self.base_url + preferences_path.replace(
            TOKEN_SLOT, preferences_token
        )
        html = rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe))
        html = html.replace(PREFERENCES_PLACEHOLDER, escape(preferences))
        text = rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe)
        text = text.replace(PREFERENCES_PLACEHOLDER, preferences)
        message_id = delivery_message_id(delivery, domain=self.domain)
        return OutgoingMessage(
            to=subscriber.email,
            subject=rendered.subject,
            text=text,
            html=html,
            from_email=self.from_email,
            reply_to=self.mailing_list.reply_to,
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": self.list_id,
                "Precedence": "bulk",
                "Auto-Submitted": "auto-generated",
            },
            message_id=message_id,
            metadata={"message_id": message_id, "dispatch": str(self.dispatch.pk)},
        )


# Sending ---------------------------------------------------------------------


def _holding(dispatch_id: int, runner: str):
    """A condition: this run holds the dispatch, and the dispatch may send."""
    return Exists(
        Dispatch.objects.filter(
            pk=dispatch_id, runner=runner, status=DispatchStatus.SENDING
        )
    )


class _Update:
    """One conditional UPDATE, compiled by Django once, run once per message.

    Building an UPDATE through the ORM costs several times what the database
    spends running it, and a dispatch runs two per message. The statement is
    compiled from the queryset once, with stand-in values for what changes
    from one message to the next (`slots`); each run puts the message's
    values in their places. The SQL is the ORM's own, still one statement,
    committed on its own as before.
    """

    def __init__(self, queryset, slots: dict[str, tuple[str, object]], **changes):
        self.using = router.db_for_write(queryset.model)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        connection_ = connections[self.using]
        self.sql, params = query.get_compiler(self.using).as_sql()
        self.params = list(params)
        self.fields = {}
        self.places = {}
        for name, (field_name, stand_in) in slots.items():
            field_ = queryset.model._meta.get_field(field_name)
            prepared = field_.get_db_prep_save(stand_in, connection_)
            places = [n for n, value in enumerate(self.params) if value == prepared]
            if len(places) != 1:
                raise ValueError(f"{name}: {len(places)} places in {self.sql}")
            self.fields[name] = field_
            self.places[name] = places[0]

    def run(self, **values) -> int:
        connection_ = connections[self.using]
        params = list(self.params)
        for name, value in values.items():
            params[self.places[name]] = self.fields[name].get_db_prep_save(
                value, connection_
            )
        with (
            transaction.mark_for_rollback_on_error(using=self.using),
            connection_.cursor() as cursor,
        ):
            cursor.execute(self.sql, params)
            return cursor.rowcount


# Stand-ins for the values a statement takes per message (never real ones).
_SLOT_PK = -7_350_221_904
_SLOT_TIME = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_SLOT_TEXT = "\x00slot\x00"


class _Writes:
    """A run's two writes per message: the claim and the record."""

    def __init__(self, dispatch_id: int, runner: str) -> None:
        self.dispatch_id = dispatch_id
        self.runner = runner
        self.claim = _Update(
            Delivery.objects.filter(pk=_SLOT_PK, status=DeliveryStatus.PENDING).filter(
                _holding(dispatch_id, runner)
            ),
            {"pk": ("id", _SLOT_PK), "now": ("claimed_at", _SLOT_TIME)},
            status=DeliveryStatus.SENDING,
            claim=runner,
            claimed_at=_SLOT_TIME,
            attempts=F("attempts") + 1,
        )
        self.records: dict[str, _Update] = {}

    def record(self, status: str) -> "_Update":
        if status not in self.records:
            slots = {"pk": ("id", _SLOT_PK), "error": ("error", _SLOT_TEXT)}
            changes = {"status": status, "error": _SLOT_TEXT}
            if status == DeliveryStatus.SENT:
                slots["now"] = ("sent_at", _SLOT_TIME)
                changes["sent_at"] = _SLOT_TIME
            self.records[status] = _Update(
                Delivery.objects.filter(
                    pk=_SLOT_PK,
                    claim=self.runner,
                    status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN],
                ),
                slots,
                **changes,
            )
        return self.records[status]


def _claim(delivery: Delivery, writes: _Writes) -> bool:
    """pending → sending, only for the run that holds the dispatch."""
    return bool(writes.claim.run(pk=delivery.pk, now=timezone.now()))


def _record(delivery: Delivery, writes: _Writes, status: str, error: str = "") -> None:
    """The backend's answer, committed at once. What left is recorded as sent
    even if a run that took this one for dead marked it uncertain meanwhile:
    that is the truth."""
    values = {"pk": delivery.pk, "error": error[:2000]}
    if status == DeliveryStatus.SENT:
        values["now"] = timezone.now()
    writes.record(status).run(**values)


def _pending_chunk(dispatch: Dispatch, after: int, size: int) -> list[Delivery]:
    active = Subscription.objects.filter(
        subscriber=OuterRef("subscriber"),
        mailing_list_id=dispatch.mailing_list_id,
        active=True,
    )
    return list(
        Delivery.objects.filter(
            dispatch=dispatch, status=DeliveryStatus.PENDING, pk__gt=after
        )
        .select_related("subscriber")
        .annotate(still_subscribed=Exists(active))
        .order_by("pk")[:size]
    )


def dispatch_send(
    *, dispatch: Dispatch, batch_size: int = DEFAULT_BATCH_SIZE, backend=None
) -> DispatchReport:
    """Send what is pending of a dispatch, one message at a time, one run at a
    time; each answer is committed as soon as the backend gives it."""
    report = DispatchReport(dispatch_id=dispatch.pk)
    runner = _runner_id()
    if not _lease_take(dispatch.pk, runner):
        report.busy = True
        return report
    started = time.perf_counter()
    heartbeat = _Heartbeat(dispatch.pk, runner)
    try:
        dispatch = Dispatch.objects.select_related("mailing_list", "page").get(
            pk=dispatch.pk
        )
        try:
            composer = _Composer(dispatch, report, _render)
        except (RecipientRefused, DispatchRefused) as error:
            # A sender address made invalid after the dispatch was created:
            # nothing can go out; staff correct it and resume.
            _dispatch_hold(dispatch.pk, runner, str(error))
            report.stopped = "paused"
            return report
        heartbeat.start()
        backend = backend or sending_backend_get()
        with backend.session():
            _send_pending(
                dispatch, runner, composer, backend, heartbeat, report, batch_size
            )
    finally:
        heartbeat.stop()
        _lease_release(dispatch.pk, runner)
        dispatch_status_update(dispatch=dispatch)
        _dispatch_log(dispatch, report, time.perf_counter() - started)
    return report


def _dispatch_log(dispatch: Dispatch, report: DispatchReport, seconds: float) -> None:
    """One structured record per run: counts only, never an address.

    Called in `finally`: an exception on its way out is named by its class.
    """
    error = sys.exc_info()[1]
    troubled = error is not None or report.failed or report.uncertain
    logger.log(
        logging.WARNING if troubled else logging.INFO,
        "Dispatch %s of issue %s to list %s: %s sent, %s failed",
        dispatch.pk,
        dispatch.page_id,
        dispatch.mailing_list.slug,
        report.sent,
        report.failed,
        extra={
            "event": "dispatch",
            "dispatch_id": dispatch.pk,
            "issue_id": dispatch.page_id,
            "list": dispatch.mailing_list.slug,
            "recipients": dispatch.total,
            "sent": report.sent,
            "failed": report.failed,
            "uncertain": report.uncertain,
            "skipped": report.skipped,
            "batches": report.batches,
            # Why the run ended early ("paused", "cancelled", "lease lost").
            "stopped": report.stopped,
            "error_class": type(error).__name__ if error else "",
            "duration_seconds": round(seconds, 3),
        },
    )


def _dispatch_hold(dispatch_id: int, runner: str, reason: str) -> None:
    Dispatch.objects.filter(pk=dispatch_id, runner=runner).update(
        status=DispatchStatus.PAUSED,
        stop_reason=_("Nothing can be sent: %(reason)s. Correct the list, then resume.")
        % {"reason": reason},
    )


def _send_pending(dispatch, runner, composer, backend, heartbeat, report, size):
    writes = _Writes(dispatch.pk, runner)
    after = 0
    while chunk := _pending_chunk(dispatch, after, size):
        after = chunk[-1].pk
        report.batches += 1
        # An address on the suppression list is never mailed (defence in
        # depth: only a new confirmation lifts it, and that removes the entry).
        suppressed = suppressed_among(delivery.subscriber.email for delivery in chunk)
        sendable = []
        skipped = []
        for delivery in chunk:
            subscriber = delivery.subscriber
            if (
                subscriber.status != SubscriberStatus.CONFIRMED
                or not delivery.still_subscribed
                or subscriber.email in suppressed
            ):
                skipped.append(delivery.pk)
            else:
                sendable.append(delivery)
        if skipped:
            report.skipped += (
                Delivery.objects.filter(pk__in=skipped, status=DeliveryStatus.PENDING)
                .filter(_holding(dispatch.pk, runner))
                .update(status=DeliveryStatus.SKIPPED)
            )
        for delivery in sendable:
            if not _send_one(delivery, writes, composer, backend, heartbeat, report):
                report.stopped = _why_stopped(dispatch.pk, runner) or "lease lost"
                return


def _send_one(delivery, writes, composer, backend, heartbeat, report) -> bool:
    """Claim, send, record one message; False when the run must stop."""
    if not heartbeat.alive():
        return False
    try:
        message = composer.message(delivery)
    except RecipientRefused as error:
        message, refused = None, str(error)
    if not _claim(delivery, writes):
        # Cancelled meanwhile (the row is no longer pending), or this run
        # lost the dispatch (paused, cancelled, taken over).
        return not _why_stopped(delivery.dispatch_id, writes.runner)
    if message is None:
        _record(delivery, writes, DeliveryStatus.FAILED, refused)
        report.failed += 1
        return True
    try:
        backend.send(message)
    except RecipientRefused as error:
        _record(delivery, writes, DeliveryStatus.FAILED, str(error))
        report.failed += 1
        return True
    except BaseException as error:
        # The backend broke in the middle of this message: it may have left.
        _record(delivery, writes, DeliveryStatus.UNCERTAIN, f"{UNCERTAIN} ({error!r})")
        report.uncertain += 1
        raise
    _record(delivery, writes, DeliveryStatus.SENT)
    report.sent += 1
    return True


def dispatch_status_update(*, dispatch: Dispatch) -> Dispatch:
    """Set the dispatch's status from its deliveries once nothing is left."""
    if Delivery.objects.filter(dispatch=dispatch, status__in=UNFINISHED).exists():
        return dispatch
    now = timezone.now()
    cancelled = Dispatch.objects.filter(pk=dispatch.pk, status=DispatchStatus.CANCELLED)
    cancelled.filter(finished_at__isnull=True).update(finished_at=now)
    if cancelled.exists():
        dispatch.status = DispatchStatus.CANCELLED
        return dispatch
    troubled = Delivery.objects.filter(
        dispatch=dispatch,
        status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN],
    ).exists()
    status = DispatchStatus.DONE_WITH_FAILURES if troubled else DispatchStatus.DONE
    Dispatch.objects.filter(pk=dispatch.pk).exclude(
        status=DispatchStatus.CANCELLED
    ).update(status=status, finished_at=now, stop_reason="")
    dispatch.status = status
    return dispatch


# What staff decide -------------------------------------------------------------


def dispatch_is_stalled(dispatch: Dispatch, *, now=None) -> bool:
    """Whether a dispatch that should be sending has no live worker: its lease
    ran out (or it never had one), and something is left to send."""
    now = now or timezone.now()
    if dispatch.status == DispatchStatus.SENDING:
        pass
    elif dispatch.status == DispatchStatus.QUEUED:
        # A fresh dispatch waits for a worker to pick its task up.
        if dispatch.created_at > now - 2 * timedelta(seconds=lease_seconds()):
            return False
    else:
        return False
    if dispatch.lease_until is not None and dispatch.lease_until >= now:
        return False
    return Delivery.objects.filter(dispatch=dispatch, status__in=UNFINISHED).exists()


def _reopen(dispatch_id: int) -> None:
    Dispatch.objects.filter(
        pk=dispatch_id,
        status__in=[DispatchStatus.DONE, DispatchStatus.DONE_WITH_FAILURES],
    ).update(status=DispatchStatus.SENDING, finished_at=None)


def dispatch_pause(*, dispatch: Dispatch, user=None) -> bool:
    """Stop sending before the next message, until resumed."""
    return bool(
        Dispatch.objects.filter(pk=dispatch.pk, status__in=RUNNABLE).update(
            status=DispatchStatus.PAUSED,
            paused_by=user,
            stop_reason=_("Paused by staff."),
        )
    )


def dispatch_resume(*, dispatch: Dispatch) -> bool:
    """Let a paused or stalled dispatch send again; True when a worker should
    be started (the caller enqueues it). A stalled dispatch's lease is left
    to the worker, which takes it only once it ran out."""
    Dispatch.objects.filter(pk=dispatch.pk, status=DispatchStatus.PAUSED).update(
        status=DispatchStatus.SENDING, stop_reason=""
    )
    dispatch.refresh_from_db()
    return dispatch.status in RUNNABLE and (
        Delivery.objects.filter(dispatch=dispatch, status__in=UNFINISHED).exists()
    )


def dispatch_cancel(*, dispatch: Dispatch, user=None) -> int:
    """Stop for good: what was not sent is recorded "not sent (cancelled)";
    returns how many. What was sent stays recorded as sent."""
    now = timezone.now()
    with transaction.atomic():
        changed = Dispatch.objects.filter(
            pk=dispatch.pk,
            status__in=[*RUNNABLE, DispatchStatus.PAUSED],
        ).update(
            status=DispatchStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=user,
            stop_reason="",
        )
        if not changed:
            return 0
        count = Delivery.objects.filter(
            dispatch=dispatch, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.CANCELLED)
        # A dead worker's message in flight stays in doubt; a live worker
        # records its own answer.
        lapsed = Dispatch.objects.filter(pk=dispatch.pk).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )
        if lapsed.exists():
            _orphans_uncertain(dispatch.pk, runner="")
    dispatch_status_update(dispatch=dispatch)
    return count


def dispatch_retry_failed(*, dispatch: Dispatch) -> int:
    """Put failed deliveries back in the queue; returns how many. Messages in
    doubt are not failures: see dispatch_uncertain_send."""
    return _requeue(dispatch, DeliveryStatus.FAILED)


def dispatch_uncertain_send(*, dispatch: Dispatch) -> int:
    """Staff's decision: send the messages in doubt again, knowing that some
    of these people may get the issue twice. Returns how many."""
    return _requeue(dispatch, DeliveryStatus.UNCERTAIN)


def _requeue(dispatch: Dispatch, status: str) -> int:
    """Put the deliveries in `status` back in the queue; returns how many."""
    if dispatch.status == DispatchStatus.CANCELLED:
        return 0
    count = Delivery.objects.filter(dispatch=dispatch, status=status).update(
        status=DeliveryStatus.PENDING, claim="", claimed_at=None
    )
    if count:
        _reopen(dispatch.pk)
    return count


def dispatch_uncertain_drop(*, dispatch: Dispatch) -> int:
    """Staff's decision: treat the messages in doubt as not sent (nobody gets
    a second copy; some may get none). Returns how many."""
    count = Delivery.objects.filter(
        dispatch=dispatch, status=DeliveryStatus.UNCERTAIN
    ).update(status=DeliveryStatus.NOT_SENT)
    if count:
        _reopen(dispatch.pk)
        dispatch_status_update(dispatch=dispatch)
    return count


def dispatch_leases_recover(*, enqueue=None) -> int:
    """Start a worker for every dispatch whose worker died (its lease ran
    out); returns how many. For the scheduler, every minute."""
    if enqueue is None:
        # Tasks call this module; the task is looked up when needed.
        from briefings.newsletter.tasks import dispatch_send_task  # noqa: PLC0415

        enqueue = dispatch_send_task.enqueue
    now = timezone.now()
    candidates = Dispatch.objects.filter(status__in=RUNNABLE).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    resumed = 0
    for dispatch in candidates:
        if dispatch_is_stalled(dispatch, now=now):
            enqueue(dispatch.pk)
            resumed += 1
    return resumed


# What staff see ----------------------------------------------------------------


def dispatch_progress(*, dispatch: Dispatch) -> dict[str, int]:
    """Deliveries by status, plus the total (one query)."""
    counts = dict(
        Delivery.objects.filter(dispatch=dispatch)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    progress = {status.value: counts.get(status.value, 0) for status in DeliveryStatus}
    progress["total"] = sum(counts.values())
    return progress


@dataclass
class Pace:
    per_minute: float
    estimated_end: object  # a datetime, or None when it cannot be told


def dispatch_pace(
    *, dispatch: Dispatch, pending: int, window: timedelta = PACE_WINDOW, now=None
) -> Pace | None:
    """Messages per minute over the last minutes (from what was recorded
    sent), and when the pending ones should be out at that pace."""
    now = now or timezone.now()
    recent = Delivery.objects.filter(
        dispatch=dispatch, sent_at__gte=now - window
    ).aggregate(count=Count("pk"), first=Min("sent_at"), last=Max("sent_at"))
    if not recent["count"]:
        return None
    since = recent["first"]
    if dispatch.started_at and dispatch.started_at > since:
        since = dispatch.started_at
    seconds = max((now - since).total_seconds(), 1.0)
    per_minute = recent["count"] * 60 / seconds
    end = None
    if pending and dispatch.status == DispatchStatus.SENDING:
        end = now + timedelta(minutes=pending / per_minute)
    return Pace(per_minute=round(per_minute, 1), estimated_end=end)


def digest_send_test(
    *, page: Page, mailing_list: MailingList | None, to_email: str, backend=None
) -> None:
    """Send an issue to one address (a staff member), as the list would send it."""
    page = page.specific
    base_url = site_base_url()
    rendered = _render(page, base_url=base_url)
    with translation.override(page.locale.language_code):
        subscribe = base_url + reverse("newsletter:subscribe")
    html = rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, escape(subscribe))
    html = html.replace(PREFERENCES_PLACEHOLDER, escape(subscribe))
    text = rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, subscribe)
    text = text.replace(PREFERENCES_PLACEHOLDER, subscribe)
    message = OutgoingMessage(
        to=to_email,
        subject=f"[TEST] {rendered.subject}",
        text=text,
        html=html,
        from_email=(
            mailbox(mailing_list.from_name, mailing_list.from_email)
            if mailing_list
            else settings.DEFAULT_FROM_EMAIL
        ),
        reply_to=mailing_list.reply_to if mailing_list else "",
    )
    (backend or sending_backend_get()).send(message)
