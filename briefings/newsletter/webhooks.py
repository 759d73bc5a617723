"""What the email provider reports about sent messages: django-anymail's webhooks.

Anymail receives each provider's tracking webhook at /anymail/<provider>/
tracking/ (site_config/urls.py), checks it as the provider allows (HTTP basic
auth with ANYMAIL["WEBHOOK_SECRET"] for all; a signature too for Mailgun,
SendGrid, Brevo…), refuses what fails with a 400 and turns the rest into
normalised events. `tracking_received` acts on them:

- a hard bounce or a spam complaint suppresses the address at once: the
  subscriber's status says so, a suppression entry (a keyed hash) bars it
  from every list, and the consent history records why;
- a soft bounce (or a message delayed and never delivered) is counted: after
  NEWSLETTER_SOFT_BOUNCE_LIMIT different messages (3 by default) soft-bounced
  with none delivered since the first of them, the address is suppressed as
  bounced. A message delivered resets the count;
- an unsubscribe at the provider (its own link or list-unsubscribe handling)
  leaves the list of that message, or every list when the message is unknown;
- a refusal by the provider because of an earlier bounce, complaint or
  unsubscribe counts as that; other refusals and failures are only recorded.

Each event lands on its delivery row (found by the Message-ID the composer
set, which anymail returns as metadata or as the message's id, else by
recipient and dispatch) and in the subscriber's delivery events. Opens and
clicks are ignored: the site does not track them. An event the provider sends
twice (same event id) counts once.
"""

import logging
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import receiver
from django.http import HttpResponseForbidden
from django.urls import URLPattern
from django.utils import timezone

from anymail import urls as anymail_urls
from anymail.signals import AnymailTrackingEvent, EventType, RejectReason, tracking

from briefings.newsletter import privacy, subscriptions
from briefings.newsletter.choices import (
    ConsentAction,
    ProviderEvent,
    SubscriberStatus,
    SuppressionReason,
)
from briefings.newsletter.models import (
    ConsentRecord,
    Delivery,
    DeliveryEvent,
    Subscriber,
    address_hash,
    normalize_email,
)
from briefings.newsletter.send import delivery_pk_from_message_id

logger = logging.getLogger(__name__)

DEFAULT_SOFT_BOUNCE_LIMIT = 3
SOFT_KINDS = (ProviderEvent.SOFT_BOUNCE, ProviderEvent.DEFERRED)


def _secret_required(view):
    """Refuse every report while ANYMAIL["WEBHOOK_SECRET"] is unset.

    Anymail itself only warns, and would take anyone's word for a bounce:
    suppressing any address at will. (Mailgun's signature alone would do,
    but one rule for every provider is easier to get right.)
    """

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
            logger.error("Provider webhook refused: ANYMAIL_WEBHOOK_SECRET is not set")
            return HttpResponseForbidden("Webhooks are not configured.")
        return view(request, *args, **kwargs)

    return guarded


def webhook_urlpatterns() -> tuple[list[URLPattern], str]:
    """Anymail's webhook URLs (namespace "anymail"), each behind `_secret_required`."""
    return (
        [
            URLPattern(
                pattern.pattern,
                _secret_required(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
            for pattern in anymail_urls.urlpatterns
        ],
        anymail_urls.app_name,
    )


def soft_bounce_limit() -> int:
    return int(
        getattr(settings, "NEWSLETTER_SOFT_BOUNCE_LIMIT", DEFAULT_SOFT_BOUNCE_LIMIT)
    )


def _field(esp_event, *path):
    value = esp_event
    for key in path:
        try:
            value = value.get(key)
        except AttributeError:
            return None
    return value


def _bounce_is_soft(event: AnymailTrackingEvent) -> bool:
    """Anymail calls some temporary failures "bounced": the provider's own word."""
    esp = event.esp_event
    return (
        _field(esp, "Type") == "SoftBounce"  # Postmark
        or _field(esp, "bounce", "bounceType") in ("Transient", "Undetermined")  # SES
        or _field(esp, "event") == "soft_bounce"  # Brevo
        or _field(esp, "type") == "blocked"  # SendGrid: refused for now
        or _field(esp, "hard_bounce") is False  # Mailjet
    )


_REJECTED = {
    RejectReason.BOUNCED: ProviderEvent.BOUNCED,
    RejectReason.INVALID: ProviderEvent.BOUNCED,
    RejectReason.SPAM: ProviderEvent.COMPLAINED,
    RejectReason.UNSUBSCRIBED: ProviderEvent.UNSUBSCRIBED,
    RejectReason.TIMED_OUT: ProviderEvent.SOFT_BOUNCE,
}


def event_kind(event: AnymailTrackingEvent) -> tuple[str | None, str | None]:
    """(what the event is on the delivery row, what it does to the address)."""
    match event.event_type:
        case EventType.DELIVERED:
            return ProviderEvent.DELIVERED, None
        case EventType.DEFERRED:
            return ProviderEvent.DEFERRED, ProviderEvent.DEFERRED
        case EventType.BOUNCED:
            kind = (
                ProviderEvent.SOFT_BOUNCE
                if _bounce_is_soft(event)
                else ProviderEvent.BOUNCED
            )
            return kind, kind
        case EventType.COMPLAINED:
            return ProviderEvent.COMPLAINED, ProviderEvent.COMPLAINED
        case EventType.UNSUBSCRIBED:
            return ProviderEvent.UNSUBSCRIBED, ProviderEvent.UNSUBSCRIBED
        case EventType.REJECTED:
            return ProviderEvent.REJECTED, _REJECTED.get(event.reject_reason)
        case EventType.FAILED:
            return ProviderEvent.FAILED, None
    return None, None  # queued, sent, opened, clicked, autoresponded…


def _delivery_for(event: AnymailTrackingEvent, recipient: str) -> Delivery | None:
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    for candidate in (metadata.get("message_id"), event.message_id):
        pk = delivery_pk_from_message_id(str(candidate or ""))
        if pk is not None:
            delivery = (
                Delivery.objects.select_related("subscriber", "dispatch")
                .filter(pk=pk)
                .first()
            )
            if delivery and (not recipient or delivery.subscriber.email == recipient):
                return delivery
    dispatch_id = str(metadata.get("dispatch") or "")
    if recipient and dispatch_id.isdigit():
        return (
            Delivery.objects.select_related("subscriber", "dispatch")
            .filter(dispatch_id=int(dispatch_id), subscriber__email=recipient)
            .first()
        )
    return None


def _detail(event: AnymailTrackingEvent) -> str:
    parts = [event.description, event.mta_response, event.reject_reason]
    return " · ".join(str(part) for part in parts if part)[:255]


def _suppress(
    subscriber: Subscriber | None,
    email: str,
    status: str,
    *,
    source: str,
    now: datetime,
) -> None:
    """Bar the address from every list at once, and say why in its history."""
    privacy._suppress(email, status)
    if subscriber is None:
        return
    if subscriber.status == status:
        return
    if subscriber.status == SubscriberStatus.COMPLAINED:
        return  # a complaint says the most; a later bounce changes nothing
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=status, status_changed_at=now, confirmation_nonce=""
    )
    ConsentRecord.objects.create(
        subscriber=subscriber,
        email_hash=address_hash(email),
        action=(
            ConsentAction.COMPLAINED
            if status == SubscriberStatus.COMPLAINED
            else ConsentAction.BOUNCED
        ),
        list_names=subscriber.list_names(),
        source=source[:255],
    )


def _soft_bounces(subscriber: Subscriber) -> int:
    """Different messages soft-bounced since one was last delivered."""
    reset = DeliveryEvent.objects.filter(
        subscriber=subscriber, kind=ProviderEvent.DELIVERED
    ).aggregate(last=Max("occurred_at"))["last"]
    events = DeliveryEvent.objects.filter(subscriber=subscriber, kind__in=SOFT_KINDS)
    if reset is not None:
        events = events.filter(occurred_at__gt=reset)
    return len(
        {
            delivery_id or message_id or f"event-{pk}"
            for pk, delivery_id, message_id in events.values_list(
                "pk", "delivery_id", "message_id"
            )
        }
    )


@receiver(tracking, dispatch_uid="briefings.newsletter.tracking")
def tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs):
    """One provider event (anymail's tracking signal); see the module's docstring."""
    kind, effect = event_kind(event)
    if kind is None:
        return
    recipient = normalize_email(event.recipient or "")
    now = timezone.now()
    occurred_at = event.timestamp or now
    with transaction.atomic():
        delivery = _delivery_for(event, recipient)
        if not recipient and delivery is not None:
            recipient = delivery.subscriber.email
        if not recipient:
            logger.warning("A %s event names no recipient: ignored", esp_name)
            return
        subscriber = (
            Subscriber.objects.select_for_update().filter(email=recipient).first()
        )
        if delivery is not None and (
            delivery.provider_event_at is None
            or delivery.provider_event_at <= occurred_at
        ):
            Delivery.objects.filter(pk=delivery.pk).update(
                provider_event=kind, provider_event_at=occurred_at
            )
        if subscriber is not None and (
            kind != ProviderEvent.DELIVERED
            or DeliveryEvent.objects.filter(
                subscriber=subscriber, kind__in=SOFT_KINDS
            ).exists()
        ):
            # Deliveries are kept only where they reset a count of soft bounces.
            try:
                with transaction.atomic():
                    DeliveryEvent.objects.create(
                        delivery=delivery,
                        subscriber=subscriber,
                        kind=kind,
                        provider=esp_name,
                        event_id=(event.event_id or "")[:128],
                        message_id=(event.message_id or "")[:255],
                        occurred_at=occurred_at,
                        detail=_detail(event),
                    )
            except IntegrityError:
                return  # the provider sent this event before: done then
        _act(effect, event, esp_name, recipient, subscriber, delivery, now)


def _act(effect, event, esp_name, email, subscriber, delivery, now) -> None:
    source = f"{esp_name}: {event.event_type}"
    if detail := _detail(event):
        source = f"{source} ({detail})"
    if effect == ProviderEvent.BOUNCED:
        _suppress(subscriber, email, SuppressionReason.BOUNCED, source=source, now=now)
    elif effect == ProviderEvent.COMPLAINED:
        _suppress(
            subscriber, email, SuppressionReason.COMPLAINED, source=source, now=now
        )
    elif effect == ProviderEvent.UNSUBSCRIBED and subscriber is not None:
        subscriptions.subscriber_unsubscribe(
            subscriber=subscriber,
            mailing_list=delivery.dispatch.mailing_list if delivery else None,
            source=source[:255],
        )
    elif effect in SOFT_KINDS and subscriber is not None:
        count = _soft_bounces(subscriber)
        if count >= soft_bounce_limit():
            _suppress(
                subscriber,
                email,
                SuppressionReason.BOUNCED,
                source=f"{esp_name}: {count} messages soft-bounced in a row",
                now=now,
            )
