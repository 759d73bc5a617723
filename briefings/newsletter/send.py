"""A small sending interface: dispatch talks to it, never to an email library.

The default implementation sends through Django's email backend
(`EMAIL_BACKEND`: SMTP, console, locmem…). An email service provider plugs in
as another class named by the `BRIEFINGS_SENDING_BACKEND` setting.
"""

import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formataddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from briefings.newsletter.models import email_is_valid

DEFAULT_BACKEND = "briefings.newsletter.send.DjangoEmailSendingBackend"
# Control characters (newlines above all) end a header line: never let one in.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Characters that separate or wrap addresses in a header.
_ADDRESS_SYNTAX = re.compile(r"[\s,;<>\"()\\]")


class RecipientRefused(Exception):
    """This one message cannot be sent; the others can (recorded per recipient)."""


def header_text(value: str) -> str:
    """A single-line header value: control characters become spaces."""
    return _CONTROL.sub(" ", value or "").strip()


def address_checked(address: str) -> str:
    """A bare address that cannot smuggle a header or a second recipient."""
    if not address or _ADDRESS_SYNTAX.search(address) or not email_is_valid(address):
        raise RecipientRefused(f"invalid address {address!r}")
    return address


def mailbox(name: str, address: str) -> str:
    """“Name <address>”, the name made a harmless single line."""
    return formataddr((header_text(name).replace('"', "'"), address_checked(address)))


@dataclass
class OutgoingMessage:
    """What one email is, whatever sends it."""

    to: str
    subject: str
    text: str
    html: str = ""
    from_email: str = ""
    reply_to: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class DjangoEmailSendingBackend:
    """Sends through Django's configured email backend, one connection per session."""

    def __init__(self) -> None:
        self.connection = None

    @contextmanager
    def session(self) -> Iterator["DjangoEmailSendingBackend"]:
        self.connection = get_connection()
        self.connection.open()
        try:
            yield self
        finally:
            self.connection.close()
            self.connection = None

    def build(self, message: OutgoingMessage) -> EmailMultiAlternatives:
        headers = {key: header_text(value) for key, value in message.headers.items()}
        email = EmailMultiAlternatives(
            subject=header_text(message.subject),
            body=message.text,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=[address_checked(message.to)],
            reply_to=[message.reply_to] if message.reply_to else None,
            headers=headers,
            connection=self.connection,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        return email

    def send(self, message: OutgoingMessage) -> None:
        """Send one message; RecipientRefused when only this recipient fails."""
        try:
            email = self.build(message)
            if self.connection is None:
                email.send()
            else:
                self.connection.send_messages([email])
        except (BadHeaderError, ValueError) as error:
            raise RecipientRefused(str(error)) from error
        except smtplib.SMTPRecipientsRefused as error:
            raise RecipientRefused(f"refused by the mail server: {error}") from error


def sending_backend_get():
    """The configured sending backend (a new instance)."""
    path = getattr(settings, "BRIEFINGS_SENDING_BACKEND", DEFAULT_BACKEND)
    return import_string(path)()
