"""The subscribe form from the attacker's side: rate limits behind a proxy, no
attacker text in mail to a stranger, and consent that follows the address."""

import re

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import override_settings
from django.urls import reverse

import pytest

from briefings.newsletter import subscriptions
from briefings.newsletter.choices import ConsentAction, SubscriberStatus
from briefings.newsletter.models import ConsentRecord, Subscriber
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE_URL = "/en/newsletter/"
PROXY = "10.0.0.2"
SPAM_NAME = "Win 5000 USD now at http://evil.example/claim click"


@pytest.fixture
def lists(db):
    return [MailingListFactory(name="Monthly Briefing", slug="briefing")]


def _form(lists, **overrides):
    return {
        "email": "victim@example.org",
        "name": "",
        "lists": [mailing_list.pk for mailing_list in lists],
        "language": "en",
        "website": "",
        **overrides,
    }


def _fill_client_limit(client, lists, **extra) -> None:
    for number in range(subscriptions.RATE_LIMIT_PER_CLIENT):
        response = client.post(
            SUBSCRIBE_URL, _form(lists, email=f"p{number}@example.org"), **extra
        )
        assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_each_visitor_has_their_own_limit(client, lists):
    alice = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    bob = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    _fill_client_limit(client, lists, **alice)
    blocked = client.post(SUBSCRIBE_URL, _form(lists, email="a@example.org"), **alice)
    assert blocked.status_code == 429
    # Same proxy address, another visitor: not closed by Alice's sign-ups.
    response = client.post(SUBSCRIBE_URL, _form(lists, email="b@example.org"), **bob)
    assert response.status_code == 302
    assert Subscriber.objects.filter(email="b@example.org").exists()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_left_entry_does_not_escape(client, lists):
    """The client writes the left of X-Forwarded-For; the proxy appends."""
    _fill_client_limit(
        client,
        lists,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7",
    )
    response = client.post(
        SUBSCRIBE_URL,
        _form(lists, email="late@example.org"),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7",
    )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_a_forged_header_does_not_escape_the_limit(client, lists):
    _fill_client_limit(
        client, lists, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    for forged in ("2.2.2.2", "203.0.113.9", "::1", "unknown"):
        response = client.post(
            SUBSCRIBE_URL,
            _form(lists, email=f"late-{forged}@example.org"),
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=forged,
        )
        assert response.status_code == 429
    assert not Subscriber.objects.filter(email__startswith="late-").exists()


def test_the_confirmation_never_carries_the_name_typed_into_the_form(client, lists):
    response = client.post(SUBSCRIBE_URL, _form(lists, name=SPAM_NAME))
    assert response.status_code == 302
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for part in (message.subject, message.body, html):
        assert "evil.example" not in part
        assert "5000" not in part
        assert "Win" not in part
    # It names the institute and the lists instead, and links the notice.
    assert "International Peace Information Service" in message.body
    assert "Monthly Briefing" in message.body and "Monthly Briefing" in html
    assert "/en/newsletter/privacy/" in message.body
    assert "/en/newsletter/privacy/" in html
    # The name is still kept once the person confirms it is theirs.
    confirm = re.search(r"http://testserver(/en/newsletter/confirm/\S+/)", message.body)
    client.post(confirm.group(1))
    assert Subscriber.objects.get().name == SPAM_NAME
    # The welcome goes to a confirmed address; it repeats no typed text either.
    assert "evil.example" not in mail.outbox[1].body


def _editor(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@institute.example", "pw", is_staff=True
    )
    group = Group.objects.create(name="newsletter staff")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="newsletter",
            codename__in=["view_subscriber", "change_subscriber"],
        ),
    )
    user.groups.add(group)
    return user


def test_a_changed_address_must_confirm_before_any_mail(
    client, django_user_model, lists
):
    reader = SubscriberFactory(email="old@example.org", lists=lists)
    ConsentRecord.objects.create(subscriber=reader, action=ConsentAction.CONFIRMED)
    client.force_login(_editor(django_user_model))
    response = client.post(
        reverse("subscriber:edit", args=[reader.pk]),
        {
            "email": "stranger@example.org",
            "name": "",
            "language": "en",
            "status": "confirmed",
        },
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.email == "stranger@example.org"
    assert reader.status == SubscriberStatus.PENDING
    assert reader.confirmed_at is None
    assert not Subscriber.objects.receiving(lists[0]).exists()
    # The new address gets a confirmation of its own, for the same lists.
    (message,) = mail.outbox
    assert message.to == ["stranger@example.org"]
    assert "Monthly Briefing" in message.body
    actions = list(reader.consents.order_by("pk").values_list("action", flat=True))
    assert actions[-1] == ConsentAction.ADDRESS_CHANGED
    assert "editor" in reader.consents.get(action=ConsentAction.ADDRESS_CHANGED).source
    # The inspect view shows the change in the consent history.
    inspect = client.get(reverse("subscriber:inspect", args=[reader.pk]))
    assert "Address changed by staff" in inspect.content.decode()

    confirm = re.search(r"http://testserver(/en/newsletter/confirm/\S+/)", message.body)
    client.post(confirm.group(1))
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.CONFIRMED
    assert list(Subscriber.objects.receiving(lists[0])) == [reader]


def test_an_unchanged_address_stays_confirmed(client, django_user_model, lists):
    reader = SubscriberFactory(email="reader@example.org", lists=lists)
    client.force_login(_editor(django_user_model))
    client.post(
        reverse("subscriber:edit", args=[reader.pk]),
        {
            "email": "Reader@Example.org",
            "name": "R",
            "language": "fr",
            "status": "confirmed",
        },
    )
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.CONFIRMED
    assert reader.language == "fr"
    assert mail.outbox == []


def test_a_person_who_left_gets_no_mail_when_staff_change_the_address(
    client, django_user_model, lists
):
    left = SubscriberFactory(
        email="left@example.org", status=SubscriberStatus.UNSUBSCRIBED
    )
    client.force_login(_editor(django_user_model))
    client.post(
        reverse("subscriber:edit", args=[left.pk]),
        {
            "email": "new@example.org",
            "name": "",
            "language": "en",
            "status": "unsubscribed",
        },
    )
    left.refresh_from_db()
    assert left.email == "new@example.org"
    assert left.status == SubscriberStatus.UNSUBSCRIBED
    assert mail.outbox == []
    assert left.consents.filter(action=ConsentAction.ADDRESS_CHANGED).exists()
