"""Links in emails across a key rotation, and the reason each kind of link fails."""

from django.core import signing
from django.test import override_settings

import pytest

from briefings.newsletter import subscriptions, tokens
from briefings.newsletter.choices import SubscriberStatus
from briefings.newsletter.models import Subscriber
from tests.briefings.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

OLD_KEY = "test-only-key"  # the test settings' SECRET_KEY
NEW_KEY = "a-new-test-only-key-after-rotation"


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def test_unsubscribe_links_survive_a_key_rotation(client, briefing_list):
    reader = SubscriberFactory(email="amani@example.org", lists=[briefing_list])
    link = _path(subscriptions.unsubscribe_url(reader, briefing_list))
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert client.get(link).status_code == 200
        response = client.post(link, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        # New links are signed with the new key.
        assert subscriptions.unsubscribe_url(reader, None) != link
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.UNSUBSCRIBED


def test_without_the_old_key_among_the_fallbacks_old_links_fail(client, briefing_list):
    reader = SubscriberFactory(email="amani@example.org", lists=[briefing_list])
    link = _path(subscriptions.unsubscribe_url(reader, briefing_list))
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        response = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert response.context["reason"] == "link_broken"
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.CONFIRMED


def _confirm_link(subscriber, mailing_list) -> str:
    token = tokens.confirmation_token_make(
        subscriber_id=subscriber.pk,
        nonce=subscriber.confirmation_nonce,
        list_ids=[mailing_list.pk],
        language="en",
    )
    return f"/en/newsletter/confirm/{token}/"


def test_confirmation_links_survive_a_key_rotation(client, briefing_list):
    pending = SubscriberFactory(
        email="new@example.org", pending=True, confirmation_nonce="nonce-1"
    )
    link = _confirm_link(pending, briefing_list)
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert client.post(link).status_code == 200
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.CONFIRMED


def test_an_expired_confirmation_link_says_it_expired(
    client, briefing_list, monkeypatch
):
    pending = SubscriberFactory(
        email="new@example.org", pending=True, confirmation_nonce="nonce-1"
    )
    link = _confirm_link(pending, briefing_list)
    later = signing.time.time() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert response.context["reason"] == "confirm_expired"
        assert "confirmation links work for seven days" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.PENDING


def test_a_used_confirmation_link_says_it_works_once(client, briefing_list):
    pending = SubscriberFactory(
        email="new@example.org", pending=True, confirmation_nonce="nonce-1"
    )
    link = _confirm_link(pending, briefing_list)
    assert client.post(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 400
    assert response.context["reason"] == "confirm_unusable"
    assert "each confirmation link works once" in response.content.decode()


def test_a_cut_unsubscribe_link_says_these_links_do_not_expire(client, briefing_list):
    reader = SubscriberFactory(email="amani@example.org", lists=[briefing_list])
    link = _path(subscriptions.unsubscribe_url(reader, briefing_list))
    response = client.get(link[:-10] + "/")
    assert response.status_code == 400
    assert response.context["reason"] == "link_broken"
    content = response.content.decode()
    assert "do not expire" in content
    assert "seven days" not in content


def test_a_genuine_link_of_an_erased_subscriber_says_nothing_is_held(
    client, briefing_list
):
    reader = SubscriberFactory(email="amani@example.org", lists=[briefing_list])
    link = _path(subscriptions.preferences_url(reader))
    Subscriber.objects.filter(pk=reader.pk).delete()
    response = client.get(link)
    assert response.status_code == 400
    assert response.context["reason"] == "link_gone"
    assert "no longer on our lists" in response.content.decode()
