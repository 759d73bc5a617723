"""The library's page types, their rules and the rows they list in order."""

import datetime

from django.core.exceptions import ValidationError

from wagtail.models import Page

import pytest

from publications.choices import DownloadLanguage, OrganisationRole, PublicationType
from publications.models import (
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationOrganisation,
    PublicationPage,
    VoicesSeriesPage,
)
from tests.publications.factories import (
    OrganisationFactory,
    PdfDocumentFactory,
    PersonFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)

pytestmark = pytest.mark.django_db


# Where pages may live


def test_library_lives_under_a_home_page_and_holds_publications_and_series():
    assert PublicationIndexPage.parent_page_types == ["site_config.HomePage"]
    assert set(PublicationIndexPage.allowed_subpage_models()) == {
        PublicationPage,
        VoicesSeriesPage,
    }


def test_publication_lives_in_a_library_or_a_voices_series_and_has_no_children():
    assert set(PublicationPage.allowed_parent_page_models()) == {
        PublicationIndexPage,
        VoicesSeriesPage,
    }
    assert PublicationPage.allowed_subpage_models() == []


def test_voices_series_lives_in_a_library_and_holds_only_publications():
    assert VoicesSeriesPage.allowed_parent_page_models() == [PublicationIndexPage]
    assert VoicesSeriesPage.allowed_subpage_models() == [PublicationPage]


def test_a_publication_cannot_be_created_directly_under_a_home_page(home_page):
    assert not PublicationPage.can_create_at(home_page)


# Authors


def test_author_needs_a_person_or_a_name():
    author = PublicationAuthor(external_name="  ")

    with pytest.raises(ValidationError) as excinfo:
        author.clean()

    assert set(excinfo.value.message_dict) == {"person", "external_name"}


def test_author_cannot_be_both_a_person_and_a_typed_name(locales):
    author = PublicationAuthor(person=PersonFactory(), external_name="Someone Else")

    with pytest.raises(ValidationError):
        author.clean()


def test_author_typed_name_is_trimmed():
    author = PublicationAuthor(external_name="  Elise Foubert ")

    author.clean()

    assert author.name == "Elise Foubert"


def test_person_author_takes_name_and_organisation_from_the_person(locales):
    organisation = OrganisationFactory(name="Action pour la paix", acronym="APDE")
    person = PersonFactory(name="Julien Mapenzi", organisation=organisation)

    author = PublicationAuthor(person=person)

    assert author.name == "Julien Mapenzi"
    assert author.affiliation_label == "APDE"
    author.affiliation = "APDE Misisi"
    assert author.affiliation_label == "APDE Misisi"


def test_deleted_person_drops_out_of_the_author_list(library, taxonomy):
    publication = PublicationPageFactory(
        parent=library, authors=[taxonomy.merket, "Elise Foubert"]
    )

    taxonomy.merket.delete()

    assert [author.name for author in publication.author_list()] == ["Elise Foubert"]


def test_authors_keep_their_order(library, taxonomy):
    publication = PublicationPageFactory(
        parent=library, authors=[taxonomy.mawala, "Elise Foubert", taxonomy.merket]
    )

    names = [author.name for author in publication.author_list()]

    assert names == ["Elard Mawala", "Elise Foubert", "Hans Merket"]
    assert publication.author_names() == "Elard Mawala Elise Foubert Hans Merket"


# Organisations, series, titles, files


def test_organisations_are_grouped_by_role_in_the_order_of_the_roles(library):
    publication = PublicationPageFactory(parent=library)
    ulula = OrganisationFactory(name="Ulula")
    eprm = OrganisationFactory(name="EPRM")
    cegemi = OrganisationFactory(name="CEGEMI")
    for order, (organisation, role) in enumerate(
        [
            (ulula, OrganisationRole.IN_COOPERATION_WITH),
            (eprm, OrganisationRole.SUPPORTED_BY),
            (cegemi, OrganisationRole.IN_COOPERATION_WITH),
        ]
    ):
        PublicationOrganisation.objects.create(
            page=publication, organisation=organisation, role=role, sort_order=order
        )

    groups = PublicationPage.objects.get(pk=publication.pk).organisations_by_role()

    assert [(str(role), [str(o) for o in orgs]) for role, orgs in groups] == [
        ("Supported by", ["EPRM"]),
        ("In cooperation with", ["Ulula", "CEGEMI"]),
    ]


@pytest.mark.parametrize(
    ("title", "subtitle", "expected"),
    [
        ("Mapping mines", "", "Mapping mines"),
        ("Mapping mines", "A survey", "Mapping mines: A survey"),
        ("Why so many incidents?", "Misisi", "Why so many incidents? Misisi"),
        ("Pillage route:", "barrages", "Pillage route: barrages"),
    ],
)
def test_full_title_joins_the_subtitle_once(title, subtitle, expected):
    assert PublicationPage(title=title, subtitle=subtitle).full_title == expected


def test_series_label_names_the_volume_when_there_is_one():
    assert PublicationPage(series_name="Voices from Tanzania").series_label == (
        "Voices from Tanzania"
    )
    assert (
        PublicationPage(
            series_name="Voices from Tanzania", series_volume=2
        ).series_label
        == "Voices from Tanzania, vol. 2"
    )
    assert PublicationPage(series_volume=2).series_label == ""


def test_primary_pdf_is_the_one_in_the_page_language(library):
    publication = PublicationPageFactory(parent=library)
    french = PdfDocumentFactory(title="Rapport")
    english = PdfDocumentFactory(title="Report")
    PublicationDownload.objects.create(
        page=publication, document=french, language=DownloadLanguage.FR, sort_order=0
    )
    PublicationDownload.objects.create(
        page=publication, document=english, language=DownloadLanguage.EN, sort_order=1
    )

    assert publication.primary_pdf().document == english


def test_primary_pdf_falls_back_to_the_first_pdf(library):
    publication = PublicationPageFactory(parent=library)
    french = PdfDocumentFactory(title="Rapport")
    PublicationDownload.objects.create(
        page=publication, document=french, language=DownloadLanguage.FR
    )

    assert publication.primary_pdf().document == french
    assert PublicationPageFactory(parent=library).primary_pdf() is None


def test_placeholder_documents_know_their_size(library):
    document = PdfDocumentFactory()

    assert document.file_size > 200
    assert document.file.read(5) == b"%PDF-"


# Search


def test_search_finds_a_publication_by_an_author_name(library, taxonomy):
    publication = PublicationPageFactory(
        parent=library, title="Roadblocks", authors=[taxonomy.merket]
    )
    publication.save_revision().publish()  # indexes it

    found = list(PublicationPage.objects.live().search("Merket"))

    assert found == [publication]


def test_search_finds_a_publication_by_its_subtitle_and_summary(library):
    publication = PublicationPageFactory(
        parent=library,
        title="Roadblocks",
        subtitle="Pastoralism in Ouham-Pendé",
        summary="Cattle corridors and transhumance.",
    )
    publication.save_revision().publish()

    assert list(PublicationPage.objects.search("transhumance")) == [publication]
    assert list(PublicationPage.objects.search("pastoralism")) == [publication]


# The admin form under a Voices series


def _admin_form(parent: Page, data: dict, user):
    form_class = PublicationPage.get_edit_handler().get_form_class()
    management = {}
    for name in form_class.formsets:
        management.update(
            {f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"}
            | {f"{name}-MIN_NUM_FORMS": "0", f"{name}-MAX_NUM_FORMS": "1000"}
        )
    return form_class(
        {**management, **data},
        instance=PublicationPage(),
        parent_page=parent,
        for_user=user,
    )


FORM_DATA = {
    "title": "Misisi",
    "slug": "misisi",
    "publication_date": "2019-10-01",
    "date_precision": "day",
    "summary": "Incidents in the gold supply chain.",
    "place": "Antwerp",
    "publisher": "IPIS",
    "body-count": "0",
}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "e@example.org", "x")


def test_study_in_a_voices_series_must_be_a_partner_study_by_a_partner(library, editor):
    series = VoicesSeriesPageFactory(parent=library)

    form = _admin_form(
        series, {**FORM_DATA, "publication_type": PublicationType.REPORT}, editor
    )

    assert not form.is_valid()
    assert form.errors["publication_type"] == [
        "A study in a Voices series is a partner study."
    ]
    assert "partner organisation" in str(form.non_field_errors())


def test_study_in_a_voices_series_with_its_partner_is_accepted(library, editor):
    series = VoicesSeriesPageFactory(parent=library)
    partner = OrganisationFactory(name="APDE")
    data = {
        **FORM_DATA,
        "publication_type": PublicationType.PARTNER_STUDY,
        "organisations-TOTAL_FORMS": "1",
        "organisations-0-organisation": str(partner.pk),
        "organisations-0-role": OrganisationRole.PUBLISHED_WITH,
        "organisations-0-ORDER": "1",
    }

    form = _admin_form(series, data, editor)

    assert form.is_valid(), form.errors
    assert form.formsets["organisations"].is_valid()


def test_new_study_in_a_voices_series_starts_as_a_partner_study(library, editor):
    series = VoicesSeriesPageFactory(parent=library)
    form_class = PublicationPage.get_edit_handler().get_form_class()

    form = form_class(instance=PublicationPage(), parent_page=series, for_user=editor)

    assert form.initial["publication_type"] == PublicationType.PARTNER_STUDY


def test_report_in_the_library_itself_may_be_of_any_type(library, editor):
    form = _admin_form(
        library, {**FORM_DATA, "publication_type": PublicationType.MAP}, editor
    )

    assert form.is_valid(), form.errors


def test_publication_date_is_a_real_date(library):
    publication = PublicationPageFactory.build(publication_date=None)

    with pytest.raises(ValidationError) as excinfo:
        publication.full_clean(exclude=["path", "depth", "slug"])

    assert "publication_date" in excinfo.value.message_dict
    assert PublicationPageFactory(
        parent=library, publication_date=datetime.date(2019, 1, 1)
    ).publication_date.year == (2019)
