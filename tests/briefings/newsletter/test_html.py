"""The newsletter pages and emails are valid HTML (one checker run for all)."""

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

import pytest

from briefings.newsletter import tokens
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory
from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db


def test_newsletter_pages_are_valid_html(client, home_page):
    cache.clear()
    lists = [
        MailingListFactory(name="Monthly Briefing"),
        MailingListFactory(name="Arms Trade Bulletin"),
    ]
    subscriber = SubscriberFactory(lists=lists)
    link = tokens.link_token_make(key=subscriber.key)
    unsubscribe = tokens.link_token_make(key=subscriber.key, list_id=lists[0].pk)
    documents = {}

    def get(name, path, method="get", data=None, status=200):
        response = getattr(client, method)(path, data or {})
        assert response.status_code == status, (name, response.status_code)
        documents[name] = response.content

    get("subscribe", "/fr/newsletter/")
    get("subscribe with errors", "/en/newsletter/", "post", {"email": "x"}, 400)
    client.post(
        "/en/newsletter/",
        {"email": "new@example.org", "lists": [lists[0].pk], "language": "en"},
    )
    get("check inbox", "/en/newsletter/check-your-inbox/")
    confirm = mail.outbox[0].body.split("http://testserver", 1)[1].split()[0]
    get("confirm", confirm)
    get("confirmed", confirm, "post")
    get("invalid", confirm, "post", status=400)
    preferences = reverse("newsletter:preferences", kwargs={"token": link})
    get("preferences", preferences)
    get(
        "preferences saved",
        preferences,
        "post",
        {"lists": [lists[1].pk], "language": "sw"},
    )
    path = reverse("newsletter:unsubscribe", kwargs={"token": unsubscribe})
    get("unsubscribe", path)
    get("unsubscribed", path, "post", {"List-Unsubscribe": "One-Click"})
    for number, message in enumerate(mail.outbox):
        documents[f"email {number}"] = message.alternatives[0][0].encode()

    assert_valid_html_documents(documents)
