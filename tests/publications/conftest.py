"""A small library to test against: taxonomy, an English and a French library."""

from dataclasses import dataclass

import pytest

from publications.models import Country, Person, Programme, PublicationIndexPage
from tests.publications.factories import (
    CountryFactory,
    PersonFactory,
    ProgrammeFactory,
    PublicationIndexPageFactory,
)


@dataclass
class Taxonomy:
    natural_resources: Programme
    conflict_mapping: Programme
    arms_trade: Programme
    congo: Country
    tanzania: Country
    car: Country
    merket: Person
    mawala: Person


def taxonomy_make() -> Taxonomy:
    """Three programmes, three countries and two researchers, in English."""
    return Taxonomy(
        natural_resources=ProgrammeFactory(
            slug="natural-resources", name="Natural Resources", sort_order=0
        ),
        conflict_mapping=ProgrammeFactory(
            slug="conflict-mapping", name="Conflict Mapping", sort_order=1
        ),
        arms_trade=ProgrammeFactory(
            slug="arms-trade-security", name="Arms Trade & Security", sort_order=2
        ),
        congo=CountryFactory(iso_code="CD", name="Democratic Republic of the Congo"),
        tanzania=CountryFactory(iso_code="TZ", name="Tanzania"),
        car=CountryFactory(iso_code="CF", name="Central African Republic"),
        merket=PersonFactory(name="Hans Merket"),
        mawala=PersonFactory(name="Elard Mawala"),
    )


@pytest.fixture
def taxonomy(locales) -> Taxonomy:
    """Three programmes, three countries and two researchers, in English."""
    return taxonomy_make()


@pytest.fixture
def library(home_page) -> PublicationIndexPage:
    """The English library at /en/publications/."""
    return PublicationIndexPageFactory(parent=home_page)


@pytest.fixture
def fr_library(library, locales) -> PublicationIndexPage:
    """The French translation of the library, at /fr/publications/."""
    fr_home = library.get_parent().specific.copy_for_translation(locales["fr"])
    fr_home.save_revision().publish()
    fr_library = library.copy_for_translation(locales["fr"])
    fr_library.save_revision().publish()
    return fr_library


# The Voices partners scenario (two partners, an editor, drafts); see partner_setup.
from tests.publications.partner_setup import voices, voices_shared  # noqa: E402, F401
