"""Subscribing with double opt-in, preferences, and leaving."""

import re
import time
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import pytest

from briefings.newsletter import subscriptions, tokens
from briefings.newsletter.choices import ConsentAction, SubscriberStatus
from briefings.newsletter.models import ConsentRecord, Subscriber, Subscription
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE_URL = "/en/newsletter/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lists(db):
    return [
        MailingListFactory(name="Monthly Briefing", slug="briefing"),
        MailingListFactory(name="Arms Trade Bulletin", slug="bulletin"),
    ]


def _form(lists, **overrides):
    data = {
        "email": "Reader@Example.org",
        "name": "Amani",
        "lists": [mailing_list.pk for mailing_list in lists],
        "language": "fr",
        "website": "",
    }
    data.update(overrides)
    return data


def _link(message, name: str) -> str:
    match = re.search(
        rf"http://testserver(/\w\w/newsletter/{name}/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_subscribe_confirm_by_post_only(client, lists):
    response = client.post(SUBSCRIBE_URL, _form(lists))
    assert response.status_code == 302
    assert response["Location"] == "/en/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.status == SubscriberStatus.PENDING
    assert not subscriber.subscriptions.exists()

    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    # In the language chosen on the form.
    confirm_path = _link(message, "confirm")
    assert confirm_path.startswith("/fr/")
    assert "Monthly Briefing" in message.body

    # A link scanner's GET changes nothing.
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert b'method="post"' in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    response = client.post(confirm_path)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.language == "fr"
    assert subscriber.name == "Amani"
    assert set(subscriber.lists.values_list("slug", flat=True)) == {
        "briefing",
        "bulletin",
    }
    # A welcome email with the preferences link.
    assert len(mail.outbox) == 2
    assert "/fr/newsletter/preferences/" in mail.outbox[1].body

    actions = list(
        ConsentRecord.objects.order_by("pk").values_list("action", "list_names")
    )
    assert actions == [
        (ConsentAction.REQUESTED, "Arms Trade Bulletin, Monthly Briefing"),
        (ConsentAction.CONFIRMED, "Arms Trade Bulletin, Monthly Briefing"),
    ]
    requested = ConsentRecord.objects.get(action=ConsentAction.REQUESTED)
    assert "unsubscribe" in requested.form_text
    assert requested.source == SUBSCRIBE_URL


def test_reused_token_is_refused(client, lists):
    client.post(SUBSCRIBE_URL, _form(lists))
    confirm_path = _link(mail.outbox[0], "confirm")
    assert client.post(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 400
    # The link opens in the language the reader chose: French here, with the
    # reason for a used confirmation link.
    content = response.content.decode()
    assert '<html lang="fr"' in content
    with translation.override("fr"):
        reason = gettext(
            "This confirmation link is incomplete or has already been used: each "
            "confirmation link works once. If you confirmed already, you are "
            "subscribed and need do nothing more."
        )
    assert reason in content
    assert client.get(confirm_path).status_code == 200  # still well signed


def test_expired_token_is_refused(client, lists, monkeypatch):
    client.post(SUBSCRIBE_URL, _form(lists))
    confirm_path = _link(mail.outbox[0], "confirm")
    later = time.time() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(confirm_path).status_code == 400
    assert client.post(confirm_path).status_code == 400
    monkeypatch.undo()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_tampered_token_is_refused(client, lists):
    client.post(SUBSCRIBE_URL, _form(lists))
    confirm_path = _link(mail.outbox[0], "confirm")
    token = confirm_path.split("/")[-2]
    tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    response = client.post(f"/en/newsletter/confirm/{tampered}/")
    assert response.status_code == 400
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_a_token_for_other_lists_cannot_be_forged(lists):
    subscriber = SubscriberFactory(pending=True, confirmation_nonce="n1")
    forged = tokens.confirmation_token_make(
        subscriber_id=subscriber.pk,
        nonce="guess",
        list_ids=[lists[0].pk],
        language="en",
    )
    with pytest.raises(tokens.TokenInvalid):
        subscriptions.subscription_confirm(token=forged)


def test_form_never_reveals_an_existing_address(client, lists):
    SubscriberFactory(email="known@example.org", lists=[lists[0]])
    known = client.post(SUBSCRIBE_URL, _form(lists, email="known@example.org"))
    unknown = client.post(SUBSCRIBE_URL, _form(lists, email="new@example.org"))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The existing subscriber is not changed until they confirm.
    known_subscriber = Subscriber.objects.get(email="known@example.org")
    assert known_subscriber.status == SubscriberStatus.CONFIRMED
    assert known_subscriber.language == "en"
    assert list(known_subscriber.lists.all()) == [lists[0]]


def test_honeypot_sends_nothing(client, lists):
    response = client.post(SUBSCRIBE_URL, _form(lists, website="http://spam"))
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_bad_input_gets_clear_errors(client, lists):
    response = client.post(
        SUBSCRIBE_URL, _form([], email="not-an-address", name="A\nBcc: x@y.org")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter a valid email address." in content
    assert "Choose at least one list." in content
    assert "A name fits on one line." in content
    # What was typed is kept.
    assert 'value="not-an-address"' in content
    assert not Subscriber.objects.exists()


def test_requests_are_limited_per_address_and_per_client(client, lists):
    for _ in range(subscriptions.RATE_LIMIT_PER_ADDRESS + 2):
        client.post(SUBSCRIBE_URL, _form(lists))
    assert len(mail.outbox) == subscriptions.RATE_LIMIT_PER_ADDRESS

    for number in range(
        subscriptions.RATE_LIMIT_PER_CLIENT - subscriptions.RATE_LIMIT_PER_ADDRESS - 2
    ):
        assert (
            client.post(
                SUBSCRIBE_URL, _form(lists, email=f"p{number}@example.org")
            ).status_code
            == 302
        )
    response = client.post(SUBSCRIBE_URL, _form(lists, email="late@example.org"))
    assert response.status_code == 429
    assert b"Too many requests" in response.content
    assert not Subscriber.objects.filter(email="late@example.org").exists()
    # Another client is not affected.
    other = client.post(
        SUBSCRIBE_URL, _form(lists, email="late@example.org"), REMOTE_ADDR="127.0.0.9"
    )
    assert other.status_code == 302


def test_subscribe_page_renders_in_every_language(
    client, lists, django_assert_max_num_queries
):
    client.get("/en/newsletter/")  # the site settings row is created on first use
    baseline = {}
    for language in ("en", "fr", "sw"):
        with django_assert_max_num_queries(12) as few:
            client.get(f"/{language}/newsletter/")
        baseline[language] = len(few.captured_queries)
    MailingListFactory.create_batch(8)
    for language in ("en", "fr", "sw"):
        with django_assert_max_num_queries(baseline[language]):
            response = client.get(f"/{language}/newsletter/")
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()
        assert b"Monthly Briefing" in response.content


@pytest.fixture
def subscriber(lists):
    return SubscriberFactory(email="amina@example.org", language="sw", lists=lists)


def _unsubscribe_path(subscriber, mailing_list=None):
    token = tokens.link_token_make(
        key=subscriber.key, list_id=mailing_list.pk if mailing_list else None
    )
    return reverse("newsletter:unsubscribe", kwargs={"token": token})


def test_one_click_post_unsubscribes_without_csrf(lists, subscriber):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    path = _unsubscribe_path(subscriber, lists[0])
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.get(
        subscriber=subscriber, mailing_list=lists[0]
    ).active
    assert Subscription.objects.get(subscriber=subscriber, mailing_list=lists[1]).active
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED

    client.post(
        _unsubscribe_path(subscriber, lists[1]), {"List-Unsubscribe": "One-Click"}
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert (
        ConsentRecord.objects.filter(
            subscriber=subscriber, action=ConsentAction.UNSUBSCRIBED
        ).count()
        == 2
    )


def test_unsubscribe_get_only_shows_a_button(client, lists, subscriber):
    response = client.get(_unsubscribe_path(subscriber, lists[0]))
    assert response.status_code == 200
    assert b'name="List-Unsubscribe" value="One-Click"' in response.content
    assert Subscription.objects.filter(subscriber=subscriber, active=True).count() == 2
    # A POST without the RFC 8058 body changes nothing either.
    assert client.post(_unsubscribe_path(subscriber, lists[0])).status_code == 400
    assert Subscription.objects.filter(subscriber=subscriber, active=True).count() == 2


def test_one_subscribers_token_cannot_touch_another(client, lists, subscriber):
    other = SubscriberFactory(lists=lists)
    path = _unsubscribe_path(subscriber, lists[0])
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert other.subscriptions.filter(active=True).count() == 2
    # A token with another list id bolted on fails its signature.
    token = path.split("/")[-2]
    key, signature = token.rsplit(":", 1)
    forged = f"{other.key}.{lists[0].pk}:{signature}"
    response = client.post(
        f"/en/newsletter/unsubscribe/{forged}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 400
    assert other.subscriptions.filter(active=True).count() == 2
    # And the token carries only the subscriber's random key (not the
    # address, not the id) and the list, under a signature.
    assert key == f"{subscriber.key}.{lists[0].pk}"
    assert "amina" not in token
    assert len(subscriber.key) >= 32


def test_preferences_change_lists_and_language(client, lists, subscriber):
    token = tokens.link_token_make(key=subscriber.key)
    path = reverse("newsletter:preferences", kwargs={"token": token})
    response = client.get(path)
    assert response.status_code == 200
    assert b"amina@example.org" in response.content

    response = client.post(
        path, {"lists": [lists[1].pk], "language": "fr", "save": "1"}
    )
    assert response.status_code == 200
    assert b"Your choices are saved." in response.content
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"
    assert list(subscriber.lists.filter(subscriptions__active=True)) == [lists[1]]

    response = client.post(path, {"lists": [], "language": "xx"})
    assert response.status_code == 400

    response = client.post(path, {"leave": "1"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert not subscriber.subscriptions.filter(active=True).exists()


def test_preferences_with_a_bad_token(client):
    assert client.get("/en/newsletter/preferences/nope:nope/").status_code == 400


def test_unsubscribed_person_opts_in_again_only_by_confirming(
    client, lists, subscriber
):
    subscriptions.subscriber_unsubscribe(
        subscriber=subscriber, mailing_list=None, source="t"
    )
    client.post(SUBSCRIBE_URL, _form(lists, email="amina@example.org"))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    client.post(_link(mail.outbox[-1], "confirm"))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_expiry_is_seven_days():
    assert timedelta(days=7) == tokens.CONFIRM_MAX_AGE


def test_home_page_offers_the_form_and_it_subscribes(client, home_page, lists):
    from django.test import Client

    home_page.newsletter_heading = "Our newsletters"
    home_page.save_revision().publish()
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(home_page.url)
    content = response.content.decode()
    assert 'id="newsletter-email"' in content
    assert "Monthly Briefing" in content
    assert 'href="/en/newsletter/"' in content  # the footer link
    # The page is the same for every reader: no cookie, no token, cacheable.
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in content
    assert "public" in response["Cache-Control"]
    response = browser.post(
        SUBSCRIBE_URL, _form(lists), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_a_post_from_another_sites_page_is_refused(lists):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    for origin in ("https://evil.example", "null"):
        response = browser.post(SUBSCRIBE_URL, _form(lists), HTTP_ORIGIN=origin)
        assert response.status_code == 403
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_home_page_without_public_lists_keeps_the_email_link(client, home_page):
    home_page.newsletter_heading = "Our newsletters"
    home_page.save_revision().publish()
    content = client.get(home_page.url).content.decode()
    assert 'id="newsletter-email"' not in content


def test_saving_no_list_on_preferences_unsubscribes(client, lists, subscriber):
    path = reverse(
        "newsletter:preferences",
        kwargs={"token": tokens.link_token_make(key=subscriber.key)},
    )
    client.post(path, {"language": "sw", "save": "1"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    # From their own link, the person may choose lists again.
    client.post(path, {"lists": [lists[0].pk], "language": "sw", "save": "1"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert list(subscriber.lists.filter(subscriptions__active=True)) == [lists[0]]


def _ticked(response) -> set[str]:
    html = response.content.decode()
    return set(
        re.findall(
            r'<input type="checkbox" name="lists" value="(\d+)"[^>]*checked', html
        )
    )


def test_a_link_ticks_the_list_it_names_or_the_digest_it_carries(client, db):
    briefing = MailingListFactory(
        name="Monthly Briefing", slug="briefing", digest_type="briefings.briefingpage"
    )
    bulletin = MailingListFactory(
        name="Arms Trade Bulletin",
        slug="bulletin",
        digest_type="bulletins.bulletinpage",
    )

    assert _ticked(client.get(SUBSCRIBE_URL)) == set()
    assert _ticked(client.get(SUBSCRIBE_URL, {"digest": "bulletins.bulletinpage"})) == {
        str(bulletin.pk)
    }
    assert _ticked(client.get(SUBSCRIBE_URL, {"list": "briefing"})) == {
        str(briefing.pk)
    }
    assert _ticked(client.get(SUBSCRIBE_URL, {"list": str(bulletin.pk)})) == {
        str(bulletin.pk)
    }
    assert _ticked(client.get(SUBSCRIBE_URL, {"list": "nope", "digest": "x"})) == set()
