"""Headers nobody can steer: encoded-words stay text, addresses stay one address.

Every message is parsed from its raw bytes with the standard library's parser
(the modern policy, which decodes RFC 2047 as mail clients do), and the set of
headers and their decoded values are checked.
"""

from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser

from django.core import mail
from django.test import override_settings
from django.urls import reverse

import pytest

from briefings.newsletter.choices import DeliveryStatus, DispatchStatus
from briefings.newsletter.dispatch import (
    digest_send_test,
    dispatch_create,
    dispatch_resume,
    dispatch_send,
)
from briefings.newsletter.models import Delivery, MailingList
from briefings.newsletter.send import (
    DjangoEmailSendingBackend,
    OutgoingMessage,
    delivery_pk_from_message_id,
)
from tests.briefings.newsletter.factories import SubscriberFactory
from tests.briefings.newsletter.test_admin import MAILING_PERMISSIONS, _staff

pytestmark = pytest.mark.django_db

# Decodes, in a careless client, to a line break and a header of its own.
TRAP = "=?utf-8?q?Hello=0D=0ABcc:_spy@evil.example?="
EVIL_REPLY_TO = '"x>,<https://evil.example/u"@example.org'
EXPECTED_HEADERS = {
    "Auto-Submitted",
    "Content-Type",
    "Date",
    "From",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Message-ID",
    "Precedence",
    "Reply-To",
    "Subject",
    "To",
}


def _parsed(message):
    raw = message.message().as_bytes()
    return raw, BytesParser(policy=policy.default).parsebytes(raw)


def _decoded(raw: bytes, name: str) -> str:
    """A header's text as RFC 2047 decodes it (spaces between encoded-words
    mean nothing), unfolded."""
    value = BytesParser(policy=policy.compat32).parsebytes(raw)[name]
    return str(make_header(decode_header(value)))


def _send_issue(issue, mailing_list):
    SubscriberFactory(email="reader@example.org", lists=[mailing_list])
    dispatch = dispatch_create(page=issue, mailing_list=mailing_list)
    report = dispatch_send(dispatch=dispatch)
    return dispatch, report


def test_encoded_words_in_titles_and_names_arrive_as_text(issue, briefing_list):
    issue.title = f"March {TRAP}"
    issue.save_revision().publish()
    MailingList.objects.filter(pk=briefing_list.pk).update(
        name=f"Briefing {TRAP}", from_name=f"Institute {TRAP}"
    )
    briefing_list.refresh_from_db()
    _dispatch, report = _send_issue(issue, briefing_list)
    assert report.sent == 1
    (message,) = mail.outbox
    raw, parsed = _parsed(message)
    # No header more than the ones we build, each once; no Bcc smuggled in.
    assert set(parsed) == EXPECTED_HEADERS
    assert len(parsed.keys()) == len(EXPECTED_HEADERS)
    assert parsed["Bcc"] is None
    assert not any(line.lower().startswith(b"bcc") for line in raw.split(b"\n"))
    # Decoded as a mail client decodes them, the values say what was written.
    assert TRAP in str(parsed["Subject"])
    assert _decoded(raw, "Subject").startswith(f"March {TRAP}")
    (sender,) = parsed["From"].addresses
    assert sender.addr_spec == "briefing@institute.example"
    assert _decoded(raw, "From") == (f"Institute {TRAP} <briefing@institute.example>")
    assert _decoded(raw, "List-Id") == f"Briefing {TRAP} <briefing.testserver>"
    assert parsed["To"].addresses[0].addr_spec == "reader@example.org"
    assert len(parsed["To"].addresses) == 1
    assert parsed["Reply-To"].addresses[0].addr_spec == "editors@institute.example"


def test_list_id_phrase_is_quoted_and_long_values_folded(issue, briefing_list):
    long_title = "A very long issue title " * 9
    issue.title = long_title.strip()
    issue.save_revision().publish()
    MailingList.objects.filter(pk=briefing_list.pk).update(name='The "Monthly" List')
    briefing_list.refresh_from_db()
    _send_issue(issue, briefing_list)
    (message,) = mail.outbox
    raw, parsed = _parsed(message)
    header_block = raw.split(b"\n\n", 1)[0]
    subject_lines = header_block.split(b"\nFrom:")[0].split(b"Subject:")[1]
    assert subject_lines.count(b"\n ") >= 2  # folded
    # Every line is short but the one-click link, which cannot be cut.
    assert max(len(line) for line in header_block.split(b"\n")) <= 998
    assert all(
        len(line) <= 78 for line in header_block.split(b"\n") if b"http" not in line
    )
    assert long_title.strip() in " ".join(str(parsed["Subject"]).split())
    assert b'List-Id: "The \\"Monthly\\" List" <briefing.testserver>' in raw


def test_a_non_ascii_sender_name_is_encoded_and_kept(issue, briefing_list):
    MailingList.objects.filter(pk=briefing_list.pk).update(
        from_name="Institut de la Paix — Bruxelles"
    )
    briefing_list.refresh_from_db()
    _send_issue(issue, briefing_list)
    raw, parsed = _parsed(mail.outbox[0])
    header_block = raw.split(b"\n\n", 1)[0]
    assert header_block.isascii()
    assert _decoded(raw, "From") == (
        "Institut de la Paix — Bruxelles <briefing@institute.example>"
    )


@override_settings(NEWSLETTER_MAIL_DOMAIN="mail.institute.example")
def test_message_id_is_in_the_site_domain_and_names_the_delivery(issue, briefing_list):
    _send_issue(issue, briefing_list)
    _raw, parsed = _parsed(mail.outbox[0])
    message_id = str(parsed["Message-ID"])
    assert message_id.endswith("@mail.institute.example>")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery_pk_from_message_id(message_id) == delivery.pk
    # A forged one (right shape, wrong mark) names nothing.
    forged = message_id.replace(message_id.split(".")[2][:16], "0" * 16)
    assert delivery_pk_from_message_id(forged) is None


def test_other_messages_get_a_message_id_in_the_site_domain(issue, briefing_list):
    # The test send (and the confirmation emails) go through the same backend.
    digest_send_test(page=issue, mailing_list=briefing_list, to_email="me@example.org")
    DjangoEmailSendingBackend().send(
        OutgoingMessage(to="you@example.org", subject="Hi", text="Hello")
    )
    for message in mail.outbox:
        _raw, parsed = _parsed(message)
        assert str(parsed["Message-ID"]).endswith("@testserver>")


def test_a_stored_bad_sender_holds_the_dispatch_cleanly(issue, briefing_list):
    SubscriberFactory(email="reader@example.org", lists=[briefing_list])
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    # Written past the form, as an old row or a direct edit would be.
    MailingList.objects.filter(pk=briefing_list.pk).update(reply_to=EVIL_REPLY_TO)

    report = dispatch_send(dispatch=dispatch)

    # Paused with the reason for staff, not a crash left "sending".
    assert report.stopped == "paused"
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.PAUSED
    assert "not one plain address" in dispatch.stop_reason
    assert mail.outbox == []
    # Nothing claimed, nothing in doubt: correcting the list and resuming works.
    assert set(Delivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.PENDING
    }
    MailingList.objects.filter(pk=briefing_list.pk).update(reply_to="")
    assert dispatch_resume(dispatch=dispatch)
    assert dispatch_send(dispatch=dispatch).sent == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("reply_to", EVIL_REPLY_TO),
        ("from_email", EVIL_REPLY_TO),
        ("reply_to", '"editors"@institute.example'),
    ],
)
def test_the_list_form_refuses_an_address_that_is_not_plain(
    client, django_user_model, briefing_list, field, value
):
    editor = _staff(
        django_user_model, "lists", [*MAILING_PERMISSIONS, "change_mailinglist"]
    )
    client.force_login(editor)
    url = reverse(
        "wagtailsnippets_newsletter_mailinglist:edit", args=[briefing_list.pk]
    )
    data = {
        "name": briefing_list.name,
        "slug": briefing_list.slug,
        "description": "",
        "digest_type": briefing_list.digest_type,
        "from_name": briefing_list.from_name,
        "from_email": briefing_list.from_email,
        "reply_to": briefing_list.reply_to,
        "is_public": "on",
        "sort_order": "0",
        # The inline translations (none here).
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        field: value,
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "one plain address" in response.content.decode()
    briefing_list.refresh_from_db()
    assert getattr(briefing_list, field) != value
    # The same form with plain addresses saves.
    data[field] = "news@institute.example"
    response = client.post(url, data)
    assert response.status_code == 302
    briefing_list.refresh_from_db()
    assert getattr(briefing_list, field) == "news@institute.example"
