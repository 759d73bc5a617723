"""ORCID iDs and DOIs: what editors paste, what is stored, what is refused.

The ORCID iDs are those ORCID documents as examples (its test persona Josiah
Carberry and the iDs of its checksum documentation), never a real person's.
"""

from django.core.exceptions import ValidationError

import pytest

from publications.identifiers import (
    DoiFormField,
    OrcidFormField,
    doi_normalise,
    doi_url,
    orcid_check_digit,
    orcid_normalise,
)

CARBERRY = "0000-0002-1825-0097"


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        (CARBERRY, CARBERRY),
        ("https://orcid.org/0000-0002-1825-0097", CARBERRY),
        ("http://orcid.org/0000-0002-1825-0097/", CARBERRY),
        ("orcid.org/0000-0002-1825-0097", CARBERRY),
        (" 0000000218250097 ", CARBERRY),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
        ("0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_orcid_is_stored_as_four_groups_of_four(pasted, stored):
    assert orcid_normalise(pasted) == stored


def test_orcid_check_digit_follows_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize(
    ("pasted", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),  # one digit mistyped
        ("0000-0002-1825-0079", "orcid_checksum"),  # two digits swapped
        ("0000-0002-1825", "orcid_shape"),
        ("0000-0002-1825-00977", "orcid_shape"),
        ("X000-0002-1825-0097", "orcid_shape"),
        ("https://example.org/0000-0002-1825-0097", "orcid_shape"),
    ],
)
def test_a_wrong_orcid_is_refused_with_the_reason(pasted, code):
    with pytest.raises(ValidationError) as error:
        orcid_normalise(pasted)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ("10.3917/polaf.084.0117", "10.3917/polaf.084.0117"),
        ("https://doi.org/10.3917/polaf.084.0117", "10.3917/polaf.084.0117"),
        ("http://dx.doi.org/10.3917/polaf.084.0117", "10.3917/polaf.084.0117"),
        ("doi:10.1000/XYZ123", "10.1000/XYZ123"),
        ("DOI: 10.1000/xyz123", "10.1000/xyz123"),
        ("https://doi.org/10.1000/a%2Fb%3C1%3E", "10.1000/a/b<1>"),
        ("10.1000.10/abc(2019)-x", "10.1000.10/abc(2019)-x"),
        ("", ""),
    ],
)
def test_doi_is_stored_without_its_resolver(pasted, stored):
    assert doi_normalise(pasted) == stored


@pytest.mark.parametrize(
    "pasted",
    [
        "11.1000/xyz",
        "10.100/xyz",
        "10.1000",
        "10.1000/",
        "10.1000/has space",
        "https://example.org/10.1000/xyz",
        "xyz123",
    ],
)
def test_a_wrong_doi_is_refused(pasted):
    with pytest.raises(ValidationError) as error:
        doi_normalise(pasted)
    assert error.value.code == "doi_shape"


def test_doi_url_encodes_what_would_break_the_address():
    assert doi_url("10.1000/xyz123") == "https://doi.org/10.1000/xyz123"
    assert doi_url("10.1000/a<b>#c?d") == "https://doi.org/10.1000/a%3Cb%3E%23c%3Fd"
    assert doi_url("") == ""


def test_form_fields_accept_a_pasted_address_longer_than_the_column():
    orcid = OrcidFormField(required=False)
    doi = DoiFormField(required=False)

    assert orcid.clean("https://orcid.org/0000-0002-1825-0097") == CARBERRY
    assert doi.clean("https://doi.org/10.1000/xyz123") == "10.1000/xyz123"
    with pytest.raises(ValidationError, match="checksum"):
        orcid.clean("0000-0002-1825-0098")
