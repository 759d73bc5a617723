"""A small sending interface: dispatch talks to it, never to an email library.

The default implementation sends through Django's email backend
(`EMAIL_BACKEND`: SMTP, console, locmem, or an email provider through
django-anymail such as `anymail.backends.postmark.EmailBackend`). Another
implementation plugs in as a class named by `BRIEFINGS_SENDING_BACKEND`.
Whatever it is, `sending_backend_get` paces it (`pacing.py`).

Headers cannot be steered by what they carry: every value is one line, and a
value that holds an RFC 2047 encoded-word (`=?utf-8?q?…?=`) is itself
encoded, so that a mail client shows that text as written instead of
decoding it into something else (a line break, another header).
"""

import hmac
import re
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.charset import Charset
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from briefings.newsletter import pacing
from briefings.newsletter.models import address_is_plain
from theme.address import public_host

DEFAULT_BACKEND = "briefings.newsletter.send.DjangoEmailSendingBackend"
# Control characters (newlines above all) end a header line: never let one in.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# A word made of these alone may stand in a phrase as it is (RFC 5322 atext).
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")
_UTF8 = Charset("utf-8")
# Bytes per encoded-word: at most 52 characters, so each fits a folded line.
_WORD_BYTES = 30


class RecipientRefused(Exception):
    """This one message cannot be sent; the others can (recorded per recipient)."""


def header_text(value: str) -> str:
    """A single-line header value: control characters become spaces."""
    return _CONTROL.sub(" ", value or "").strip()


def address_checked(address: str) -> str:
    """A bare address that cannot smuggle a header or a second recipient."""
    if not address_is_plain(address):
        raise RecipientRefused(f"invalid address {address!r}")
    return address


def _chunks(text: str) -> list[str]:
    """Pieces of at most _WORD_BYTES in UTF-8, never splitting a character."""
    pieces, piece, size = [], "", 0
    for char in text:
        length = len(char.encode())
        if piece and size + length > _WORD_BYTES:
            pieces.append(piece)
            piece, size = "", 0
        piece += char
        size += length
    return [*pieces, piece] if piece else pieces


def _encoded_words(value: str, plain: Callable[[str], bool]) -> str:
    """The value with every word that is not `plain` as UTF-8 encoded-words.

    Neighbouring words to encode are encoded together, spaces included:
    between two encoded-words a space means nothing (RFC 2047), so the
    text decodes exactly as written. The spaces left between the pieces let
    long values fold.
    """
    out: list[str] = []
    run: list[str] = []
    for word in value.split(" "):
        if word and plain(word):
            if run:
                out.extend(_UTF8.header_encode(p) for p in _chunks(" ".join(run)))
                run = []
            out.append(word)
        else:
            run.append(word)
    if run:
        out.extend(_UTF8.header_encode(p) for p in _chunks(" ".join(run)))
    return " ".join(out)


def _is_atom(word: str) -> bool:
    return "=?" not in word and bool(_ATOM.fullmatch(word))


def _is_text(word: str) -> bool:
    return "=?" not in word and word.isascii()


def _needs_encoding(value: str) -> bool:
    return "=?" in value or not value.isascii()


def header_value(value: str) -> str:
    """An unstructured header value (Subject, List-…) that says only what it says.

    One line; encoded when it holds an encoded-word. (Django encodes what is
    not ASCII as a whole, and the generator folds long values at spaces.)
    """
    value = header_text(value)
    if "=?" in value:
        return _encoded_words(value, _is_text)
    return value


def phrase(name: str) -> str:
    """A display name or List-Id phrase: encoded-words, or a quoted string."""
    name = header_text(name)
    if _needs_encoding(name):
        return _encoded_words(name, _is_atom)
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailbox(name: str, address: str) -> str:
    """“Name <address>”, the name a harmless single line, the address plain."""
    address = address_checked(address)
    name = header_text(name).replace('"', "'")
    if not name:
        return address
    if _needs_encoding(name):
        return f"{_encoded_words(name, _is_atom)} <{address}>"
    return formataddr((name, address))


def mail_domain() -> str:
    """The domain of the Message-IDs: the site's, never the sending machine's."""
    domain = getattr(settings, "NEWSLETTER_MAIL_DOMAIN", "")
    if domain:
        return domain
    return public_host()


def message_id_new() -> str:
    return make_msgid(domain=mail_domain())


_MESSAGE_ID_SALT = "briefings.newsletter.message-id"
_DELIVERY_MESSAGE_ID = re.compile(r"<?nl\.(\d+)\.([0-9a-f]{16})@[^>]*>?")


def _message_id_mark(pk: int, secret) -> str:
    return salted_hmac(_MESSAGE_ID_SALT, str(pk), secret=secret).hexdigest()[:16]


def delivery_message_id(delivery, *, domain: str | None = None) -> str:
    """The Message-ID of a delivery's message: the same each time it is sent.

    It names the delivery (with a keyed mark), so that a provider's report
    finds the row; and a message sent again (staff's "send anyway") keeps its
    id, which lets a mailbox that already has it drop the copy.
    """
    mark = _message_id_mark(delivery.pk, settings.SECRET_KEY)
    return f"<nl.{delivery.pk}.{mark}@{domain or mail_domain()}>"


def delivery_pk_from_message_id(value: str) -> int | None:
    """The delivery a Message-ID of ours names, or None."""
    match = _DELIVERY_MESSAGE_ID.fullmatch((value or "").strip())
    if match is None:
        return None
    pk, mark = int(match[1]), match[2]
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(hmac.compare_digest(mark, _message_id_mark(pk, key)) for key in keys):
        return pk
    return None


@dataclass
class OutgoingMessage:
    """What one email is, whatever sends it."""

    to: str
    subject: str
    text: str
    html: str = ""
    from_email: str = ""
    reply_to: str = ""
    # Ready to write (encoded by whoever builds them); made one line anyway.
    headers: dict[str, str] = field(default_factory=dict)
    # Empty: a new one in the site's domain.
    message_id: str = ""
    # Given to the provider (django-anymail), which returns it in its webhooks.
    metadata: dict[str, str] = field(default_factory=dict)


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
        # Extra headers are written as given, on one line: whoever builds them
        # encodes them (`phrase`, `header_value`), as the composer does.
        headers = {key: header_text(value) for key, value in message.headers.items()}
        headers["Message-ID"] = header_text(message.message_id) or message_id_new()
        email = EmailMultiAlternatives(
            subject=header_value(message.subject),
            body=message.text,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=[address_checked(message.to)],
            reply_to=[address_checked(message.reply_to)] if message.reply_to else None,
            headers=headers,
            connection=self.connection,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        if message.metadata:
            email.metadata = dict(message.metadata)  # read by django-anymail
        return email

    def send(self, message: OutgoingMessage) -> str:
        """Send one message; RecipientRefused when only this recipient fails.

        Returns the message's id: the provider's (django-anymail) if it gave
        one, else the Message-ID header.
        """
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
        status = getattr(email, "anymail_status", None)
        provider_id = getattr(status, "message_id", None)
        if isinstance(provider_id, str) and provider_id:
            return provider_id
        return email.extra_headers["Message-ID"]


def sending_backend_get():
    """The configured sending backend (a new instance), paced as configured.

    Limits (`NEWSLETTER_SENDING_RATES`) are looked up by the backend's path:
    `EMAIL_BACKEND` for the default sending backend, else the class's own.
    """
    path = getattr(settings, "BRIEFINGS_SENDING_BACKEND", DEFAULT_BACKEND)
    key = settings.EMAIL_BACKEND if path == DEFAULT_BACKEND else path
    return pacing.paced(import_string(path)(), key)
