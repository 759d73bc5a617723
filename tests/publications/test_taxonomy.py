from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Locale

import pytest

from publications.choices import OrganisationKind, PersonGroup, Region
from publications.models import Country, Organisation, Person, Programme
from tests.publications.factories import (
    CountryFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    Programme: ProgrammeFactory,
    Country: CountryFactory,
    Organisation: OrganisationFactory,
    Person: PersonFactory,
}


@pytest.fixture
def fr_locale():
    return Locale.objects.get_or_create(language_code="fr")[0]


def snippet_url(model, view_name, *args):
    return reverse(model.snippet_viewset.get_url_name(view_name), args=args)


def listed(response):
    return {str(obj) for obj in response.context["object_list"]}


# Models


@pytest.mark.parametrize("iso_code", ["C1", "C", "É1", "--"])
def test_country_iso_code_must_be_two_letters(iso_code):
    country = CountryFactory.build(iso_code=iso_code)

    with pytest.raises(ValidationError) as excinfo:
        country.full_clean()

    assert excinfo.value.message_dict["iso_code"] == [
        "Enter the country's two-letter ISO 3166-1 code (letters A to Z only), "
        "e.g. CD or TZ."
    ]


def test_country_iso_code_longer_than_two_letters_gets_one_error():
    country = CountryFactory.build(iso_code="COD")

    with pytest.raises(ValidationError) as excinfo:
        country.full_clean()

    assert len(excinfo.value.message_dict["iso_code"]) == 1
    assert "at most 2 characters" in excinfo.value.message_dict["iso_code"][0]


def test_country_iso_code_is_stored_in_capitals():
    country = CountryFactory.build(iso_code="tz")

    country.full_clean()
    country.save()

    assert Country.objects.get(pk=country.pk).iso_code == "TZ"


def test_country_iso_code_is_unique_within_a_locale(fr_locale):
    CountryFactory(name="Tanzania", iso_code="TZ")
    same_language = CountryFactory.build(name="Tanzania again", iso_code="TZ")
    other_language = CountryFactory.build(
        name="Tanzanie", iso_code="TZ", locale=fr_locale
    )

    with pytest.raises(ValidationError) as excinfo:
        same_language.full_clean()
    other_language.full_clean()

    assert excinfo.value.message_dict["iso_code"] == [
        "Another country in this language already has this ISO code."
    ]


def test_country_can_be_saved_again_with_its_own_iso_code():
    country = CountryFactory(iso_code="CD")

    country.full_clean()


def test_programme_slug_is_unique_within_a_locale(fr_locale):
    ProgrammeFactory(slug="arms-trade")
    duplicate = ProgrammeFactory.build(slug="arms-trade")

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    ProgrammeFactory.build(slug="arms-trade", locale=fr_locale).full_clean()

    assert excinfo.value.message_dict["slug"] == [
        "Another programme in this language already uses this slug."
    ]


def test_database_refuses_a_duplicate_programme_slug_in_one_locale():
    ProgrammeFactory(slug="arms-trade")

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(slug="arms-trade")


def test_organisation_label_shows_acronym():
    with_acronym = OrganisationFactory.build(
        name="International Peace Information Service", acronym="IPIS"
    )
    without_acronym = OrganisationFactory.build(name="Global Witness", acronym="")
    acronym_only = OrganisationFactory.build(name="CRG", acronym="CRG")

    assert str(with_acronym) == "International Peace Information Service (IPIS)"
    assert str(without_acronym) == "Global Witness"
    assert str(acronym_only) == "CRG"


@pytest.mark.parametrize(
    ("kind", "is_partner", "is_funder"),
    [
        (OrganisationKind.PARTNER, True, False),
        (OrganisationKind.FUNDER, False, True),
        (OrganisationKind.BOTH, True, True),
        (OrganisationKind.OTHER, False, False),
    ],
)
def test_organisation_kind_decides_partner_and_funder(kind, is_partner, is_funder):
    organisation = OrganisationFactory(kind=kind)

    assert organisation.is_partner is is_partner
    assert organisation.is_funder is is_funder
    assert Organisation.objects.partners().contains(organisation) is is_partner
    assert Organisation.objects.funders().contains(organisation) is is_funder


def test_organisation_factory_traits_set_the_kind():
    assert OrganisationFactory(funder=True).kind == OrganisationKind.FUNDER
    assert OrganisationFactory(partner=True).kind == OrganisationKind.PARTNER
    assert OrganisationFactory().kind == OrganisationKind.OTHER


def test_programme_translation_shares_translation_key(fr_locale):
    programme = ProgrammeFactory(name="Arms trade", slug="arms-trade")

    translation = programme.copy_for_translation(fr_locale)
    translation.name = "Commerce des armes"
    translation.save()

    assert translation.pk != programme.pk
    assert translation.translation_key == programme.translation_key
    assert translation.locale == fr_locale
    assert translation.slug == "arms-trade"
    assert list(programme.get_translations()) == [translation]
    assert programme.get_translation(fr_locale).name == "Commerce des armes"


def test_programmes_are_listed_by_sort_order_then_name():
    ProgrammeFactory(name="Natural resources", sort_order=2)
    ProgrammeFactory(name="Business and human rights", sort_order=1)
    ProgrammeFactory(name="Arms trade", sort_order=1)

    assert [p.name for p in Programme.objects.all()] == [
        "Arms trade",
        "Business and human rights",
        "Natural resources",
    ]


def test_people_are_listed_by_sort_order_then_name():
    PersonFactory(name="Zawadi", sort_order=0)
    PersonFactory(name="Amani", sort_order=1)
    PersonFactory(name="Baraka", sort_order=0)

    assert [p.name for p in Person.objects.all()] == ["Baraka", "Zawadi", "Amani"]


def test_organisation_knows_its_people_and_country_its_organisations():
    country = CountryFactory(name="Tanzania", iso_code="TZ")
    organisation = OrganisationFactory(country=country)
    person = PersonFactory(organisation=organisation)

    assert list(country.organisations.all()) == [organisation]
    assert list(organisation.people.all()) == [person]


# Admin


@pytest.mark.parametrize(
    ("model", "query", "filter_params", "shown", "filtered_out", "not_matching"),
    [
        (
            Programme,
            "resources",
            {"locale": "en"},
            {"name": "Natural resources"},
            {"name": "Ressources naturelles resources", "locale": "fr"},
            {"name": "Arms trade"},
        ),
        (
            Country,
            "guinea",
            {"region": Region.WEST_AFRICA},
            {"name": "Guinea-Bissau", "region": Region.WEST_AFRICA},
            {"name": "Equatorial Guinea", "region": Region.CENTRAL_AFRICA},
            {"name": "Ghana", "region": Region.WEST_AFRICA},
        ),
        (
            Organisation,
            "kivu",
            {"kind": OrganisationKind.FUNDER},
            {"name": "Kivu Peace Fund", "kind": OrganisationKind.FUNDER},
            {"name": "Kivu Miners Union", "kind": OrganisationKind.PARTNER},
            {"name": "Rain Foundation", "kind": OrganisationKind.FUNDER},
        ),
        (
            Person,
            "mukendi",
            {"group": PersonGroup.BOARD},
            {"name": "Josée Mukendi", "group": PersonGroup.BOARD},
            {"name": "Paul Mukendi", "group": PersonGroup.STAFF},
            {"name": "Neema Mushi", "group": PersonGroup.BOARD},
        ),
    ],
)
def test_taxonomy_admin_listing_searches_and_filters(
    admin_client,
    fr_locale,
    model,
    query,
    filter_params,
    shown,
    filtered_out,
    not_matching,
):
    factory = FACTORIES[model]
    locales = {"en": Locale.get_default(), "fr": fr_locale}
    objects = [
        factory(**{**attrs, "locale": locales[attrs.get("locale", "en")]})
        for attrs in (shown, filtered_out, not_matching)
    ]

    response = admin_client.get(
        snippet_url(model, "list"), {"q": query, **filter_params}
    )

    assert response.status_code == 200
    assert listed(response) == {str(objects[0])}
    assert shown["name"] in response.content.decode()


@pytest.mark.parametrize("model", [Programme, Country, Organisation, Person])
def test_taxonomy_admin_listing_without_search_shows_everything(admin_client, model):
    objects = FACTORIES[model].create_batch(3)

    response = admin_client.get(snippet_url(model, "list"))

    assert response.status_code == 200
    assert listed(response) == {str(obj) for obj in objects}


@pytest.mark.parametrize(
    ("model", "related"),
    [
        (Programme, {}),
        (Country, {}),
        (Organisation, {"country": CountryFactory}),
        (Person, {"organisation": OrganisationFactory}),
    ],
)
def test_taxonomy_admin_listing_query_count_does_not_grow(admin_client, model, related):
    def build(count):
        for _ in range(count):
            FACTORIES[model](**{name: make() for name, make in related.items()})

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(snippet_url(model, "list"))
        assert response.status_code == 200
        return len(queries)

    build(2)
    count_queries()  # warm the admin's caches
    few = count_queries()
    build(6)
    many = count_queries()

    # wagtail.contrib.simple_translation asks once per row whether a locale is
    # still missing (for its "Translate" button); columns of ours add nothing.
    assert many == few + 6


@pytest.mark.parametrize(
    ("model", "attrs"),
    [
        (Programme, {}),
        (Country, {}),
        (Organisation, {"with_logo": True}),
        (Person, {"with_photo": True}),
    ],
)
def test_taxonomy_admin_add_and_edit_forms_render(admin_client, model, attrs):
    obj = FACTORIES[model](**attrs)

    add_response = admin_client.get(snippet_url(model, "add"))
    edit_response = admin_client.get(snippet_url(model, "edit", obj.pk))

    assert add_response.status_code == 200
    assert edit_response.status_code == 200
    assert edit_response.context["form"].instance == obj


def test_admin_refuses_an_invalid_iso_code_and_creates_nothing(admin_client):
    response = admin_client.post(
        snippet_url(Country, "add"),
        {"name": "Tanzania", "iso_code": "T1", "region": Region.EAST_AFRICA},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["iso_code"] == [
        "Enter the country's two-letter ISO 3166-1 code (letters A to Z only), "
        "e.g. CD or TZ."
    ]
    assert "two-letter ISO 3166-1 code" in response.content.decode()
    assert not Country.objects.exists()


def test_admin_saves_a_lower_case_iso_code_in_capitals(admin_client):
    response = admin_client.post(
        snippet_url(Country, "add"),
        {"name": "Tanzania", "iso_code": "tz", "region": Region.EAST_AFRICA},
    )

    assert response.status_code == 302
    country = Country.objects.get()
    assert country.iso_code == "TZ"
    assert country.locale == Locale.get_default()


def test_admin_refuses_a_duplicate_programme_slug(admin_client):
    ProgrammeFactory(slug="arms-trade")

    response = admin_client.post(
        snippet_url(Programme, "add"),
        {
            "name": "Arms trade (again)",
            "slug": "arms-trade",
            "summary": "Arms transfers to the region.",
            "sort_order": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Another programme in this language already uses this slug."
    ]
    assert Programme.objects.count() == 1


def test_admin_refuses_a_programme_summary_too_long_for_a_card(admin_client):
    response = admin_client.post(
        snippet_url(Programme, "add"),
        {
            "name": "Arms trade",
            "slug": "arms-trade",
            "summary": "x" * 301,
            "sort_order": "0",
        },
    )

    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert not Programme.objects.exists()


def test_admin_menu_groups_the_taxonomy(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Taxonomy" in content
    for model in (Programme, Country, Organisation, Person):
        assert snippet_url(model, "list") in content


class TestOnePerTranslation:
    """Lists of terms show each term once, in the reader's language where it can."""

    @pytest.fixture
    def sw_locale(self):
        return Locale.objects.get_or_create(language_code="sw")[0]

    def test_each_term_once_in_the_asked_language_else_the_default(
        self, fr_locale, sw_locale
    ):
        burundi = CountryFactory(name="Burundi", iso_code="BI")
        burundi.copy_for_translation(fr_locale).save()
        burundi.copy_for_translation(sw_locale).save()
        drc = CountryFactory(name="DR Congo", iso_code="CD")
        rdc = drc.copy_for_translation(fr_locale)
        rdc.name = "RD Congo"
        rdc.save()

        french = Country.objects.one_per_translation(fr_locale)
        swahili = Country.objects.one_per_translation(sw_locale)

        assert sorted((c.name, c.locale_id) for c in french) == [
            ("Burundi", fr_locale.pk),
            ("RD Congo", fr_locale.pk),
        ]
        assert sorted(c.name for c in swahili) == ["Burundi", "DR Congo"]
        assert {c.locale_id for c in swahili if c.name == "DR Congo"} == {drc.locale_id}

    def test_a_term_created_in_another_language_still_appears_once(
        self, fr_locale, sw_locale
    ):
        apde = OrganisationFactory(name="APDE", locale=fr_locale)
        apde.copy_for_translation(sw_locale).save()

        english = Organisation.objects.one_per_translation(Locale.get_default())

        assert [o.pk for o in english] == [apde.pk]

    def test_keeps_the_filters_of_the_queryset_and_costs_one_query(
        self, fr_locale, django_assert_num_queries
    ):
        for name in ("Governance", "Arms trade", "Conflict mapping"):
            ProgrammeFactory(name=name).copy_for_translation(fr_locale).save()
        default = Locale.get_default()

        with django_assert_num_queries(1):
            names = list(
                Programme.objects.exclude(name="Arms trade")
                .one_per_translation(default)
                .values_list("name", flat=True)
            )

        assert sorted(names) == ["Conflict mapping", "Governance"]

    def test_defaults_to_the_active_language(self, fr_locale):
        from django.utils import translation

        ProgrammeFactory(name="Arms trade").copy_for_translation(fr_locale)
        french = ProgrammeFactory(name="Governance").copy_for_translation(fr_locale)
        french.name = "Gouvernance"
        french.save()

        with translation.override("fr"):
            names = sorted(
                Programme.objects.one_per_translation().values_list("name", flat=True)
            )

        assert names == ["Arms trade", "Gouvernance"]
