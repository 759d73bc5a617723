"""Builders for the publications taxonomy, shared by the tests and the demo data."""

import string

from django.utils.text import slugify

from wagtail.models import Locale

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from publications.choices import OrganisationKind, PersonGroup, Region
from publications.models import Country, Organisation, Person, Programme

# ISO 3166-1 leaves these codes to users, so generated countries never clash
# with a real code a test passes explicitly (42 per locale before repeating).
USER_ASSIGNED_ISO_CODES = [
    "AA",
    *(f"Q{letter}" for letter in string.ascii_uppercase[12:]),
    *(f"X{letter}" for letter in string.ascii_uppercase),
    "ZZ",
]


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    locale = factory.LazyFunction(Locale.get_default)
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    summary = factory.LazyAttribute(lambda o: f"What we know about {o.name}.")
    description = ""
    landing_page = None
    sort_order = 0


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country

    locale = factory.LazyFunction(Locale.get_default)
    name = factory.Sequence(lambda n: f"Country {n}")
    iso_code = factory.Sequence(
        lambda n: USER_ASSIGNED_ISO_CODES[n % len(USER_ASSIGNED_ISO_CODES)]
    )
    region = Region.CENTRAL_AFRICA


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    class Params:
        partner = factory.Trait(kind=OrganisationKind.PARTNER)
        funder = factory.Trait(kind=OrganisationKind.FUNDER)
        with_logo = factory.Trait(
            logo=factory.SubFactory(wagtail_factories.ImageFactory)
        )

    locale = factory.LazyFunction(Locale.get_default)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = ""
    kind = OrganisationKind.OTHER
    logo = None
    website = ""
    country = None
    description = ""


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        with_photo = factory.Trait(
            photo=factory.SubFactory(wagtail_factories.ImageFactory)
        )

    locale = factory.LazyFunction(Locale.get_default)
    name = factory.Sequence(lambda n: f"Person {n}")
    role = ""
    group = PersonGroup.STAFF
    email = ""
    photo = None
    bio = ""
    organisation = None
    sort_order = 0
