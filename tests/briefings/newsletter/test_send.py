"""The sending interface: header safety and the Django email implementation."""

import smtplib

from django.core import mail
from django.test import override_settings

import pytest

from briefings.newsletter.send import (
    DjangoEmailSendingBackend,
    OutgoingMessage,
    RecipientRefused,
    address_checked,
    header_text,
    mailbox,
    sending_backend_get,
)


def test_header_text_is_one_line():
    assert header_text("Hello\r\nBcc: x@y.org\x00") == "Hello Bcc: x@y.org"


@pytest.mark.parametrize(
    "address",
    [
        "",
        "a@b.org\nBcc: c@d.org",
        "a@b.org, c@d.org",
        "Name <a@b.org>",
        "a@b.org;c@d.org",
        "not an address",
    ],
)
def test_only_bare_single_addresses_pass(address):
    with pytest.raises(RecipientRefused):
        address_checked(address)


def test_mailbox_quotes_a_hostile_name():
    assert mailbox('Eve "the" \nBoss', "eve@example.org") == (
        "Eve 'the'  Boss <eve@example.org>"
    )


def test_send_without_a_session_uses_its_own_connection():
    backend = DjangoEmailSendingBackend()
    backend.send(
        OutgoingMessage(
            to="a@example.org",
            subject="Hi\nthere",
            text="Text",
            headers={"X-Test": "one\r\ntwo"},
        )
    )
    (message,) = mail.outbox
    assert message.subject == "Hi there"
    assert message.extra_headers["X-Test"] == "one two"
    assert message.alternatives == []


class RefusingConnection:
    """Stands in for a remote SMTP server that refuses one recipient."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")})


@override_settings(
    EMAIL_BACKEND="tests.briefings.newsletter.test_send.RefusingConnection"
)
def test_a_refused_recipient_is_reported_for_that_recipient():
    backend = DjangoEmailSendingBackend()
    with backend.session(), pytest.raises(RecipientRefused, match="refused"):
        backend.send(OutgoingMessage(to="a@example.org", subject="s", text="t"))


class OtherBackend:
    pass


@override_settings(
    BRIEFINGS_SENDING_BACKEND="tests.briefings.newsletter.test_send.OtherBackend"
)
def test_the_backend_is_chosen_by_a_setting():
    assert isinstance(sending_backend_get(), OtherBackend)
