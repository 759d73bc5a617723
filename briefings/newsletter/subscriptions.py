"""Subscribing, confirming, changing preferences and leaving: plain functions."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Site

from briefings.email.identity import site_identity
from briefings.newsletter import privacy, tokens
from briefings.newsletter.choices import ConsentAction, SubscriberStatus
from briefings.newsletter.models import (
    ConsentRecord,
    MailingList,
    Subscriber,
    Subscription,
    address_hash,
    normalize_email,
)
from briefings.newsletter.send import (
    OutgoingMessage,
    RecipientRefused,
    sending_backend_get,
)
from theme.address import base_url as public_base_url

# Requests per hour: a few per address (people mistype, retry), more per
# client (an office behind one address subscribes several colleagues).
RATE_LIMIT_WINDOW = 60 * 60
RATE_LIMIT_PER_ADDRESS = 3
RATE_LIMIT_PER_CLIENT = 20


class TooManyRequests(Exception):
    """This client asked too often; try again later."""


def site_base_url() -> str:
    """Where links in emails point (no trailing slash): the public address."""
    return public_base_url()


def _count_hit(key: str) -> int:
    if cache.add(key, 1, RATE_LIMIT_WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RATE_LIMIT_WINDOW)
        return 1


def rate_limit_check(*, client: str) -> None:
    """Refuse a client that asked too often (TooManyRequests)."""
    if _count_hit(f"newsletter:client:{client}") > RATE_LIMIT_PER_CLIENT:
        raise TooManyRequests


def _address_over_limit(email: str) -> bool:
    return _count_hit(f"newsletter:address:{email}") > RATE_LIMIT_PER_ADDRESS


def newsletter_url(name: str, token: str | None = None, *, language: str) -> str:
    """An absolute newsletter link in one language."""
    with translation.override(language):
        kwargs = {"token": token} if token is not None else {}
        path = reverse(f"newsletter:{name}", kwargs=kwargs)
    return site_base_url() + path


def institute_name() -> str:
    """Who the newsletter's own emails say they come from."""
    site = Site.objects.filter(is_default_site=True).first()
    return site_identity(site).name or settings.WAGTAIL_SITE_NAME


def _list_names(mailing_lists) -> str:
    return ", ".join(mailing_list.name for mailing_list in mailing_lists)


def _consent_record(subscriber, action, *, mailing_lists=(), **fields):
    return ConsentRecord.objects.create(
        subscriber=subscriber,
        email_hash=address_hash(subscriber.email),
        action=action,
        list_names=_list_names(mailing_lists),
        **fields,
    )


def _transactional_send(*, subscriber: Subscriber, template: str, context) -> None:
    """A small email in the subscriber's language (text and simple HTML)."""
    with translation.override(subscriber.language):
        context = {
            "subscriber": subscriber,
            "institute": institute_name(),
            "privacy_url": newsletter_url("privacy", language=subscriber.language),
            **context,
        }
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = OutgoingMessage(
        to=subscriber.email,
        subject=subject,
        text=text,
        html=html,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    try:
        sending_backend_get().send(message)
    except RecipientRefused:
        # Nothing to tell the visitor: the form never reveals an address's fate.
        return


@dataclass(frozen=True)
class SubscribeRequest:
    email: str
    name: str
    mailing_lists: list[MailingList]
    language: str
    form_text: str
    source: str


def subscription_request(*, request: SubscribeRequest) -> None:
    """Record a request and mail a confirmation link; the same for every address."""
    email = normalize_email(request.email)
    if _address_over_limit(email):
        return
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"name": request.name, "language": request.language},
        )
        subscriber.confirmation_nonce = tokens.confirmation_nonce_new()
        subscriber.save(update_fields=["confirmation_nonce"])
        _consent_record(
            subscriber,
            ConsentAction.REQUESTED,
            mailing_lists=request.mailing_lists,
            form_text=request.form_text,
            language=request.language,
            source=request.source,
        )
    token = tokens.confirmation_token_make(
        subscriber_id=subscriber.pk,
        nonce=subscriber.confirmation_nonce,
        list_ids=[mailing_list.pk for mailing_list in request.mailing_lists],
        language=request.language,
        name=request.name,
    )
    # The confirmation goes out in the language the person chose on the form.
    _confirmation_send(
        email=subscriber.email,
        token=token,
        mailing_lists=request.mailing_lists,
        language=request.language,
    )


def _confirmation_send(*, email: str, token: str, mailing_lists, language: str):
    """The confirmation email. The address is not verified yet: it carries
    nothing anyone typed into a form, only the institute, the lists and the
    link, so that nobody can send their own words from us to a stranger."""
    _transactional_send(
        subscriber=Subscriber(email=email, language=language),
        template="newsletter/email/confirm",
        context={
            "confirm_url": newsletter_url("confirm", token, language=language),
            "mailing_lists": mailing_lists,
        },
    )


def subscriber_address_change(
    *, subscriber: Subscriber, old_email: str, source: str
) -> bool:
    """Consent follows the address: a new address confirms before any mail.

    A confirmed (or pending) subscriber goes back to pending and the new
    address gets a confirmation of its own, for the lists they are on.
    Someone who left stays out and gets nothing. True if a confirmation left.
    """
    now = timezone.now()
    mailing_lists = list(
        MailingList.objects.filter(
            subscriptions__subscriber=subscriber, subscriptions__active=True
        )
    )
    asks = subscriber.status in (SubscriberStatus.CONFIRMED, SubscriberStatus.PENDING)
    with transaction.atomic():
        if asks:
            subscriber.status = SubscriberStatus.PENDING
            subscriber.status_changed_at = now
            subscriber.confirmed_at = None
            subscriber.confirmation_nonce = tokens.confirmation_nonce_new()
            subscriber.save()
        _consent_record(
            subscriber,
            ConsentAction.ADDRESS_CHANGED,
            mailing_lists=mailing_lists,
            language=subscriber.language,
            source=source,
            form_text=f"previous address: hash {address_hash(old_email)[:16]}",
        )
    if not asks or not mailing_lists:
        return False
    token = tokens.confirmation_token_make(
        subscriber_id=subscriber.pk,
        nonce=subscriber.confirmation_nonce,
        list_ids=[mailing_list.pk for mailing_list in mailing_lists],
        language=subscriber.language,
    )
    _confirmation_send(
        email=subscriber.email,
        token=token,
        mailing_lists=mailing_lists,
        language=subscriber.language,
    )
    return True


def subscription_confirm(*, token: str) -> Subscriber:
    """Confirm a request once: the person is subscribed to what they asked for."""
    confirmation = tokens.confirmation_token_read(token)
    now = timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(pk=confirmation.subscriber_id)
            .first()
        )
        if subscriber is None or not secrets.compare_digest(
            subscriber.confirmation_nonce or "-", confirmation.nonce
        ):
            raise tokens.TokenInvalid("used or superseded")
        mailing_lists = list(MailingList.objects.filter(pk__in=confirmation.list_ids))
        subscriber.confirmation_nonce = ""
        subscriber.status = SubscriberStatus.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.status_changed_at = now
        if confirmation.language in dict(settings.LANGUAGES):
            subscriber.language = confirmation.language
        if confirmation.name:
            subscriber.name = confirmation.name
        subscriber.save()
        _subscriptions_activate(subscriber, mailing_lists, now=now)
        # A new double opt-in: an address that left or was erased may be
        # mailed again.
        privacy.suppression_lift(subscriber.email)
        _consent_record(
            subscriber,
            ConsentAction.CONFIRMED,
            mailing_lists=mailing_lists,
            language=subscriber.language,
            source="confirmation link",
        )
    welcome_send(subscriber=subscriber)
    return subscriber


def _subscriptions_activate(subscriber, mailing_lists, *, now) -> None:
    existing = {
        subscription.mailing_list_id: subscription
        for subscription in subscriber.subscriptions.all()
    }
    for mailing_list in mailing_lists:
        subscription = existing.get(mailing_list.pk)
        if subscription is None:
            Subscription.objects.create(
                subscriber=subscriber, mailing_list=mailing_list, created_at=now
            )
        elif not subscription.active:
            subscription.active = True
            subscription.ended_at = None
            subscription.save(update_fields=["active", "ended_at"])


def subscriber_from_link(token: str) -> tuple[Subscriber, MailingList | None]:
    """The subscriber (and list) an opaque link token stands for; TokenInvalid."""
    key, list_id = tokens.link_token_read(token)
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        raise tokens.TokenInvalid("unknown subscriber")
    mailing_list = None
    if list_id is not None:
        mailing_list = MailingList.objects.filter(pk=list_id).first()
    return subscriber, mailing_list


def preferences_url(subscriber: Subscriber) -> str:
    return newsletter_url(
        "preferences",
        tokens.link_token_make(key=subscriber.key),
        language=subscriber.language,
    )


def unsubscribe_url(subscriber: Subscriber, mailing_list: MailingList | None) -> str:
    return newsletter_url(
        "unsubscribe",
        tokens.link_token_make(
            key=subscriber.key, list_id=mailing_list.pk if mailing_list else None
        ),
        language=subscriber.language,
    )


def subscriber_unsubscribe(
    *, subscriber: Subscriber, mailing_list: MailingList | None, source: str
) -> None:
    """Leave one list, or all; with no list left, the address is suppressed."""
    now = timezone.now()
    with transaction.atomic():
        subscriptions = subscriber.subscriptions.filter(active=True)
        if mailing_list is not None:
            subscriptions = subscriptions.filter(mailing_list=mailing_list)
        left = [subscription.mailing_list for subscription in subscriptions]
        subscriptions.update(active=False, ended_at=now)
        remaining = subscriber.subscriptions.filter(active=True).exists()
        if not remaining and subscriber.status != SubscriberStatus.UNSUBSCRIBED:
            Subscriber.objects.filter(pk=subscriber.pk).update(
                status=SubscriberStatus.UNSUBSCRIBED,
                status_changed_at=now,
                confirmation_nonce="",
            )
            subscriber.refresh_from_db()
        _consent_record(
            subscriber,
            ConsentAction.UNSUBSCRIBED,
            mailing_lists=left,
            source=source,
        )


def preferences_update(
    *,
    subscriber: Subscriber,
    mailing_lists: list[MailingList],
    language: str,
    form_text: str,
) -> None:
    """Set the lists and language chosen on the preferences page."""
    if not mailing_lists:
        subscriber_unsubscribe(
            subscriber=subscriber, mailing_list=None, source="preferences page"
        )
        return
    now = timezone.now()
    with transaction.atomic():
        chosen = {mailing_list.pk for mailing_list in mailing_lists}
        subscriber.subscriptions.filter(active=True).exclude(
            mailing_list_id__in=chosen
        ).update(active=False, ended_at=now)
        _subscriptions_activate(subscriber, mailing_lists, now=now)
        subscriber.language = language
        if subscriber.status != SubscriberStatus.CONFIRMED:
            # Opting in again from one's own link, which only the owner of
            # the address receives.
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.status_changed_at = now
            subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.save()
        _consent_record(
            subscriber,
            ConsentAction.PREFERENCES,
            mailing_lists=mailing_lists,
            form_text=form_text,
            language=language,
            source="preferences page",
        )


def welcome_send(*, subscriber: Subscriber) -> None:
    """Mail a new subscriber what they signed up for and their preferences link."""
    _transactional_send(
        subscriber=subscriber,
        template="newsletter/email/welcome",
        context={
            "preferences_url": preferences_url(subscriber),
            "mailing_lists": MailingList.objects.filter(
                subscriptions__subscriber=subscriber, subscriptions__active=True
            ),
        },
    )
