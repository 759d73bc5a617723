"""Subscribers' data: what the notice states is what the site does.

A subscriber downloads and erases their data from their own link; staff
erase a person on request without superuser rights; the purge keeps only
hashed suppression entries and consent evidence for the stated periods; an
erased address comes back only through a new double opt-in."""

import json
import re
from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import pytest

from briefings.newsletter import subscriptions, tokens
from briefings.newsletter.choices import (
    ConsentAction,
    DeliveryStatus,
    SubscriberStatus,
    SuppressionReason,
)
from briefings.newsletter.dispatch import dispatch_create, dispatch_send
from briefings.newsletter.models import (
    ConsentRecord,
    Delivery,
    Subscriber,
    Subscription,
    Suppression,
    address_hash,
)
from briefings.newsletter.privacy import subscribers_purge
from briefings.newsletter.tasks import subscribers_purge_task
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE_URL = "/en/newsletter/"


@pytest.fixture
def lists(db):
    return [MailingListFactory(name="Monthly Briefing", slug="briefing")]


def _subscribe(client, lists, email="amina@example.org", name="Amina"):
    response = client.post(
        SUBSCRIBE_URL,
        {
            "email": email,
            "name": name,
            "lists": [mailing_list.pk for mailing_list in lists],
            "language": "en",
            "website": "",
        },
    )
    assert response.status_code == 302


def _confirm(client, message) -> None:
    match = re.search(r"http://testserver(/\w\w/newsletter/confirm/\S+/)", message.body)
    assert client.post(match.group(1)).status_code == 200


def _preferences_path(subscriber) -> str:
    return reverse(
        "newsletter:preferences",
        kwargs={"token": tokens.link_token_make(key=subscriber.key)},
    )


def _token(subscriber) -> str:
    return tokens.link_token_make(key=subscriber.key)


def _nothing_left_of(email: str) -> None:
    assert not Subscriber.objects.filter(email=email).exists()
    assert not ConsentRecord.objects.filter(email_hash=address_hash(email)).exists()
    suppression = Suppression.objects.get()
    assert suppression.email_hash == address_hash(email)
    assert email not in suppression.email_hash
    assert suppression.reason == SuppressionReason.ERASED


# --- The notice ---------------------------------------------------------------


@override_settings(
    NEWSLETTER_PENDING_DAYS=5,
    NEWSLETTER_LEFT_DAYS=20,
    NEWSLETTER_CONSENT_RETENTION_DAYS=2 * 365,
)
@pytest.mark.parametrize("language", ["en", "fr", "sw"])
def test_the_privacy_notice_states_the_configured_periods(client, language):
    response = client.get(f"/{language}/newsletter/privacy/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'lang="{language}"' in content
    assert content.count("<h1") == 1 and content.count("<h2") >= 4
    for figure in ("5", "20", "2"):
        assert re.search(rf"\b{figure}\b", content)


@pytest.mark.parametrize(
    ("counting", "said"),
    [
        (True, "as one total per link: nothing records who followed a link"),
        (False, "We do not record which links you follow"),
    ],
)
def test_the_notice_says_what_is_counted_of_links(client, settings, counting, said):
    settings.NEWSLETTER_CLICK_COUNTING = counting
    content = client.get("/en/newsletter/privacy/").content.decode()
    assert said in content
    assert "no tracking pixel" in content


def test_the_notice_is_linked_from_the_form_the_preferences_and_the_emails(
    client, lists
):
    assert "/en/newsletter/privacy/" in client.get(SUBSCRIBE_URL).content.decode()
    _subscribe(client, lists)
    _confirm(client, mail.outbox[0])
    subscriber = Subscriber.objects.get()
    preferences = client.get(_preferences_path(subscriber)).content.decode()
    assert "/en/newsletter/privacy/" in preferences
    for message in mail.outbox:  # confirmation and welcome
        assert "/en/newsletter/privacy/" in message.body
        assert "/en/newsletter/privacy/" in message.alternatives[0][0]


# --- Getting one's data -------------------------------------------------------


def test_a_subscriber_downloads_what_we_hold_from_their_link(
    client, lists, issue, renders
):
    _subscribe(client, lists)
    _confirm(client, mail.outbox[0])
    subscriber = Subscriber.objects.get()
    dispatch_send(dispatch=dispatch_create(page=issue, mailing_list=lists[0]))
    other = SubscriberFactory(email="other@example.org", name="Other", lists=lists)

    preferences = client.get(_preferences_path(subscriber)).content.decode()
    data_url = reverse("newsletter:data_export", kwargs={"token": _token(subscriber)})
    assert data_url in preferences
    response = client.get(data_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )
    data = json.loads(response.content)
    assert data["email"] == "amina@example.org"
    assert data["name"] == "Amina"
    assert [s["list"] for s in data["subscriptions"]] == ["Monthly Briefing"]
    assert {r["action"] for r in data["consent_records"]} == {
        ConsentAction.REQUESTED,
        ConsentAction.CONFIRMED,
    }
    assert data["emails_sent"][0]["issue"] == issue.title
    assert data["emails_sent"][0]["status"] == DeliveryStatus.SENT
    assert data["retention"]["pending_days"] == 7
    assert "other@example.org" not in response.content.decode()
    assert other.email not in json.dumps(data)


def test_the_data_link_needs_a_valid_token(client):
    assert client.get("/en/newsletter/preferences/nope:nope/data/").status_code == 400
    forged = tokens.link_token_make(key="no-such-key")
    response = client.get(f"/en/newsletter/preferences/{forged}/data/")
    assert response.status_code == 400
    assert b"@" not in response.content


# --- Erasing one's data -------------------------------------------------------


def test_a_subscriber_erases_their_data_and_only_a_hash_stays(client, lists, issue):
    _subscribe(client, lists)
    _confirm(client, mail.outbox[0])
    subscriber = Subscriber.objects.get()
    dispatch_send(dispatch=dispatch_create(page=issue, mailing_list=lists[0]))
    other = SubscriberFactory(email="other@example.org", lists=lists)
    ConsentRecord.objects.create(
        subscriber=other,
        email_hash=address_hash(other.email),
        action=ConsentAction.CONFIRMED,
    )
    erase_url = reverse("newsletter:erase", kwargs={"token": _token(subscriber)})

    # A link scanner's GET erases nothing.
    page = client.get(erase_url)
    assert page.status_code == 200
    assert b'method="post"' in page.content
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    response = client.post(erase_url)
    assert response.status_code == 200
    assert "erased" in response.content.decode()
    _nothing_left_of("amina@example.org")
    assert not Delivery.objects.filter(subscriber_id=subscriber.pk).exists()
    assert not Subscription.objects.filter(subscriber_id=subscriber.pk).exists()
    # The other subscriber is untouched.
    assert Subscriber.objects.filter(pk=other.pk).exists()
    assert ConsentRecord.objects.filter(subscriber=other).exists()
    # The old links are dead.
    assert client.get(_preferences_path(subscriber)).status_code == 400
    assert client.post(erase_url).status_code == 400


def test_after_erasure_only_a_new_double_opt_in_brings_the_address_back(
    client, lists, issue, renders
):
    reader = SubscriberFactory(email="amina@example.org", lists=lists)
    client.post(reverse("newsletter:erase", kwargs={"token": _token(reader)}))
    assert Suppression.objects.count() == 1

    # Imported by staff: kept out.
    admin = _staff(client, ["add_subscriber", "view_subscriber"])
    client.force_login(admin)
    client.post(
        reverse("newsletter_subscribers_import"),
        {
            "file": SimpleUploadedFile(
                "list.csv",
                b"email,lists,consent\namina@example.org,briefing,yes\n",
                content_type="text/csv",
            )
        },
    )
    assert not Subscriber.objects.filter(email="amina@example.org").exists()
    client.logout()

    # Asking again: pending, nothing sent but the confirmation, still suppressed.
    _subscribe(client, lists)
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert Suppression.objects.count() == 1
    (confirmation,) = mail.outbox
    # Confirming is the new consent: the suppression entry goes.
    _confirm(client, confirmation)
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    assert not Suppression.objects.exists()
    report = dispatch_send(dispatch=dispatch_create(page=issue, mailing_list=lists[0]))
    assert report.sent == 1


def test_sending_skips_a_suppressed_address(issue, briefing_list, renders):
    kept = SubscriberFactory(email="kept@example.org", lists=[briefing_list])
    blocked = SubscriberFactory(email="blocked@example.org", lists=[briefing_list])
    Suppression.objects.create(
        email_hash=address_hash(blocked.email), reason=SuppressionReason.ERASED
    )
    mail.outbox.clear()
    report = dispatch_send(
        dispatch=dispatch_create(page=issue, mailing_list=briefing_list)
    )
    assert [message.to for message in mail.outbox] == [[kept.email]]
    assert report.skipped == 1


# --- Staff erase on request ---------------------------------------------------


def _staff(client, codenames, *, group_name=None):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        f"staff{Group.objects.count()}", "staff@institute.example", "pw"
    )
    group = (
        Group.objects.get(name=group_name)
        if group_name
        else Group.objects.create(name=f"g{Group.objects.count()}")
    )
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="newsletter", codename__in=codenames
        ),
    )
    user.groups.add(group)
    return user


def test_an_editor_erases_a_person_on_request_without_superuser_rights(client, lists):
    reader = SubscriberFactory(email="amina@example.org", name="Amina", lists=lists)
    subscriptions._consent_record(reader, ConsentAction.CONFIRMED, mailing_lists=lists)
    editor = _staff(client, [], group_name="Editors")
    assert not editor.is_superuser
    assert editor.has_perm("newsletter.erase_subscriber")
    client.force_login(editor)
    index = client.get(reverse("subscriber:index")).content.decode()
    erase_url = reverse("newsletter_subscriber_erase", args=[reader.pk])
    assert erase_url in index
    page = client.get(erase_url)
    assert page.status_code == 200
    assert "amina@example.org" in page.content.decode()

    response = client.post(erase_url, follow=True)
    assert response.status_code == 200
    assert "amina@example.org" not in response.content.decode()
    _nothing_left_of("amina@example.org")


def test_staff_without_the_erase_permission_cannot_erase(client, lists):
    reader = SubscriberFactory(email="amina@example.org", lists=lists)
    clerk = _staff(client, ["view_subscriber", "change_subscriber"])
    client.force_login(clerk)
    erase_url = reverse("newsletter_subscriber_erase", args=[reader.pk])
    assert erase_url not in client.get(reverse("subscriber:index")).content.decode()
    # Wagtail answers a PermissionDenied with a redirect to the dashboard.
    for response in (client.get(erase_url), client.post(erase_url)):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    client.logout()
    response = client.post(erase_url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Subscriber.objects.filter(pk=reader.pk).exists()
    assert not Suppression.objects.exists()


# --- Retention ----------------------------------------------------------------


def _age(subscriber, days, *, status_changed=True):
    then = timezone.now() - timedelta(days=days)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        created_at=then, status_changed_at=then if status_changed else None
    )
    subscriber.consents.update(created_at=then)


def test_the_purge_applies_the_stated_periods(client, lists):
    now = timezone.now()
    # A sign-up never confirmed, 8 days ago: gone with its request.
    _subscribe(client, lists, email="stale@example.org")
    stale = Subscriber.objects.get(email="stale@example.org")
    _age(stale, 8, status_changed=False)
    # One that asked again yesterday: its new link still works, it stays.
    _subscribe(client, lists, email="again@example.org")
    again = Subscriber.objects.get(email="again@example.org")
    _age(again, 8, status_changed=False)
    _subscribe(client, lists, email="again@example.org")
    # A reader who left 31 days ago: a hash and the consent evidence stay.
    left = SubscriberFactory(email="left@example.org", lists=lists)
    subscriptions._consent_record(left, ConsentAction.CONFIRMED, mailing_lists=lists)
    subscriptions.subscriber_unsubscribe(
        subscriber=left, mailing_list=None, source="test"
    )
    _age(left, 31)
    # One who left 10 days ago can still come back with their own link.
    recent = SubscriberFactory(
        email="recent@example.org", status=SubscriberStatus.UNSUBSCRIBED
    )
    _age(recent, 10)
    # A confirmed reader of many years is untouched.
    loyal = SubscriberFactory(email="loyal@example.org", lists=lists)
    _age(loyal, 3000)

    out = StringIO()
    call_command("purge_subscribers", stdout=out)
    assert "deleted: 1" in out.getvalue()

    emails = set(Subscriber.objects.values_list("email", flat=True))
    assert emails == {"again@example.org", "recent@example.org", "loyal@example.org"}
    assert not ConsentRecord.objects.filter(
        email_hash=address_hash("stale@example.org")
    ).exists()
    assert not Suppression.objects.filter(
        email_hash=address_hash("stale@example.org")
    ).exists()
    suppression = Suppression.objects.get(email_hash=address_hash("left@example.org"))
    assert suppression.reason == SuppressionReason.UNSUBSCRIBED
    evidence = ConsentRecord.objects.filter(email_hash=address_hash("left@example.org"))
    assert set(evidence.values_list("action", flat=True)) >= {
        ConsentAction.CONFIRMED,
        ConsentAction.UNSUBSCRIBED,
        ConsentAction.ERASED,
    }
    assert not evidence.filter(subscriber__isnull=False).exists()
    assert "left@example.org" not in str(list(evidence.values()))

    # The evidence goes once the stated period after leaving has passed.
    kept = evidence.count()
    early = subscribers_purge(now=now + timedelta(days=3 * 365 - 1))
    assert early.consents_deleted == 0
    report = subscribers_purge(now=now + timedelta(days=3 * 365 + 1))
    assert report.consents_deleted == kept >= 3
    assert not ConsentRecord.objects.filter(
        email_hash=address_hash("left@example.org")
    ).exists()
    # The suppression entry stays: nobody is mailed again without consent.
    assert Suppression.objects.filter(
        email_hash=address_hash("left@example.org")
    ).exists()


@override_settings(NEWSLETTER_PENDING_DAYS=2)
def test_the_purge_task_follows_the_settings(client, lists):
    _subscribe(client, lists, email="stale@example.org")
    _age(Subscriber.objects.get(), 3, status_changed=False)
    result = subscribers_purge_task.enqueue()
    assert result.return_value["pending_deleted"] == 1
    assert not Subscriber.objects.exists()
