"""The demo library: real publications from the seed documents, built once."""

from wagtail.documents import get_document_model
from wagtail.models import Locale

import pytest

from publications import demo_facts
from publications.choices import Licence, PublicationType
from publications.demo import library_demo_ensure, pdf_placeholder
from publications.models import (
    Organisation,
    PublicationIndexPage,
    PublicationPage,
    VoicesSeriesPage,
)
from site_config.models import HomePage
from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_library(demo_site_shared):
    """The demo site, whose builder calls library_demo_ensure; what it added."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    home = HomePage.objects.get(locale=locales["en"])
    return home, locales, demo_site_shared.created


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            PublicationPage,
            PublicationIndexPage,
            VoicesSeriesPage,
            Organisation,
            get_document_model(),
        )
    }


def test_demo_library_is_built_from_the_seed_facts_once(demo_library):
    home, locales, created = demo_library

    publications = PublicationPage.objects.live()
    # Counted once however many languages a publication is translated into.
    distinct = publications.values("translation_key").distinct().count()
    assert created["publications"] == distinct >= 30
    assert created["documents"] == created["publications"]
    report = publications.get(slug="mapping-asm-northwest-tanzania")
    assert [author.name for author in report.author_list()] == [
        "Hans Merket",
        "Elard Mawala",
    ]
    assert report.author_list()[0].person.name == "Hans Merket"
    # The seeds print a copyright notice and no open licence; no ORCID iD or
    # DOI is in them, so none is made up.
    assert report.author_list()[0].person.slug == "hans-merket"
    assert report.author_list()[0].person.orcid == ""
    assert set(publications.values_list("licence", flat=True)) == {
        Licence.ALL_RIGHTS_RESERVED
    }
    assert set(publications.values_list("doi", flat=True)) == {""}
    assert report.publication_date.isoformat() == "2019-01-01"
    assert {country.iso_code for country in report.countries.all()} == {"TZ"}
    assert [str(role) for role, _orgs in report.organisations_by_role()] == [
        "Supported by"
    ]
    assert report.downloads.get().document.file.read(5) == b"%PDF-"
    zimbabwe = publications.get(slug="asm-mapping-runde-rural-district-zimbabwe")
    assert zimbabwe.countries.get().name == "Zimbabwe"
    dcaf = publications.get(slug="voluntary-principles-working-group-south-kivu")
    assert dcaf.publisher.startswith("DCAF")
    assert dcaf.author_list()[0].name == "Guilain Mathé"
    tanzania = VoicesSeriesPage.objects.get(slug="voices-from-tanzania")
    assert tanzania.locale.language_code == "en"
    assert [page.series_volume for page in tanzania.studies()] == [2, 1]

    # An editor's change survives, and a second run adds nothing.
    edited = publications.get(slug="real-care-is-rare")
    edited.summary = "Rewritten by an editor."
    edited.save_revision().publish()
    before = _counts()

    again = library_demo_ensure(home=home, locales=locales)

    assert again == {}
    assert _counts() == before
    assert PublicationPage.objects.get(pk=edited.pk).summary == (
        "Rewritten by an editor."
    )


def test_demo_summaries_are_our_own_words():
    """No summary repeats a long stretch of the seed documents' prose."""
    from pathlib import Path

    seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("the seed documents are not on this machine")
    source = " ".join(
        " ".join(path.read_text(errors="replace").split())
        for path in sorted(seeds.glob("*.txt"))
    ).lower()
    facts = demo_facts.PUBLICATIONS + [
        study for studies in demo_facts.VOICES_STUDIES.values() for study in studies
    ]
    for fact in facts:
        words = fact["summary"].lower().split()
        for start in range(len(words) - 7):
            stretch = " ".join(words[start : start + 8])
            assert stretch not in source, (fact["slug"], stretch)


def test_placeholder_pdf_is_well_formed():
    pdf = pdf_placeholder(title="Misisi, pourquoi tant d’incidents (l’or)", lines=["x"])

    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.rstrip().endswith(b"%%EOF")
    xref_at = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref_at:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[xref_at:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"(Misisi, pourquoi tant d\x92incidents \\(l\x92or\\))" in pdf


def test_misisi_is_french_and_every_demo_library_page_is_valid_html(
    client, demo_library
):
    # The French study sits in the French tree, in the Voix du Congo series.
    study = PublicationPage.objects.get(
        slug="misisi-incidents-chaine-approvisionnement-or"
    )

    series = study.get_parent().specific
    library = series.get_parent().specific
    assert isinstance(series, VoicesSeriesPage) and series.title == "Voix du Congo"
    assert isinstance(library, PublicationIndexPage)
    assert study.locale.language_code == series.locale.language_code == "fr"
    english_library = PublicationIndexPage.objects.get(locale__language_code="en")
    assert library.translation_key == english_library.translation_key
    assert study.publication_type == PublicationType.PARTNER_STUDY
    assert study.author_list()[0].name == "Julien Mapenzi"
    assert study.author_list()[0].affiliation_label == "APDE"
    assert [o.acronym for o in series.partner_organisations.all()] == ["APDE"]
    assert study.downloads.get().language == "fr"

    paths = [
        "/en/publications/",
        "/en/publications/?programme=natural-resources&country=CD&type=report",
        "/en/publications/?q=gold&language=en&language=fr",
        "/fr/publications/",
        "/en/publications/mapping-asm-northwest-tanzania/",
        "/en/publications/voluntary-principles-working-group-south-kivu/",
        "/en/publications/asm-mapping-runde-rural-district-zimbabwe/",
        "/en/publications/voices-from-tanzania/",
        "/en/publications/voices-from-tanzania/voices-from-tanzania-volume-2/",
        "/fr/publications/voix-du-congo/",
        "/fr/publications/voix-du-congo/misisi-incidents-chaine-approvisionnement-or/",
    ]
    documents = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        documents[path] = response.content

    assert_valid_html_documents(documents)
