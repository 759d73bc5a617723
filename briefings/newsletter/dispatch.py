"""Sending one digest issue to one mailing list: exactly once per subscriber.

`dispatch_create` records a delivery row per recipient in one transaction
before anything is sent. `dispatch_send` then works in batches: it claims
pending rows (`SELECT … FOR UPDATE SKIP LOCKED` where the database has it, and
a claim column either way), sends them, and marks them sent. The dispatch
itself is leased to one run at a time, so a second worker leaves at once.
If the sending backend raises mid-batch, what was sent is marked sent and the
rest goes back to pending, so a re-run sends only what was not sent. Rows a
killed worker left claimed are never sent again on their own: once the lease
has run out they are marked failed ("uncertain") for staff to retry.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

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
LEASE = timedelta(minutes=15)
# A claim this old belongs to a worker that is gone (leases are renewed after
# every batch, and a batch takes seconds).
STALE_CLAIM = 2 * LEASE
TOKEN_SLOT = "__token__"  # noqa: S105 - a slot in a URL, not a secret
UNCERTAIN = "The worker stopped while sending: this message may or may not have left."


class DispatchRefused(Exception):
    """This issue cannot go to this list (a clear reason for staff)."""


@dataclass
class DispatchReport:
    dispatch_id: int
    busy: bool = False
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    batches: int = 0
    renders: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "dispatch_id": self.dispatch_id,
            "busy": self.busy,
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "batches": self.batches,
        }


def _render(page, *, base_url: str):
    return render_digest_email(page, base_url=base_url)


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


def dispatch_for(*, page: Page, mailing_list: MailingList) -> Dispatch | None:
    """The dispatch of this issue (in any language) to this list, if any."""
    return Dispatch.objects.filter(
        mailing_list=mailing_list, page__translation_key=page.translation_key
    ).first()


def dispatch_check(*, page: Page, mailing_list: MailingList) -> None:
    """Raise DispatchRefused when this issue may not go to this list."""
    page = page.specific
    if not page.live:
        raise DispatchRefused("Only a published issue can be sent.")
    if not mailing_list.carries(page):
        raise DispatchRefused(
            f"The list “{mailing_list}” does not carry this kind of digest."
        )
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
        recipients = Subscriber.objects.receiving(mailing_list).values_list(
            "pk", "language"
        )
        Delivery.objects.bulk_create(
            (
                Delivery(
                    dispatch=dispatch,
                    subscriber_id=subscriber_id,
                    language=_language_for(language, available),
                )
                for subscriber_id, language in recipients.iterator()
            ),
            batch_size=1000,
        )
        dispatch.total = dispatch.deliveries.count()
        dispatch.save(update_fields=["total"])
    return dispatch


def _lease_take(dispatch: Dispatch, runner: str) -> bool:
    now = timezone.now()
    free = Dispatch.objects.filter(pk=dispatch.pk).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    return bool(free.update(runner=runner, lease_until=now + LEASE))


def _lease_renew(dispatch: Dispatch, runner: str) -> None:
    Dispatch.objects.filter(pk=dispatch.pk, runner=runner).update(
        lease_until=timezone.now() + LEASE
    )


def _stale_claims_fail(dispatch: Dispatch) -> int:
    """Rows a dead worker left claimed: never resent on their own."""
    return Delivery.objects.filter(
        dispatch=dispatch,
        status=DeliveryStatus.SENDING,
        claimed_at__lt=timezone.now() - STALE_CLAIM,
    ).update(status=DeliveryStatus.FAILED, error=UNCERTAIN, claim="")


def _batch_claim(dispatch: Dispatch, runner: str, size: int) -> list[Delivery]:
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(dispatch=dispatch, status=DeliveryStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING,
            claim=runner,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    active = Subscription.objects.filter(
        subscriber=OuterRef("subscriber"),
        mailing_list_id=dispatch.mailing_list_id,
        active=True,
    )
    return list(
        Delivery.objects.filter(pk__in=ids, claim=runner, status=DeliveryStatus.SENDING)
        .select_related("subscriber")
        .annotate(still_subscribed=Exists(active))
        .order_by("pk")
    )


def _batch_record(
    runner: str,
    claimed: list[int],
    sent: list[int],
    failed: dict[int, str],
    skipped: list[int],
) -> None:
    now = timezone.now()
    with transaction.atomic():
        # What left is recorded as sent even if a later run, taking this one
        # for dead, marked it uncertain meanwhile: that is the truth.
        Delivery.objects.filter(
            pk__in=sent, status__in=[DeliveryStatus.SENDING, DeliveryStatus.FAILED]
        ).update(status=DeliveryStatus.SENT, sent_at=now, claim="", error="")
        Delivery.objects.filter(pk__in=skipped, claim=runner).update(
            status=DeliveryStatus.SKIPPED, claim=""
        )
        for pk, reason in failed.items():
            Delivery.objects.filter(pk=pk, claim=runner).update(
                status=DeliveryStatus.FAILED, error=reason[:2000], claim=""
            )
        done = {*sent, *failed, *skipped}
        # Claimed but never tried (the backend raised): back to pending.
        Delivery.objects.filter(
            pk__in=[pk for pk in claimed if pk not in done], claim=runner
        ).update(status=DeliveryStatus.PENDING, claim="", claimed_at=None)


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
            self.rendered[language] = self.render(page, base_url=self.base_url)
            self.report.renders[language] += 1
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
        rendered = self._rendering(delivery.language)
        unsubscribe_path, preferences_path = self._links(delivery.language)
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


def dispatch_send(
    *, dispatch: Dispatch, batch_size: int = DEFAULT_BATCH_SIZE, backend=None
) -> DispatchReport:
    """Send what is pending of a dispatch, in batches; one run at a time."""
    report = DispatchReport(dispatch_id=dispatch.pk)
    runner = uuid.uuid4().hex
    if not _lease_take(dispatch, runner):
        report.busy = True
        return report
    backend = backend or sending_backend_get()
    try:
        _stale_claims_fail(dispatch)
        dispatch = Dispatch.objects.select_related("mailing_list", "page").get(
            pk=dispatch.pk
        )
        if dispatch.started_at is None or dispatch.status == DispatchStatus.QUEUED:
            Dispatch.objects.filter(pk=dispatch.pk).update(
                status=DispatchStatus.SENDING,
                started_at=dispatch.started_at or timezone.now(),
            )
        composer = _Composer(dispatch, report, _render)
        with backend.session():
            while batch := _batch_claim(dispatch, runner, batch_size):
                _batch_send(batch, composer, backend, runner, report)
                _lease_renew(dispatch, runner)
    finally:
        dispatch_status_update(dispatch=dispatch)
        Dispatch.objects.filter(pk=dispatch.pk, runner=runner).update(
            runner="", lease_until=None
        )
    return report


def _batch_send(batch, composer: _Composer, backend, runner, report) -> None:
    sent: list[int] = []
    failed: dict[int, str] = {}
    skipped: list[int] = []
    # An address on the suppression list is never mailed (defence in depth:
    # only a new confirmation lifts it, and that removes the entry).
    suppressed = suppressed_among(delivery.subscriber.email for delivery in batch)
    try:
        for delivery in batch:
            subscriber = delivery.subscriber
            if (
                subscriber.status != SubscriberStatus.CONFIRMED
                or not delivery.still_subscribed
                or subscriber.email in suppressed
            ):
                skipped.append(delivery.pk)
                continue
            try:
                backend.send(composer.message(delivery))
            except RecipientRefused as error:
                failed[delivery.pk] = str(error)
                continue
            sent.append(delivery.pk)
    finally:
        _batch_record(runner, [d.pk for d in batch], sent, failed, skipped)
        report.batches += 1
        report.sent += len(sent)
        report.failed += len(failed)
        report.skipped += len(skipped)


def dispatch_status_update(*, dispatch: Dispatch) -> Dispatch:
    """Set the dispatch's status from its deliveries."""
    unfinished = Delivery.objects.filter(
        dispatch=dispatch,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
    ).exists()
    if unfinished:
        return dispatch
    failures = Delivery.objects.filter(
        dispatch=dispatch, status=DeliveryStatus.FAILED
    ).exists()
    status = DispatchStatus.DONE_WITH_FAILURES if failures else DispatchStatus.DONE
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status=status, finished_at=timezone.now()
    )
    dispatch.status = status
    return dispatch


def dispatch_retry_failed(*, dispatch: Dispatch) -> int:
    """Put failed deliveries back in the queue; returns how many."""
    count = Delivery.objects.filter(
        dispatch=dispatch, status=DeliveryStatus.FAILED
    ).update(status=DeliveryStatus.PENDING, claim="", claimed_at=None)
    if count:
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status=DispatchStatus.SENDING, finished_at=None
        )
    return count


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
