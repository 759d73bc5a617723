"""Tokens in newsletter links.

Confirmation tokens are signed, expire, and work once: they carry a nonce
stored on the subscriber and cleared when used. Preferences and unsubscribe
tokens are opaque: a signed random key of the subscriber (never the address
or the id), so one subscriber's link can only act on that subscriber. They
never expire: an unsubscribe link in an old email must keep working.

Key rotation: tokens are signed with SECRET_KEY and checked against it and
every key in SECRET_KEY_FALLBACKS. To rotate, put the old key in
SECRET_KEY_FALLBACKS and a new one in SECRET_KEY: links already sent keep
working, new links use the new key. Keep the old key there for as long as
unsubscribe links sent under it should work (for years, not days).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "briefings.newsletter.confirm"
LINK_SALT = "briefings.newsletter.link"
CONFIRM_MAX_AGE = timedelta(days=7)


class TokenInvalid(Exception):
    """The token is tampered with, expired, already used or unknown."""


class TokenExpired(TokenInvalid):
    """A confirmation token, genuine but older than CONFIRM_MAX_AGE."""


def _keys() -> dict:
    """Sign with SECRET_KEY; accept it or any of SECRET_KEY_FALLBACKS."""
    return {
        "key": settings.SECRET_KEY,
        "fallback_keys": list(getattr(settings, "SECRET_KEY_FALLBACKS", [])),
    }


@dataclass(frozen=True)
class ConfirmationRequest:
    subscriber_id: int
    nonce: str
    list_ids: tuple[int, ...]
    language: str
    name: str = ""


def confirmation_nonce_new() -> str:
    return secrets.token_urlsafe(16)


def confirmation_token_make(
    *, subscriber_id: int, nonce: str, list_ids, language: str, name: str = ""
) -> str:
    """A signed, timestamped token for the confirmation link."""
    payload = {
        "s": subscriber_id,
        "n": nonce,
        "l": sorted(list_ids),
        "g": language,
        "m": name,
    }
    signer = signing.TimestampSigner(salt=CONFIRM_SALT, **_keys())
    return signer.sign_object(payload, compress=True)


def confirmation_token_read(token: str) -> ConfirmationRequest:
    """The request a confirmation token carries; raises TokenInvalid."""
    try:
        signer = signing.TimestampSigner(salt=CONFIRM_SALT, **_keys())
        payload = signer.unsign_object(token, max_age=CONFIRM_MAX_AGE)
        return ConfirmationRequest(
            subscriber_id=int(payload["s"]),
            nonce=str(payload["n"]),
            list_ids=tuple(int(pk) for pk in payload["l"]),
            language=str(payload["g"]),
            name=str(payload.get("m", "")),
        )
    except signing.SignatureExpired as error:
        raise TokenExpired(str(error)) from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise TokenInvalid(str(error)) from error


def link_token_make(*, key: str, list_id: int | None = None) -> str:
    """An opaque signed token for the preferences and unsubscribe links."""
    value = key if list_id is None else f"{key}.{list_id}"
    return signing.Signer(salt=LINK_SALT, **_keys()).sign(value)


def link_token_read(token: str) -> tuple[str, int | None]:
    """The subscriber key and optional list id in a link token; raises TokenInvalid."""
    try:
        value = signing.Signer(salt=LINK_SALT, **_keys()).unsign(token)
    except signing.BadSignature as error:
        raise TokenInvalid(str(error)) from error
    key, _, list_part = value.partition(".")
    if not list_part:
        return key, None
    if not list_part.isdigit():
        raise TokenInvalid("bad list")
    return key, int(list_part)
