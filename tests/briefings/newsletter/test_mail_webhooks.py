"""The provider's reports, as Postmark and Mailgun post them, through anymail.

Each test posts the provider's own payload format to anymail's webhook URL
with Django's test client: authenticated as the provider would, or not.
"""

import base64
import hashlib
import hmac
import json
import time

from django.core import mail
from django.test import Client, override_settings

import pytest

from briefings.newsletter.choices import (
    ConsentAction,
    ProviderEvent,
    SubscriberStatus,
)
from briefings.newsletter.dispatch import dispatch_create, dispatch_send
from briefings.newsletter.models import (
    ConsentRecord,
    Delivery,
    DeliveryEvent,
    Subscriber,
    Subscription,
    Suppression,
)
from briefings.newsletter.privacy import address_is_suppressed
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SECRET = "provider:hook-secret-1"
MAILGUN_KEY = "mailgun-signing-key"
POSTMARK_URL = "/anymail/postmark/tracking/"
MAILGUN_URL = "/anymail/mailgun/tracking/"
ANYMAIL = {"WEBHOOK_SECRET": [SECRET], "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


def _basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


@pytest.fixture(autouse=True)
def anymail_settings(settings):
    settings.ANYMAIL = ANYMAIL


@pytest.fixture
def other_list(db):
    return MailingListFactory(slug="arms", name="Arms Trade Bulletin")


@pytest.fixture
def sent(issue, briefing_list, other_list):
    """An issue sent to two readers; their message ids, as the messages say."""
    SubscriberFactory(email="amani@example.org", lists=[briefing_list, other_list])
    SubscriberFactory(email="bea@example.org", lists=[briefing_list])
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    assert dispatch_send(dispatch=dispatch).sent == 2
    return {
        message.to[0]: message.extra_headers["Message-ID"] for message in mail.outbox
    } | {"dispatch": str(dispatch.pk)}


def _state():
    """Everything a webhook may change."""
    return (
        sorted(Subscriber.objects.values_list("email", "status")),
        sorted(Subscription.objects.values_list("pk", "active")),
        Suppression.objects.count(),
        ConsentRecord.objects.count(),
        DeliveryEvent.objects.count(),
        sorted(Delivery.objects.values_list("pk", "provider_event")),
    )


def _postmark_bounce(email, message_id, *, kind="HardBounce", event_id=1, sent=None):
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": event_id,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"message_id": message_id, "dispatch": (sent or {}).get("dispatch")}
        if message_id
        else {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach "
        "does not exist.",
        "Email": email,
        "From": "briefing@institute.example",
        "BouncedAt": "2026-11-30T10:00:00Z",
        "DumpAvailable": True,
        "Inactive": kind == "HardBounce",
        "CanActivate": True,
        "Subject": "Briefing March 2020",
    }


def _post_postmark(client, payload, credentials=SECRET):
    headers = {"HTTP_AUTHORIZATION": _basic(credentials)} if credentials else {}
    return client.post(
        POSTMARK_URL, json.dumps(payload), content_type="application/json", **headers
    )


MAILGUN_TOKEN = "a8ce0edb2dd8301dee6c2405235584e4"


def _mailgun(event_data, *, key=MAILGUN_KEY, token=MAILGUN_TOKEN):
    timestamp = str(int(time.time()))
    signature = hmac.new(
        key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "id": "CPgfbmQMTCKtHW6uIWtuVe",
            "timestamp": time.time(),
            "log-level": "error",
            "flags": {
                "is-routed": False,
                "is-authenticated": True,
                "is-test-mode": False,
            },
            "envelope": {"sender": "bounce@institute.example", "transport": "smtp"},
            "tags": [],
            **event_data,
        },
    }


def _mailgun_message(email, message_id):
    return {
        "recipient": email,
        "message": {
            "headers": {
                "to": email,
                "message-id": message_id.strip("<>"),
                "from": "The Institute <briefing@institute.example>",
                "subject": "Briefing March 2020",
            },
            "attachments": [],
            "size": 4211,
        },
    }


def _post_mailgun(client, payload, credentials=SECRET):
    headers = {"HTTP_AUTHORIZATION": _basic(credentials)} if credentials else {}
    return client.post(
        MAILGUN_URL, json.dumps(payload), content_type="application/json", **headers
    )


def test_postmark_hard_bounce_suppresses_the_address_at_once(client, sent):
    payload = _postmark_bounce(
        "amani@example.org", sent["amani@example.org"], sent=sent
    )
    assert _post_postmark(client, payload).status_code == 200
    amani = Subscriber.objects.get(email="amani@example.org")
    assert amani.status == SubscriberStatus.BOUNCED
    assert address_is_suppressed("amani@example.org")
    # On the delivery row, and in the subscriber's history.
    delivery = Delivery.objects.get(subscriber=amani)
    assert delivery.provider_event == ProviderEvent.BOUNCED
    (event,) = delivery.events.all()
    assert (event.provider, event.kind, event.subscriber) == (
        "Postmark",
        ProviderEvent.BOUNCED,
        amani,
    )
    assert "550 5.1.1" in event.detail
    record = amani.consents.get(action=ConsentAction.BOUNCED)
    assert record.source.startswith("Postmark: bounced")
    # The other reader is untouched.
    bea = Subscriber.objects.get(email="bea@example.org")
    assert bea.status == SubscriberStatus.CONFIRMED
    assert not address_is_suppressed("bea@example.org")


@pytest.mark.parametrize("credentials", ["", "provider:wrong", "other:hook-secret-1"])
def test_postmark_without_the_secret_is_refused_and_changes_nothing(
    client, sent, credentials
):
    before = _state()
    payload = _postmark_bounce(
        "amani@example.org", sent["amani@example.org"], sent=sent
    )
    assert _post_postmark(client, payload, credentials).status_code == 400
    assert _state() == before


def test_mailgun_complaint_suppresses_the_address_at_once(client, sent):
    message_id = sent["bea@example.org"]
    payload = _mailgun(
        {
            "event": "complained",
            **_mailgun_message("bea@example.org", message_id),
            "user-variables": {"message_id": message_id, "dispatch": sent["dispatch"]},
        }
    )
    assert _post_mailgun(client, payload).status_code == 200
    bea = Subscriber.objects.get(email="bea@example.org")
    assert bea.status == SubscriberStatus.COMPLAINED
    assert address_is_suppressed("bea@example.org")
    assert bea.consents.filter(action=ConsentAction.COMPLAINED).exists()
    delivery = Delivery.objects.get(subscriber=bea)
    assert delivery.provider_event == ProviderEvent.COMPLAINED
    assert delivery.events.get().provider == "Mailgun"


def test_mailgun_finds_the_delivery_by_its_message_id_alone(client, sent):
    # A permanent failure, with no user-variables: the Message-ID we set.
    payload = _mailgun(
        {
            "event": "failed",
            "severity": "permanent",
            "reason": "bounce",
            **_mailgun_message("amani@example.org", sent["amani@example.org"]),
            "delivery-status": {"code": 550, "message": "No such user"},
        }
    )
    assert _post_mailgun(client, payload).status_code == 200
    delivery = Delivery.objects.get(subscriber__email="amani@example.org")
    assert delivery.provider_event == ProviderEvent.BOUNCED
    assert delivery.subscriber.status == SubscriberStatus.BOUNCED


@pytest.mark.parametrize(
    "key, credentials",
    [("not-the-key", SECRET), (MAILGUN_KEY, "provider:wrong"), (MAILGUN_KEY, "")],
)
def test_mailgun_with_a_bad_signature_or_secret_is_refused_and_changes_nothing(
    client, sent, key, credentials
):
    before = _state()
    payload = _mailgun(
        {
            "event": "complained",
            **_mailgun_message("bea@example.org", sent["bea@example.org"]),
        },
        key=key,
    )
    assert _post_mailgun(client, payload, credentials).status_code == 400
    assert _state() == before


def test_a_tampered_mailgun_payload_is_refused(client, sent):
    payload = _mailgun(
        {
            "event": "delivered",
            **_mailgun_message("bea@example.org", sent["bea@example.org"]),
        }
    )
    # Signed for one token, sent with another.
    payload["signature"]["token"] = "b" * 32
    before = _state()
    assert _post_mailgun(client, payload).status_code == 400
    assert _state() == before


def test_soft_bounces_suppress_after_the_threshold_and_delivery_resets(client, sent):
    email = "bea@example.org"

    def soft(n):
        payload = _postmark_bounce(email, "", kind="SoftBounce", event_id=n)
        payload["MessageID"] = f"message-{n}"
        assert _post_postmark(client, payload).status_code == 200
        return Subscriber.objects.get(email=email).status

    assert soft(1) == SubscriberStatus.CONFIRMED
    assert soft(2) == SubscriberStatus.CONFIRMED
    assert soft(2) == SubscriberStatus.CONFIRMED  # the same event again counts once
    # A message delivered since: the count starts again.
    delivered = {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "message-ok",
        "Recipient": email,
        "Tag": "",
        "DeliveredAt": "2026-11-30T11:00:00Z",
        "Details": "Test delivery webhook details",
        "Metadata": {"message_id": sent[email], "dispatch": sent["dispatch"]},
    }
    assert _post_postmark(client, delivered).status_code == 200
    assert Delivery.objects.get(subscriber__email=email).provider_event == (
        ProviderEvent.DELIVERED
    )
    # Soft bounces are timed by the provider: after the delivery.
    for n in (3, 4):
        payload = _postmark_bounce(email, "", kind="SoftBounce", event_id=n)
        payload["MessageID"] = f"message-{n}"
        payload["BouncedAt"] = "2026-11-30T12:00:00Z"
        assert _post_postmark(client, payload).status_code == 200
    assert Subscriber.objects.get(email=email).status == SubscriberStatus.CONFIRMED
    payload = _postmark_bounce(email, "", kind="SoftBounce", event_id=5)
    payload["MessageID"] = "message-5"
    payload["BouncedAt"] = "2026-11-30T12:00:00Z"
    assert _post_postmark(client, payload).status_code == 200
    bea = Subscriber.objects.get(email=email)
    assert bea.status == SubscriberStatus.BOUNCED
    assert address_is_suppressed(email)
    record = bea.consents.get(action=ConsentAction.BOUNCED)
    assert "3 messages soft-bounced in a row" in record.source


def test_postmark_unsubscribe_leaves_the_list_of_that_message(
    client, sent, briefing_list, other_list
):
    payload = {
        "RecordType": "SubscriptionChange",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ServerID": 23,
        "MessageStream": "outbound",
        "ChangedAt": "2026-11-30T10:00:00Z",
        "Recipient": "amani@example.org",
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Tag": "",
        "Metadata": {
            "message_id": sent["amani@example.org"],
            "dispatch": sent["dispatch"],
        },
    }
    assert _post_postmark(client, payload).status_code == 200
    amani = Subscriber.objects.get(email="amani@example.org")
    assert set(
        amani.subscriptions.filter(active=True).values_list("mailing_list", flat=True)
    ) == {other_list.pk}
    assert amani.status == SubscriberStatus.CONFIRMED  # still on the other list
    record = amani.consents.get(action=ConsentAction.UNSUBSCRIBED)
    assert record.source.startswith("Postmark: unsubscribed")
    assert record.list_names == briefing_list.name


def test_opens_and_clicks_are_ignored(client, sent):
    before = _state()
    payload = {
        "RecordType": "Open",
        "MessageStream": "outbound",
        "Metadata": {"message_id": sent["bea@example.org"]},
        "FirstOpen": True,
        "Recipient": "bea@example.org",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ReceivedAt": "2026-11-30T10:00:00Z",
        "Platform": "WebMail",
        "ReadSeconds": 5,
        "Tag": "",
        "UserAgent": "Mozilla/5.0",
        "OS": {"Name": "unknown", "Family": "unknown", "Company": "unknown"},
        "Client": {"Name": "unknown", "Family": "unknown", "Company": "unknown"},
        "Geo": {},
    }
    assert _post_postmark(client, payload).status_code == 200
    assert _state() == before


@override_settings(ANYMAIL={})
def test_without_a_webhook_secret_postmark_reports_are_refused(sent):
    before = _state()
    payload = _postmark_bounce(
        "amani@example.org", sent["amani@example.org"], sent=sent
    )
    response = _post_postmark(Client(), payload, "")
    assert response.status_code == 403
    assert _state() == before
