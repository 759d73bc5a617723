"""Persistent identifiers of people and publications: ORCID iDs and DOIs.

Editors paste them in every form they meet them (a bare iD, an https://orcid.org/
or https://doi.org/ address, "doi:10.…"); each is stored in one canonical form
so that links, citations and uniqueness checks compare like with like.
"""

import re
from urllib.parse import unquote

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ORCID_URL = "https://orcid.org/"
DOI_URL = "https://doi.org/"
_ORCID_PREFIXES = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_SHAPE = re.compile(r"^\d{15}[\dX]$")
_DOI_PREFIXES = re.compile(
    r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE
)
# A DOI is "10." + a registrant code of digits (dot-separated sub-codes
# allowed) + "/" + a suffix of any printable characters but spaces.
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")


def orcid_check_digit(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an ORCID iD's first 15 digits."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_normalise(value: str) -> str:
    """“https://orcid.org/0000-0002-1825-0097” → “0000-0002-1825-0097”.

    Empty stays empty; anything else that is not a valid iD raises
    ValidationError saying what is wrong.
    """
    text = _ORCID_PREFIXES.sub("", (value or "").strip()).strip("/ ")
    if not text:
        return ""
    compact = text.replace("-", "").replace(" ", "").upper()
    if not _ORCID_SHAPE.fullmatch(compact):
        raise ValidationError(
            _(
                "Enter an ORCID iD as sixteen digits in four groups, the last "
                "one possibly X, e.g. 0000-0002-1825-0097, or its orcid.org "
                "address."
            ),
            code="orcid_shape",
        )
    if orcid_check_digit(compact[:15]) != compact[15]:
        raise ValidationError(
            _(
                "This ORCID iD's last character does not match the others "
                "(its checksum): check it for a typing mistake."
            ),
            code="orcid_checksum",
        )
    return "-".join(compact[start : start + 4] for start in range(0, 16, 4))


def doi_normalise(value: str) -> str:
    """“https://doi.org/10.3917/polaf.084.0117” → “10.3917/polaf.084.0117”.

    Empty stays empty; anything else that is not a DOI raises ValidationError.
    The case is kept as given (DOIs compare without case: see `doi_taken`).
    """
    text = (value or "").strip()
    had_address = text.lower().startswith(("http://", "https://", "doi.org/"))
    text = _DOI_PREFIXES.sub("", text).strip()
    if had_address:
        # Copied from an address bar: "%2F" and the like stand for characters.
        text = unquote(text)
    if not text:
        return ""
    if not _DOI_SHAPE.fullmatch(text):
        raise ValidationError(
            _(
                "Enter a DOI such as 10.1000/xyz123 (“10.”, four or more "
                "digits, a slash, then the rest, no spaces), or its doi.org "
                "address."
            ),
            code="doi_shape",
        )
    return text


def orcid_url(orcid: str) -> str:
    return f"{ORCID_URL}{orcid}" if orcid else ""


def doi_url(doi: str) -> str:
    """The DOI's resolver address; characters that would break a URL encoded."""
    if not doi:
        return ""
    return DOI_URL + "".join(
        char if char.isascii() and char not in '"<>#?% ' else _percent(char)
        for char in doi
    )


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode())


class _NormalisingFormField(forms.CharField):
    """A text box whose value is put in canonical form before it is checked."""

    normalise = staticmethod(lambda value: value)

    def to_python(self, value):
        return self.normalise(super().to_python(value))


class OrcidFormField(_NormalisingFormField):
    normalise = staticmethod(orcid_normalise)


class DoiFormField(_NormalisingFormField):
    normalise = staticmethod(doi_normalise)


class _NormalisingField(models.CharField):
    """A text column holding an identifier in canonical form; blank is allowed."""

    form_class: type[forms.Field] = forms.CharField
    normalise = staticmethod(lambda value: value)

    def to_python(self, value):
        return self.normalise(super().to_python(value) or "")

    def formfield(self, **kwargs):
        # The pasted address is longer than the stored form: no length limit
        # on the box itself, the normalised value is checked by the column.
        return super().formfield(
            **{"form_class": self.form_class, **kwargs, "max_length": None}
        )


class OrcidField(_NormalisingField):
    form_class = OrcidFormField
    normalise = staticmethod(orcid_normalise)


class DoiField(_NormalisingField):
    form_class = DoiFormField
    normalise = staticmethod(doi_normalise)
