"""Builders for the publications app: taxonomy, library pages and files."""

import datetime
import string

from django.core.files.base import ContentFile
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.models import Locale

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from publications.choices import OrganisationKind, PersonGroup, PublicationType, Region
from publications.demo import pdf_placeholder
from publications.models import (
    Country,
    Organisation,
    Person,
    Programme,
    PublicationAuthor,
    PublicationIndexPage,
    PublicationPage,
    VoicesSeriesPage,
)

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


def _root_collection():
    from wagtail.models import Collection

    return Collection.get_first_root_node()


class PdfDocumentFactory(DjangoModelFactory):
    """A Wagtail document holding a small valid PDF."""

    class Meta:
        model = get_document_model()
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Report file {n}")
    collection = factory.LazyFunction(_root_collection)
    file = factory.LazyAttribute(
        lambda o: ContentFile(
            pdf_placeholder(title=o.title), name=f"{slugify(o.title)}.pdf"
        )
    )

    @factory.post_generation
    def metadata(obj, create, extracted, **kwargs):
        obj._set_document_file_metadata()
        if create:
            obj.save(update_fields=["file_size", "file_hash"])


class CoverImageFactory(wagtail_factories.ImageFactory):
    collection = factory.LazyFunction(_root_collection)
    title = factory.Sequence(lambda n: f"Cover {n}")
    description = "Miners at work in a gold pit"
    # Wide enough for every size the pages ask for, as real covers are: a
    # smaller one would give several sizes of the same width.
    file = factory.django.ImageField(width=800, height=500)


class PublicationIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PublicationIndexPage

    title = "Publications"
    slug = "publications"
    intro = "Reports, maps and partner studies."


class VoicesSeriesPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = VoicesSeriesPage

    title = factory.Sequence(lambda n: f"Voices series {n}")
    intro = "Studies written by partner organisations."


class PublicationPageFactory(wagtail_factories.PageFactory):
    """A live publication; pass `programmes`, `countries`, `authors` as lists.

    `authors` takes Person objects or plain names (outside authors).
    """

    class Meta:
        model = PublicationPage
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(live=False)

    title = factory.Sequence(lambda n: f"Publication {n}")
    publication_date = factory.Sequence(
        lambda n: datetime.date(2019, 1, 1) + datetime.timedelta(days=7 * n)
    )
    publication_type = PublicationType.REPORT
    summary = factory.LazyAttribute(lambda o: f"What {o.title} finds in the field.")
    place = "Antwerp"
    publisher = "IPIS"

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if extracted:
            obj.programmes.set(extracted)
            if create:
                obj.save()

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if extracted:
            obj.countries.set(extracted)
            if create:
                obj.save()

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        if not extracted:
            return
        for order, author in enumerate(extracted):
            row = (
                PublicationAuthor(person=author)
                if isinstance(author, Person)
                else PublicationAuthor(external_name=author)
            )
            row.page = obj
            row.sort_order = order
            if create:
                row.save()
