"""Counted links and the sent issue, from the reader's and the attacker's side.

A click adds one to a link's total and nothing else: no row says who
clicked. The redirect only goes where the dispatch's email pointed.
"""

import re
from email import message_from_bytes

from django.core import mail, signing
from django.db import models
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

import pytest

from briefings.email.render import PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER
from briefings.newsletter import clicks, tokens
from briefings.newsletter.choices import DeliveryStatus
from briefings.newsletter.dispatch import (
    digest_send_test,
    dispatch_create,
    dispatch_send,
    dispatch_uncertain_drop,
)
from briefings.newsletter.models import (
    Dispatch,
    DispatchArchive,
    DispatchLink,
    Subscriber,
)
from tests.briefings.newsletter.factories import (
    CrashingBackend,
    MailingListFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db

CLICK = re.compile(r'href="(http://testserver/[a-z]{2}/newsletter/r/[^"/]+/)"')
TEXT_CLICK = re.compile(r"http://testserver/[a-z]{2}/newsletter/r/[^\s/]+/")
SUSPECT_IP = "203.0.113.77"
SUSPECT_AGENT = "Mozilla/5.0 (Reader's own laptop) Clicky/1.0"


@pytest.fixture
def readers(briefing_list):
    return [
        SubscriberFactory(
            email="en1@example.org", language="en", lists=[briefing_list]
        ),
        SubscriberFactory(
            email="en2@example.org", language="en", lists=[briefing_list]
        ),
        SubscriberFactory(
            email="fr1@example.org", language="fr", lists=[briefing_list]
        ),
    ]


def _send(issue, briefing_list, **options) -> Dispatch:
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    dispatch_send(dispatch=dispatch, **options)
    return dispatch


def _html(message) -> str:
    return message.alternatives[0][0]


def _by_address():
    return {message.to[0]: message for message in mail.outbox}


def _page_url(page) -> str:
    return "http://testserver" + page.get_url_parts()[2]


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def test_links_are_counted_the_same_for_everyone_and_redirect_to_the_target(
    issue, briefing_list, readers
):
    dispatch = _send(issue, briefing_list)
    messages = _by_address()
    en1, en2 = _html(messages["en1@example.org"]), _html(messages["en2@example.org"])
    # Every reader of a language gets the same counted links: the links
    # cannot tell readers apart.
    assert CLICK.findall(en1)
    assert CLICK.findall(en1) == CLICK.findall(en2)
    assert TEXT_CLICK.findall(messages["en1@example.org"].body)
    links = {link.url: link for link in DispatchLink.objects.filter(dispatch=dispatch)}
    assert links
    # No http(s) link is left uncounted apart from mailto and the per-reader ones.
    for href in re.findall(r'href="(https?://[^"]+)"', en1):
        assert (
            "/newsletter/r/" in href
            or "/newsletter/unsubscribe/" in href
            or ("/newsletter/preferences/" in href)
        ), href

    first = CLICK.findall(en1)[0]
    browser = Client(REMOTE_ADDR=SUSPECT_IP, HTTP_USER_AGENT=SUSPECT_AGENT)
    browser.cookies["sessionid"] = "reader-session"
    response = browser.get(_path(first))
    assert response.status_code == 302
    target = response["Location"]
    assert target in links
    assert response["Referrer-Policy"] == "no-referrer"
    Client().get(_path(first))
    # A HEAD (a link preview, a scanner) is answered but not counted.
    assert Client().head(_path(first)).status_code == 302
    assert DispatchLink.objects.get(dispatch=dispatch, url=target).clicks == 2
    assert sum(DispatchLink.objects.values_list("clicks", flat=True)) == 2


def test_no_click_record_holds_a_subscriber_id_address_or_ip(
    issue, briefing_list, readers
):
    """The Done-means test: what is stored of a click names nobody."""
    dispatch = _send(issue, briefing_list)
    followed = 0
    for message in mail.outbox:
        for url in CLICK.findall(_html(message)):
            response = Client(
                REMOTE_ADDR=SUSPECT_IP, HTTP_USER_AGENT=SUSPECT_AGENT
            ).get(_path(url))
            assert response.status_code == 302
            followed += 1

    # The model: a link, its place, its total. No relation to a subscriber or
    # a delivery, no address, no IP, no browser, no time of a click.
    fields = {field.name for field in DispatchLink._meta.get_fields()}
    assert fields == {"id", "dispatch", "url", "position", "clicks"}
    for field in DispatchLink._meta.get_fields():
        if field.is_relation:
            assert field.related_model is Dispatch
        assert not isinstance(field, models.GenericIPAddressField | models.EmailField)

    # The stored values: nothing of any reader, nor of the clicking browser.
    rows = list(DispatchLink.objects.values())
    assert sum(row["clicks"] for row in rows) == followed > 0
    stored = " ".join(str(value) for row in rows for value in row.values())
    for subscriber in Subscriber.objects.all():
        assert subscriber.email not in stored
        assert subscriber.key not in stored
    assert SUSPECT_IP not in stored
    assert "Clicky" not in stored
    # The ids in a row are the link's and the dispatch's, never a reader's.
    assert {row["dispatch_id"] for row in rows} == {dispatch.pk}

    # The tokens carry the dispatch and the link only.
    for url in CLICK.findall(_html(mail.outbox[0])):
        token = url.rstrip("/").rsplit("/", 1)[1]
        dispatch_id, link_id = clicks.click_token_read(token)
        assert dispatch_id == dispatch.pk
        assert DispatchLink.objects.filter(pk=link_id, dispatch=dispatch).exists()
        value = signing.Signer(salt=clicks.CLICK_SALT).unsign(token)
        assert value == f"{dispatch.pk}.{link_id}"


def test_a_tampered_or_foreign_token_is_a_404_never_a_redirect(
    issue, briefing_list, readers
):
    dispatch = _send(issue, briefing_list)
    genuine = CLICK.findall(_html(mail.outbox[0]))[0]
    token = genuine.rstrip("/").rsplit("/", 1)[1]
    other_list = MailingListFactory(digest_type="briefings.briefingpage")
    SubscriberFactory(email="elsewhere@example.org", lists=[other_list])
    other = _send(issue, other_list)
    other_link = DispatchLink.objects.filter(dispatch=other).first()
    link = DispatchLink.objects.filter(dispatch=dispatch).first()

    def click_url(value: str) -> str:
        with translation.override("en"):
            return reverse("newsletter:click", kwargs={"token": value})

    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature cut
        signing.Signer(salt=clicks.CLICK_SALT, key="guessed").sign(
            f"{dispatch.pk}.{link.pk}"
        ),  # another key
        # Signed, but with another salt: an unsubscribe link's token.
        tokens.link_token_make(key=readers[0].key),
        # A genuine signature over a link of another dispatch.
        clicks.click_token_make(dispatch_id=dispatch.pk, link_id=other_link.pk),
        clicks.click_token_make(dispatch_id=dispatch.pk, link_id=999999),
        "https%3A%2F%2Fevil.example%2F",
    ]
    for value in forged:
        response = Client().get(click_url(value) + "?next=https://evil.example/")
        assert response.status_code == 404, value
        assert "Location" not in response
        assert b"evil.example" not in response.content
    # A redirect only ever goes to a URL stored for that dispatch.
    response = Client().get(_path(genuine) + "?next=https://evil.example/")
    assert response["Location"] in set(
        DispatchLink.objects.filter(dispatch=dispatch).values_list("url", flat=True)
    )
    assert not DispatchLink.objects.filter(url__contains="evil.example").exists()
    assert sum(DispatchLink.objects.values_list("clicks", flat=True)) == 1


@override_settings(NEWSLETTER_CLICK_COUNTING=False)
def test_with_click_counting_off_links_go_straight_to_their_targets(
    issue, briefing_list, readers
):
    dispatch = _send(issue, briefing_list)
    for message in mail.outbox:
        assert "/newsletter/r/" not in _html(message)
        assert "/newsletter/r/" not in message.body
    assert not DispatchLink.objects.exists()
    # The issue's own links are there as they are.
    page_url = _page_url(issue)
    assert f'href="{page_url}"' in _html(_by_address()["en1@example.org"])
    # The issue is still archived.
    assert set(dispatch.archives.values_list("language", flat=True)) == {"en", "fr"}


def _sent_with_placeholders(message) -> tuple[str, str]:
    """The message's HTML and text with this reader's own links put back as
    the placeholders the archive keeps."""
    parsed = message_from_bytes(message.message().as_bytes())
    unsubscribe = "".join(parsed["List-Unsubscribe"].split())[1:-1]
    subscriber = Subscriber.objects.get(email=message.to[0])
    with translation.override(subscriber.language):
        preferences = "http://testserver" + reverse(
            "newsletter:preferences",
            kwargs={"token": tokens.link_token_make(key=subscriber.key)},
        )
    html = _html(message)
    html = html.replace(unsubscribe.replace("&", "&amp;"), UNSUBSCRIBE_PLACEHOLDER)
    html = html.replace(preferences.replace("&", "&amp;"), PREFERENCES_PLACEHOLDER)
    text = message.body.replace(unsubscribe, UNSUBSCRIBE_PLACEHOLDER)
    text = text.replace(preferences, PREFERENCES_PLACEHOLDER)
    return html, text


def test_the_archive_is_what_was_sent_once_per_language_even_after_a_crash(
    issue, briefing_list, readers
):
    SubscriberFactory.create_batch(3, language="en", lists=[briefing_list])
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    with pytest.raises(ConnectionResetError):
        dispatch_send(dispatch=dispatch, backend=CrashingBackend(crash_after=2))
    # The page changes before the dispatch resumes: the rest still get what
    # the first ones got (the archive), not the new wording.
    issue.title = "Rewritten after the first messages"
    issue.save_revision().publish()
    Dispatch.objects.filter(pk=dispatch.pk).update(lease_until=None)
    dispatch_uncertain_drop(dispatch=dispatch)
    dispatch_send(dispatch=dispatch)
    assert len(mail.outbox) >= 5
    assert dispatch.deliveries.filter(status=DeliveryStatus.SENT).count() == len(
        mail.outbox
    )

    archives = {archive.language: archive for archive in dispatch.archives.all()}
    assert DispatchArchive.objects.count() == 2
    assert set(archives) == {"en", "fr"}
    for message in mail.outbox:
        language = Subscriber.objects.get(email=message.to[0]).language
        archive = archives[language]
        html, text = _sent_with_placeholders(message)
        assert message.subject == archive.subject
        assert "Rewritten" not in message.subject
        assert html == archive.html
        assert text == archive.text
    # Nothing personal in the archive: no reader's address or key.
    for archive in archives.values():
        for subscriber in Subscriber.objects.all():
            assert subscriber.email not in archive.html + archive.text
            assert subscriber.key not in archive.html + archive.text


def test_test_sends_are_neither_counted_nor_archived(issue, briefing_list, readers):
    digest_send_test(
        page=issue, mailing_list=briefing_list, to_email="me@institute.example"
    )
    (message,) = mail.outbox
    assert "/newsletter/r/" not in _html(message)
    assert not DispatchLink.objects.exists()
    assert not DispatchArchive.objects.exists()


@override_settings(NEWSLETTER_VIEW_IN_BROWSER="archived")
def test_view_in_browser_can_serve_the_archived_issue(issue, briefing_list, readers):
    dispatch = _send(issue, briefing_list)
    page_url = _page_url(issue)
    message = _by_address()["fr1@example.org"]
    # "View in browser" no longer points to the live page…
    assert f'href="{page_url}"' not in _html(message)
    # …but (through the click count) to the archived copy of this language.
    archived = [
        link.url
        for link in DispatchLink.objects.filter(dispatch=dispatch)
        if "/newsletter/sent/" in link.url
    ]
    assert len(archived) == 2  # en and fr
    fr_url = next(url for url in archived if "/fr/" in url)
    response = Client().get(_path(fr_url))
    assert response.status_code == 200
    body = response.content.decode()
    archive = dispatch.archives.get(language="fr")
    assert archive.subject in body or archive.subject.split(":")[0] in body
    # Nobody's personal links: the placeholders lead to the subscription page.
    assert UNSUBSCRIBE_PLACEHOLDER not in body
    assert "/newsletter/unsubscribe/" not in body
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy
    # A tampered archive token is a 404.
    assert Client().get(_path(fr_url)[:-3] + "x/").status_code == 404
    # An issue taken off the site is no longer served from the archive.
    issue.unpublish()
    assert Client().get(_path(fr_url)).status_code == 404


@override_settings(NEWSLETTER_VIEW_IN_BROWSER="live")
def test_view_in_browser_live_keeps_the_page(issue, briefing_list, readers):
    dispatch = _send(issue, briefing_list)
    assert not any(
        "/newsletter/sent/" in url
        for url in DispatchLink.objects.filter(dispatch=dispatch).values_list(
            "url", flat=True
        )
    )
    assert _page_url(issue) in set(DispatchLink.objects.values_list("url", flat=True))
