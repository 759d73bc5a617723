"""A publication page: what readers, search engines and reference managers get."""

import datetime
import json

from django.template.defaultfilters import filesizeformat

import pytest
from bs4 import BeautifulSoup

from publications.choices import OrganisationRole, PublicationType
from publications.models import (
    PublicationAuthor,
    PublicationDownload,
    PublicationOrganisation,
    RelatedPublication,
)
from tests.publications.factories import (
    CoverImageFactory,
    OrganisationFactory,
    PdfDocumentFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)
from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture
def report(library, taxonomy):
    """A report with everything a publication page can show."""
    page = PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining",
        subtitle="A survey on its nature & impact",
        slug="mapping-artisanal-mining",
        publication_date=datetime.date(2019, 1, 15),
        summary="Field teams surveyed mines.\n\nThey weighed costs and gains.",
        programmes=[taxonomy.natural_resources],
        countries=[taxonomy.tanzania, taxonomy.congo],
        series_name="Insights on Due Diligence",
        series_volume=3,
        external_url="https://example.org/webmap/",
        external_label="Explore the interactive map",
        cover_image=CoverImageFactory(description="Miners at a gold pit in Mara"),
        body=[
            ("heading", {"text": "Findings", "level": "h2"}),
            ("paragraph", "<p>Most sites are small.</p>"),
            (
                "key_figures",
                {
                    "heading": "In numbers",
                    "items": [{"figure": "450", "label": "sites mapped"}],
                    "source": "Field data, 2018",
                },
            ),
            ("fact_box", {"heading": "Method", "text": "<p>Mobile surveys.</p>"}),
        ],
    )
    for order, (person, name, affiliation) in enumerate(
        [
            (taxonomy.merket, "", ""),
            (None, "Elise Foubert", "Ghent University"),
        ]
    ):
        PublicationAuthor.objects.create(
            page=page,
            person=person,
            external_name=name,
            affiliation=affiliation,
            sort_order=order,
        )
    for order, (name, role) in enumerate(
        [
            ("Ulula", OrganisationRole.IN_COOPERATION_WITH),
            ("Belgian Development Cooperation", OrganisationRole.SUPPORTED_BY),
        ]
    ):
        PublicationOrganisation.objects.create(
            page=page,
            organisation=OrganisationFactory(name=name),
            role=role,
            sort_order=order,
        )
    english = PdfDocumentFactory(title="Mapping report")
    PublicationDownload.objects.create(
        page=page,
        document=PdfDocumentFactory(title="Résumé"),
        language="fr",
        sort_order=0,
    )
    PublicationDownload.objects.create(
        page=page, document=english, language="en", label="Full report", sort_order=1
    )
    neighbour = PublicationPageFactory(parent=library, title="Social licence")
    draft = PublicationPageFactory(parent=library, title="Unfinished", live=False)
    RelatedPublication.objects.create(page=page, related=neighbour, sort_order=0)
    RelatedPublication.objects.create(page=page, related=draft, sort_order=1)
    page.english_pdf = english
    return page


def _html(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _meta(html: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in html.find_all("meta", attrs={"name": name})]


def _property(html: BeautifulSoup, name: str) -> str:
    return html.find("meta", attrs={"property": name})["content"]


# What readers see


def test_page_shows_title_authors_in_order_and_the_facts(client, report):
    html = _html(client, report)

    assert html.h1.get_text(strip=True) == "Mapping artisanal mining"
    assert "A survey on its nature & impact" in html.select_one(".page-header").text
    authors = [a.get_text(strip=True) for a in html.select(".publication__author")]
    assert authors == ["Hans Merket", "Elise Foubert (Ghent University)"]
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in html.select(".publication__facts dt")
    }
    assert facts["Series"] == "Insights on Due Diligence, vol. 3"
    assert facts["Published"] == "January 2019, Antwerp"
    assert facts["Language"] == "English"
    assert facts["Type"] == "Report"
    assert html.select_one(".publication__summary").find_all("p")[1].text == (
        "They weighed costs and gains."
    )


def test_organisations_are_listed_under_their_roles(client, report):
    html = _html(client, report)

    terms = [dt.get_text(strip=True) for dt in html.select(".publication__facts dt")]
    assert terms.index("Supported by") < terms.index("In cooperation with")
    supported = html.find("dt", string="Supported by").find_next_sibling("dd")
    assert supported.get_text(strip=True) == "Belgian Development Cooperation"


def test_programmes_and_countries_link_to_the_filtered_library(client, report):
    html = _html(client, report)

    links = {
        a.get_text(strip=True): a["href"] for a in html.select(".publication__facts a")
    }
    assert links["Natural Resources(all publications)"] == (
        "/en/publications/?programme=natural-resources"
    )
    assert links["Tanzania(all publications)"] == "/en/publications/?country=TZ"


def test_downloads_show_format_size_and_language(client, report):
    html = _html(client, report)

    items = [
        " ".join(item.get_text(" ").split()) for item in html.select(".downloads__item")
    ]
    size = filesizeformat(report.english_pdf.file_size).replace("\xa0", " ")
    assert items == [
        f"Full report (PDF, {size_of(items[0])}, French)",
        f"Full report (PDF, {size}, English)",
    ]
    assert size.endswith(("bytes", "KB"))
    french_link = html.select(".downloads__link")[0]
    assert french_link["hreflang"] == "fr"
    assert french_link["href"].startswith("/documents/")
    external = html.select_one(".publication__external a")
    assert external["href"] == "https://example.org/webmap/"
    assert external.get_text(strip=True) == "Explore the interactive map"


def size_of(item: str) -> str:
    return item.split(", ")[1]


def test_cover_image_has_its_description_as_alternative_text(client, report):
    image = _html(client, report).select_one("img.publication__cover-image")

    assert image["alt"] == "Miners at a gold pit in Mara"


def test_related_publications_leave_out_drafts(client, report):
    html = _html(client, report)

    titles = [a.get_text(strip=True) for a in html.select(".publication__related a")]
    assert titles == ["Social licence"]


def test_body_blocks_render_with_their_components(client, report):
    html = _html(client, report)

    assert html.select_one(".key-figures__figure").text == "450"
    assert html.select_one(".key-figures__source").text == "Field data, 2018"
    assert html.select_one(".fact-box__heading").text == "Method"
    assert html.select_one(".publication__body h2#findings").text == "Findings"


def test_citation_block_gives_the_reference_and_both_files(client, report):
    html = _html(client, report)

    assert html.select_one(".cite__text").get_text() == (
        "Merket, H. and Foubert, E. (2019). Mapping artisanal mining: A survey on "
        "its nature & impact. Insights on Due Diligence, vol. 3. Antwerp: IPIS."
    )
    links = [a["href"] for a in html.select(".cite__link")]
    assert links == [report.url + "cite/bibtex/", report.url + "cite/ris/"]


# Machine-readable metadata


def test_highwire_tags_for_scholarly_indexes(client, report):
    html = _html(client, report)

    assert _meta(html, "citation_title") == [
        "Mapping artisanal mining: A survey on its nature & impact"
    ]
    assert _meta(html, "citation_author") == ["Hans Merket", "Elise Foubert"]
    assert _meta(html, "citation_publication_date") == ["2019/01/15"]
    assert _meta(html, "citation_language") == ["en"]
    assert _meta(html, "citation_publisher") == ["IPIS"]
    assert _meta(html, "citation_pdf_url") == [BASE + report.english_pdf.url]


def test_json_ld_describes_the_report(client, report):
    html = _html(client, report)

    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["name"] == "Mapping artisanal mining: A survey on its nature & impact"
    assert data["datePublished"] == "2019-01-15"
    assert data["inLanguage"] == "en"
    assert data["url"] == BASE + report.url
    assert [author["name"] for author in data["author"]] == [
        "Hans Merket",
        "Elise Foubert",
    ]
    assert data["author"][1]["affiliation"]["name"] == "Ghent University"
    assert data["publisher"] == {"@type": "Organization", "name": "IPIS"}
    assert data["encoding"]["contentUrl"] == BASE + report.english_pdf.url
    assert data["image"].startswith(BASE + "/")
    assert data["funder"] == [
        {"@type": "Organization", "name": "Belgian Development Cooperation"}
    ]
    assert data["about"] == ["Natural Resources"]
    assert {place["name"] for place in data["spatialCoverage"]} == {
        "Tanzania",
        "Democratic Republic of the Congo",
    }


def test_json_ld_cannot_be_broken_out_of_by_the_title(client, library):
    page = PublicationPageFactory(
        parent=library,
        title='</script><script>alert("x")</script><!--',
        summary="Ends with </SCRIPT> & more",
    )

    response = client.get(page.url)

    html = response.content.decode()
    assert "<script>alert(" not in html
    script = BeautifulSoup(html, "html.parser").find(
        "script", type="application/ld+json"
    )
    data = json.loads(script.string)
    assert data["headline"] == '</script><script>alert("x")</script><!--'
    assert data["description"] == "Ends with </SCRIPT> & more"


def test_open_graph_and_twitter_cards_use_absolute_urls(client, report):
    html = _html(client, report)

    assert _property(html, "og:type") == "article"
    assert _property(html, "og:title") == (
        "Mapping artisanal mining: A survey on its nature & impact"
    )
    assert _property(html, "og:url") == BASE + report.url
    assert _property(html, "og:description") == (
        "Field teams surveyed mines. They weighed costs and gains."
    )
    assert _property(html, "og:image").startswith(BASE + "/")
    assert _property(html, "og:image:alt") == "Miners at a gold pit in Mara"
    assert _meta(html, "twitter:card") == ["summary_large_image"]
    assert html.select_one("link[rel=canonical]")["href"] == BASE + report.url


def test_page_without_cover_or_files_has_a_plain_card(client, library):
    page = PublicationPageFactory(parent=library, title="A map", publication_type="map")

    html = _html(client, page)

    assert _meta(html, "twitter:card") == ["summary"]
    assert html.find("meta", attrs={"property": "og:image"}) is None
    assert _meta(html, "citation_pdf_url") == []
    assert html.select_one(".downloads") is None


# Citation files


def test_bibtex_download_is_a_named_bibtex_file(client, report):
    response = client.get(report.url + "cite/bibtex/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="mapping-artisanal-mining.bib"'
    )
    text = response.content.decode()
    assert text.startswith("@techreport{merket2019mapping,\n")
    assert "title = {Mapping artisanal mining: A survey on its nature \\& impact}" in (
        text
    )
    assert f"url = {{{BASE}{report.url}}}" in text


def test_ris_download_is_a_named_ris_file(client, report):
    response = client.get(report.url + "cite/ris/")

    assert response["Content-Type"] == (
        "application/x-research-info-systems; charset=utf-8"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="mapping-artisanal-mining.ris"'
    )
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert "AU  - Foubert, Elise" in lines
    assert f"UR  - {BASE}{report.url}" in lines


def test_unknown_sub_addresses_and_drafts_are_not_found(client, library, report):
    draft = PublicationPageFactory(parent=library, title="Draft", live=False)

    assert client.get(report.url + "cite/").status_code == 404
    assert client.get(report.url + "cite/endnote/").status_code == 404
    assert client.get(draft.url).status_code == 404
    assert client.get(draft.url + "cite/bibtex/").status_code == 404


# Voices


def test_voices_series_lists_its_studies_newest_first(client, library, locales):
    partner = OrganisationFactory(name="Business and Human Rights Tanzania")
    series = VoicesSeriesPageFactory(parent=library, title="Voices from Tanzania")
    series.partner_organisations.add(partner)
    series.save()
    for volume, day in ((1, "2019-03-01"), (2, "2020-02-01")):
        PublicationPageFactory(
            parent=series,
            title=f"Volume {volume}",
            publication_type=PublicationType.PARTNER_STUDY,
            publication_date=datetime.date.fromisoformat(day),
        )
    PublicationPageFactory(parent=series, title="Draft volume", live=False)

    html = _html(client, series)

    titles = [
        a.get_text(strip=True) for a in html.select(".voices__studies .card__link")
    ]
    assert titles == ["Volume 2", "Volume 1"]
    assert (
        "Business and Human Rights Tanzania"
        in html.select_one(".voices__partners").get_text()
    )


def test_study_in_a_series_links_back_to_the_library(client, library):
    series = VoicesSeriesPageFactory(parent=library)
    study = PublicationPageFactory(
        parent=series, publication_type=PublicationType.PARTNER_STUDY
    )

    html = _html(client, study)

    assert html.select_one(".publication__back a")["href"] == "/en/publications/"


def test_full_publication_page_and_its_library_are_valid_html(client, report):
    documents = {
        path: client.get(path).content
        for path in (
            report.url,
            "/en/publications/?country=TZ&q=mapping&sort=oldest",
            report.get_parent().url,
        )
    }

    assert_valid_html_documents(documents)


def test_related_publication_in_another_language_says_which(
    client, library, fr_library
):
    french = PublicationPageFactory(parent=fr_library, title="Pillage route")
    english = PublicationPageFactory(parent=library, title="Roadblocks")
    RelatedPublication.objects.create(page=english, related=french, sort_order=0)

    html = _html(client, english)

    item = html.select_one(".publication__related li")
    assert item["lang"] == "fr"
    assert item.a.get_text(strip=True) == "Pillage route"


def test_preview_of_an_edit_shows_the_forms_lists_not_the_saved_ones(
    client, report, django_user_model
):
    """The live preview reads files and authors as the editor has just changed
    them in the form, not the rows saved in the database."""
    from django.urls import reverse

    from wagtail.test.utils.form_data import (
        nested_form_data,
        querydict_from_html,
        rich_text,
        streamfield,
    )

    admin = django_user_model.objects.create_superuser(
        "preview-editor", "preview-editor@example.org", "preview-password"
    )
    client.force_login(admin)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[report.pk]))
    data = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    data = data.copy()
    data.update(
        nested_form_data(
            {"body": streamfield([("paragraph", rich_text("<p>Short.</p>"))])}
        )
    )
    rows = {data[f"downloads-{i}-language"]: i for i in range(2)}
    data[f"downloads-{rows['fr']}-DELETE"] = "1"
    data[f"downloads-{rows['en']}-label"] = "Full report, revised"
    authors = {data[f"authors-{i}-external_name"]: i for i in range(2)}
    data[f"authors-{authors['Elise Foubert']}-external_name"] = "Elise F. Foubert"

    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[report.pk])
    assert client.post(preview, data).json() == {"is_valid": True, "is_available": True}
    response = client.get(preview)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    links = [link.get_text() for link in html.select(".downloads__link")]
    assert links == ["Full report, revised"]
    assert "Elise F. Foubert" in response.content.decode()
    # Nothing was saved by previewing.
    assert report.downloads.count() == 2
