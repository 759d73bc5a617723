"""A publication's DOI and licence: chosen in the admin, shown on the page and
carried into citations, Highwire tags, JSON-LD and OAI-PMH."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.models import Site
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    streamfield,
)

import pytest
from bs4 import BeautifulSoup

from publications.choices import Licence
from publications.citation import citation_bibtex, citation_ris, citation_text
from publications.models import PublicationPage
from site_config.models import SiteSettings
from tests.publications.factories import PublicationPageFactory
from tests.publications.oai_checks import NS, oai_parse

pytestmark = pytest.mark.django_db

DOI = "10.5555/ipis.2019.mapping"  # 10.5555: Crossref's prefix for examples


@pytest.fixture
def report(library, taxonomy):
    return PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining",
        slug="mapping-artisanal-mining",
        publication_date=datetime.date(2019, 1, 15),
        authors=[taxonomy.merket],
        doi=DOI,
        licence=Licence.CC_BY,
    )


def _html(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _facts(html: BeautifulSoup) -> dict:
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd")
        for dt in html.select(".publication__facts dt")
    }


# On the page and in its head


def test_page_links_the_doi_and_the_licence(client, report):
    facts = _facts(_html(client, report))

    assert facts["DOI"].a["href"] == f"https://doi.org/{DOI}"
    licence = facts["Licence"].a
    assert licence["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert licence["rel"] == ["license", "noopener"]
    assert "CC BY 4.0" in licence.get_text()


def test_all_rights_reserved_is_named_without_a_link(client, report):
    report.licence = Licence.ALL_RIGHTS_RESERVED
    report.save()

    html = _html(client, report)

    assert _facts(html)["Licence"].get_text(strip=True) == "All rights reserved"
    assert _facts(html)["Licence"].a is None
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["license"] == {"@type": "CreativeWork", "name": "All rights reserved"}


def test_without_doi_or_licence_the_page_says_nothing_of_them(client, library):
    page = PublicationPageFactory(parent=library)

    html = _html(client, page)

    assert "DOI" not in _facts(html)
    assert "Licence" not in _facts(html)
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert "license" not in data
    assert "identifier" not in data
    assert not html.find("meta", attrs={"name": "citation_doi"})


def test_head_carries_the_doi_and_licence(client, report):
    html = _html(client, report)

    assert html.find("meta", attrs={"name": "citation_doi"})["content"] == DOI
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": DOI,
        "url": f"https://doi.org/{DOI}",
    }
    assert data["sameAs"] == f"https://doi.org/{DOI}"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


# Citations


def test_citations_carry_the_doi(report):
    assert citation_text(publication=report).endswith(
        "Antwerp: IPIS. https://doi.org/10.5555/ipis.2019.mapping"
    )
    bibtex = citation_bibtex(publication=report, url="https://example.org/r/")
    assert f"  doi = {{{DOI}}},\n" in bibtex
    assert "  copyright = {CC BY 4.0}\n" in bibtex
    ris = citation_ris(publication=report, url="https://example.org/r/")
    assert f"DO  - {DOI}\r\n" in ris
    # RIS has no licence tag: nothing is made up for it.
    assert "CC BY" not in ris


def test_bibtex_keeps_a_doi_with_latex_characters_verbatim(report):
    report.doi = "10.5555/a_b%c{d}"

    bibtex = citation_bibtex(publication=report, key="k")

    assert "  doi = {10.5555/a_b%c%7Bd%7D},\n" in bibtex


# OAI-PMH


def _dc(client, page) -> list[tuple[str, str]]:
    response = client.get(
        "/oai/",
        {
            "verb": "GetRecord",
            "identifier": f"oai:localhost:publications/{page.pk}",
            "metadataPrefix": "oai_dc",
        },
    )
    root = oai_parse(response.content)
    dc = root.find(".//oai_dc:dc", NS)
    return [(element.tag.split("}")[1], element.text) for element in dc]


def test_oai_record_carries_the_doi_and_the_licence(client, report):
    values = _dc(client, report)

    identifiers = [value for name, value in values if name == "identifier"]
    assert f"https://doi.org/{DOI}" in identifiers
    assert [value for name, value in values if name == "rights"] == [
        "https://creativecommons.org/licenses/by/4.0/"
    ]


def test_oai_record_without_licence_keeps_the_repository_statement(
    client, library, settings
):
    settings.OAI_RIGHTS = "Ask the publisher."
    page = PublicationPageFactory(parent=library)

    assert ("rights", "Ask the publisher.") in _dc(client, page)


# One DOI, one publication


def test_language_versions_may_share_a_doi_but_no_other_publication(
    report, fr_library, locales, library
):
    french = report.copy_for_translation(locales["fr"])
    french.doi = DOI.upper()
    french.full_clean()  # the French version of the same report

    other = PublicationPageFactory(parent=library, title="Another report")
    other.doi = f"https://doi.org/{DOI.upper()}"
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert (
        "Another publication already has this DOI"
        in (error.value.message_dict["doi"][0])
    )


# The admin form


def _add_form(client, library) -> tuple[str, dict]:
    url = reverse(
        "wagtailadmin_pages:add", args=["publications", "publicationpage", library.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    return url, {key: data.getlist(key) for key in data}


def _filled(data: dict, **fields) -> dict:
    data = {key: value for key, value in data.items() if not key.startswith("body-")}
    data.update(
        {
            key: [value]
            for key, value in nested_form_data({"body": streamfield([])}).items()
        }
    )
    data.update(
        {
            "title": ["Gold in Mara"],
            "slug": ["gold-in-mara"],
            "summary": ["What the survey found."],
            "publication_date": ["2026-11-01"],
        }
    )
    data.update({name: [value] for name, value in fields.items()})
    return data


def test_a_new_publication_starts_with_the_sites_default_licence(admin_client, library):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.default_licence = Licence.CC_BY_NC
    site_settings.save()

    _url, data = _add_form(admin_client, library)

    assert data["licence"] == [Licence.CC_BY_NC]


def test_the_form_keeps_the_doi_pasted_as_an_address(admin_client, library):
    url, data = _add_form(admin_client, library)

    response = admin_client.post(
        url,
        _filled(data, doi=f"https://doi.org/{DOI}", licence=Licence.CC_BY_SA),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    page = PublicationPage.objects.get(slug="gold-in-mara")
    assert (page.doi, page.licence) == (DOI, Licence.CC_BY_SA)


def test_the_form_says_what_is_wrong_with_a_doi(admin_client, library, report):
    url, data = _add_form(admin_client, library)

    wrong = admin_client.post(url, _filled(data, doi="10.55/not-a-doi"))
    taken = admin_client.post(url, _filled(data, doi=DOI))

    assert "Enter a DOI such as 10.1000/xyz123" in wrong.content.decode()
    assert "Another publication already has this DOI" in taken.content.decode()
    assert not PublicationPage.objects.filter(slug="gold-in-mara").exists()
