"""What we hold about subscribers, for how long, and how it goes.

The privacy notice states these figures (from the settings below), and
`subscribers_purge` makes them true; run it daily (`manage.py
purge_subscribers` from cron, or `subscribers_purge_task` from a scheduler).

- A sign-up never confirmed is deleted after NEWSLETTER_PENDING_DAYS.
- A subscriber who left (unsubscribed, bounced, complained) is deleted
  NEWSLETTER_LEFT_DAYS after leaving (until then their own link can bring
  them back). What stays is a suppression entry, a keyed hash of the
  address, so that nobody is mailed again without a new double opt-in, and
  their consent records, under the same hash, for
  NEWSLETTER_CONSENT_RETENTION_DAYS.
- Erasure on request (by the person, or by staff for them) deletes
  everything at once but the suppression entry.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from briefings.newsletter.choices import (
    ConsentAction,
    SubscriberStatus,
    SuppressionReason,
)
from briefings.newsletter.models import (
    SUPPRESSED_STATUSES,
    ConsentRecord,
    Delivery,
    Subscriber,
    Suppression,
    address_hash,
    address_hashes,
)


@dataclass(frozen=True)
class Retention:
    pending_days: int
    left_days: int
    consent_days: int

    @property
    def consent_years(self) -> int:
        return max(1, round(self.consent_days / 365))


def retention() -> Retention:
    """The retention periods the notice states and the purge applies."""
    return Retention(
        pending_days=getattr(settings, "NEWSLETTER_PENDING_DAYS", 7),
        left_days=getattr(settings, "NEWSLETTER_LEFT_DAYS", 30),
        consent_days=getattr(settings, "NEWSLETTER_CONSENT_RETENTION_DAYS", 3 * 365),
    )


def address_is_suppressed(email: str) -> bool:
    """Whether the address left or was erased, and has not opted in since."""
    return Suppression.objects.filter(email_hash__in=address_hashes(email)).exists()


def suppressed_among(emails) -> set[str]:
    """Those of the addresses that are suppressed (one query)."""
    by_hash = {}
    for email in emails:
        for value in address_hashes(email):
            by_hash[value] = email
    found = Suppression.objects.filter(email_hash__in=by_hash).values_list(
        "email_hash", flat=True
    )
    return {by_hash[value] for value in found}


def suppression_lift(email: str) -> None:
    """The person opted in again with a new double opt-in."""
    Suppression.objects.filter(email_hash__in=address_hashes(email)).delete()


def _suppress(email: str, reason: str) -> None:
    Suppression.objects.update_or_create(
        email_hash=address_hash(email), defaults={"reason": reason}
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def subscriber_data_export(*, subscriber: Subscriber) -> dict:
    """Everything held about one subscriber, as plain data (for JSON)."""
    subscriptions = subscriber.subscriptions.select_related("mailing_list").order_by(
        "created_at", "pk"
    )
    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("dispatch__page", "dispatch__mailing_list")
        .order_by("pk")
    )
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "language": subscriber.language,
        "status": subscriber.status,
        "created_at": _iso(subscriber.created_at),
        "confirmed_at": _iso(subscriber.confirmed_at),
        "status_changed_at": _iso(subscriber.status_changed_at),
        "subscriptions": [
            {
                "list": subscription.mailing_list.name,
                "active": subscription.active,
                "since": _iso(subscription.created_at),
                "ended_at": _iso(subscription.ended_at),
            }
            for subscription in subscriptions
        ],
        "consent_records": [
            {
                "action": record.action,
                "when": _iso(record.created_at),
                "lists": record.list_names,
                "text_agreed": record.form_text,
                "language": record.language,
                "source": record.source,
            }
            for record in subscriber.consents.order_by("created_at", "pk")
        ],
        "emails_sent": [
            {
                "issue": delivery.dispatch.page.title,
                "list": delivery.dispatch.mailing_list.name,
                "status": delivery.status,
                "sent_at": _iso(delivery.sent_at),
            }
            for delivery in deliveries
        ],
        "retention": asdict(retention()),
    }


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Erase a person on request: only a hashed suppression entry stays."""
    with transaction.atomic():
        _suppress(subscriber.email, SuppressionReason.ERASED)
        ConsentRecord.objects.filter(
            Q(subscriber=subscriber)
            | Q(email_hash__in=address_hashes(subscriber.email))
        ).delete()
        subscriber.delete()


@dataclass
class PurgeReport:
    pending_deleted: int = 0
    left_deleted: int = 0
    consents_deleted: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def subscribers_purge(*, now=None) -> PurgeReport:
    """Apply the stated retention periods (see the module's docstring)."""
    now = now or timezone.now()
    periods = retention()
    report = PurgeReport()

    pending_cutoff = now - timedelta(days=periods.pending_days)
    stale = (
        Subscriber.objects.filter(
            status=SubscriberStatus.PENDING,
            created_at__lt=pending_cutoff,
        )
        .annotate(last_request=Max("consents__created_at"))
        .filter(Q(last_request__isnull=True) | Q(last_request__lt=pending_cutoff))
        .filter(
            Q(status_changed_at__isnull=True) | Q(status_changed_at__lt=pending_cutoff)
        )
    )
    for subscriber in stale:
        with transaction.atomic():
            # A request never confirmed is no consent: it goes. Consent an
            # earlier address gave (before staff changed it) is evidence.
            subscriber.consents.filter(action=ConsentAction.REQUESTED).delete()
            subscriber.consents.update(subscriber=None)
            subscriber.delete()
        report.pending_deleted += 1

    left_cutoff = now - timedelta(days=periods.left_days)
    left = Subscriber.objects.filter(status__in=SUPPRESSED_STATUSES).filter(
        Q(status_changed_at__lt=left_cutoff)
        | Q(status_changed_at__isnull=True, created_at__lt=left_cutoff)
    )
    for subscriber in left:
        with transaction.atomic():
            _suppress(subscriber.email, subscriber.status)
            email_hash = address_hash(subscriber.email)
            subscriber.consents.filter(email_hash="").update(email_hash=email_hash)
            ConsentRecord.objects.create(
                subscriber=None,
                email_hash=email_hash,
                action=ConsentAction.ERASED,
                created_at=now,
                source=f"retention: deleted {periods.left_days} days after leaving",
            )
            subscriber.consents.update(subscriber=None)
            subscriber.delete()
        report.left_deleted += 1

    consent_cutoff = now - timedelta(days=periods.consent_days)
    expired = (
        ConsentRecord.objects.filter(subscriber__isnull=True)
        .values("email_hash")
        .annotate(last=Max("created_at"))
        .filter(last__lt=consent_cutoff)
        .values_list("email_hash", flat=True)
    )
    report.consents_deleted, _ = ConsentRecord.objects.filter(
        subscriber__isnull=True, email_hash__in=list(expired)
    ).delete()
    return report
