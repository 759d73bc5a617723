"""The OAI-PMH 2.0 provider at /oai/: every verb, every error, Dublin Core
and deleted records. Resumption tokens and the query budget are in
test_oai_lists.py, a harvest by a real client in test_oai_harvest.py."""

import datetime
import re

from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from publications.choices import DownloadLanguage, OrganisationRole, PublicationType
from publications.models import (
    OaiTombstone,
    PublicationDownload,
    PublicationOrganisation,
    PublicationPage,
)
from tests.publications.factories import (
    CountryFactory,
    OrganisationFactory,
    PdfDocumentFactory,
    PersonFactory,
    ProgrammeFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)
from tests.publications.oai_checks import NS, oai_parse
from tests.site_config.factories import home_page_make, locales_ensure
from tests.utils.shared import built_for_module

pytestmark = pytest.mark.django_db

URL = "/oai/"
DOMAIN = "localhost"


def oai_id(page) -> str:
    return f"oai:{DOMAIN}:publications/{page.pk}"


def ask(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return oai_parse(response.content)


def error_code(root) -> str:
    errors = root.findall("oai:error", NS)
    assert len(errors) == 1, [e.get("code") for e in errors]
    assert errors[0].text.strip()
    return errors[0].get("code")


def texts(root, path: str) -> list[str]:
    return [element.text for element in root.iterfind(path, NS)]


def identifiers(root) -> list[str]:
    return texts(root, ".//oai:header/oai:identifier")


def _site_build():
    """Locales, an English home and library, the French ones, and taxonomy, as
    tests/conftest.py and tests/publications/conftest.py make them."""
    locales = locales_ensure()
    home = home_page_make(locales)
    library = PublicationIndexPageFactory(parent=home)
    home.copy_for_translation(locales["fr"]).save_revision().publish()
    library.copy_for_translation(locales["fr"]).save_revision().publish()
    taxonomy = {
        "natural_resources": ProgrammeFactory(
            slug="natural-resources", name="Natural Resources", sort_order=0
        ),
        "conflict_mapping": ProgrammeFactory(
            slug="conflict-mapping", name="Conflict Mapping", sort_order=1
        ),
        "tanzania": CountryFactory(iso_code="TZ", name="Tanzania"),
        "merket": PersonFactory(name="Hans Merket"),
    }
    return locales, library, taxonomy


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """Built once for the module; each test runs inside it and is rolled back."""
    with built_for_module(django_db_blocker, _catalogue_build) as built:
        yield built


def _catalogue_build():
    """A report with everything Dublin Core carries, its French translation, a
    map, a draft and a publication behind a password."""
    locales, library, taxonomy = _site_build()
    report = PublicationPageFactory(
        parent=library,
        title="Mapping artisanal mining",
        subtitle="A survey",
        slug="mapping-artisanal-mining",
        publication_date=datetime.date(2019, 1, 15),
        publication_type=PublicationType.REPORT,
        summary="Field teams surveyed\n mines.",
        programmes=[taxonomy["natural_resources"], taxonomy["conflict_mapping"]],
        countries=[taxonomy["tanzania"]],
        authors=[taxonomy["merket"], "Elise Foubert"],
        series_name="Insights on Due Diligence",
        series_volume=3,
        publisher="IPIS",
    )
    funder = OrganisationFactory(name="Funding Agency")
    partner = OrganisationFactory(name="Partner NGO")
    PublicationOrganisation.objects.create(
        page=report, organisation=partner, role=OrganisationRole.IN_COOPERATION_WITH
    )
    PublicationOrganisation.objects.create(
        page=report, organisation=funder, role=OrganisationRole.SUPPORTED_BY
    )
    english_pdf = PdfDocumentFactory(title="Mapping EN")
    french_pdf = PdfDocumentFactory(title="Mapping FR")
    PublicationDownload.objects.create(
        page=report, document=english_pdf, language=DownloadLanguage.EN, sort_order=0
    )
    PublicationDownload.objects.create(
        page=report, document=french_pdf, language=DownloadLanguage.FR, sort_order=1
    )
    french = report.copy_for_translation(locales["fr"], copy_parents=False)
    french.title = "Cartographie de l'exploitation minière artisanale"
    french.subtitle = ""
    french.save_revision().publish()
    webmap = PublicationPageFactory(
        parent=library,
        title="Webmap of mining sites",
        publication_type=PublicationType.MAP,
        programmes=[taxonomy["conflict_mapping"]],
    )
    draft = PublicationPageFactory(parent=library, title="Draft", draft=True)
    # Behind a password from the start: never public, so never a record.
    closed_series = VoicesSeriesPageFactory(parent=library)
    PageViewRestriction.objects.create(
        page=closed_series, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    private = PublicationPageFactory(parent=closed_series, title="Private")
    return {
        "report": report,
        "french": PublicationPage.objects.get(pk=french.pk),
        "webmap": webmap,
        "draft": draft,
        "private": private,
        "english_pdf": english_pdf,
        "french_pdf": french_pdf,
    }


# Identify, ListMetadataFormats, ListSets --------------------------------------


def test_identify_names_the_repository_and_its_policies(client, catalogue):
    root = ask(client, verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://localhost/oai/"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == (
        "YYYY-MM-DDThh:mm:ssZ"
    )
    assert identify.findtext("oai:adminEmail", namespaces=NS)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        identify.findtext("oai:earliestDatestamp", namespaces=NS),
    )
    assert root.find("oai:request", NS).attrib == {"verb": "Identify"}


def test_identify_takes_no_arguments(client, catalogue):
    assert error_code(ask(client, verb="Identify", set="x")) == "badArgument"


def test_list_metadata_formats_offers_oai_dc(client, catalogue):
    for params in ({}, {"identifier": oai_id(catalogue["report"])}):
        root = ask(client, verb="ListMetadataFormats", **params)
        assert texts(root, ".//oai:metadataPrefix") == ["oai_dc"]
        assert texts(root, ".//oai:metadataNamespace") == [
            "http://www.openarchives.org/OAI/2.0/oai_dc/"
        ]


def test_list_metadata_formats_of_an_unknown_record(client, catalogue):
    for identifier in (
        oai_id(catalogue["draft"]),
        oai_id(catalogue["private"]),
        "oai:elsewhere.org:publications/1",
        "nonsense",
    ):
        root = ask(client, verb="ListMetadataFormats", identifier=identifier)
        assert error_code(root) == "idDoesNotExist", identifier


def test_list_sets_names_programmes_and_types(client, catalogue):
    root = ask(client, verb="ListSets")
    sets = dict(
        zip(texts(root, ".//oai:setSpec"), texts(root, ".//oai:setName"), strict=True)
    )
    assert sets["programme:natural-resources"] == "Natural Resources"
    assert sets["programme:conflict-mapping"] == "Conflict Mapping"
    assert sets["type:report"] == "Report"
    assert sets["type:map"] == "Map or webmap"
    assert error_code(ask(client, verb="ListSets", resumptionToken="x")) == (
        "badResumptionToken"
    )


# GetRecord and Dublin Core -----------------------------------------------------


def dc_values(record) -> list[tuple[str, str, str | None]]:
    dc = record.find(".//oai_dc:dc", NS)
    return [
        (
            element.tag.split("}")[1],
            element.text,
            element.get("{http://www.w3.org/XML/1998/namespace}lang"),
        )
        for element in dc
    ]


def test_get_record_maps_the_publication_to_dublin_core(client, catalogue):
    report, french = catalogue["report"], catalogue["french"]
    root = ask(
        client, verb="GetRecord", identifier=oai_id(report), metadataPrefix="oai_dc"
    )
    record = root.find("oai:GetRecord/oai:record", NS)
    header = record.find("oai:header", NS)
    assert header.get("status") is None
    assert header.findtext("oai:identifier", namespaces=NS) == oai_id(report)
    assert texts(header, "oai:setSpec") == [
        "programme:natural-resources",
        "programme:conflict-mapping",
        "type:report",
    ]
    page_url = "http://localhost/en/publications/mapping-artisanal-mining/"
    assert report.full_url == page_url
    pdf_en = "http://localhost" + catalogue["english_pdf"].url
    pdf_fr = "http://localhost" + catalogue["french_pdf"].url
    assert dc_values(record) == [
        ("title", "Mapping artisanal mining: A survey", "en"),
        ("creator", "Hans Merket", None),
        ("creator", "Elise Foubert", None),
        ("subject", "Natural Resources", "en"),
        ("subject", "Conflict Mapping", "en"),
        ("subject", "Tanzania", "en"),
        ("description", "Field teams surveyed mines.", "en"),
        ("publisher", "IPIS", None),
        ("contributor", "Funding Agency", None),
        ("contributor", "Partner NGO", None),
        ("date", "2019-01-15", None),
        ("type", "Text", None),
        ("type", "Report", "en"),
        ("format", "application/pdf", None),
        ("identifier", page_url, None),
        ("identifier", pdf_en, None),
        ("identifier", pdf_fr, None),
        ("language", "en", None),
        ("relation", french.full_url, None),
        ("relation", "Insights on Due Diligence, vol. 3", "en"),
        ("rights", dc_values(record)[-1][1], None),
    ]
    assert french.full_url.startswith("http://localhost/fr/publications/")


def test_the_translation_is_its_own_record_in_its_language(client, catalogue):
    french = catalogue["french"]
    root = ask(
        client, verb="GetRecord", identifier=oai_id(french), metadataPrefix="oai_dc"
    )
    values = dc_values(root)
    assert ("language", "fr", None) in values
    assert ("type", "Rapport", "fr") in values or ("type", "Report", "fr") in values
    assert ("relation", catalogue["report"].full_url, None) in values


def test_a_map_is_an_image_and_a_page_without_files_is_html(client, catalogue):
    root = ask(
        client,
        verb="GetRecord",
        identifier=oai_id(catalogue["webmap"]),
        metadataPrefix="oai_dc",
    )
    values = dc_values(root)
    assert ("type", "Image", None) in values
    assert ("format", "text/html", None) in values


def test_get_record_errors(client, catalogue):
    report = oai_id(catalogue["report"])
    cases = [
        ({"identifier": report}, "badArgument"),
        ({"metadataPrefix": "oai_dc"}, "badArgument"),
        ({"identifier": report, "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"identifier": oai_id(catalogue["draft"]), "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {
                "identifier": "oai:localhost:publications/999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
    ]
    for params, code in cases:
        assert error_code(ask(client, verb="GetRecord", **params)) == code, params


# Lists: selection, sets, dates --------------------------------------------------


def test_list_records_holds_only_live_public_publications(client, catalogue):
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert sorted(identifiers(root)) == sorted(
        oai_id(catalogue[name]) for name in ("report", "french", "webmap")
    )
    assert len(root.findall(".//oai:metadata", NS)) == 3
    # Everything fits in one answer: no resumption token.
    assert root.find(".//oai:resumptionToken", NS) is None


def test_list_identifiers_gives_headers_only(client, catalogue):
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(identifiers(root)) == 3
    assert root.find(".//oai:metadata", NS) is None
    assert root.find("oai:request", NS).attrib == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
    }


def test_lists_filter_by_set(client, catalogue):
    def listed(set_spec):
        root = ask(
            client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=set_spec
        )
        return sorted(identifiers(root))

    # The French version is filed under the same programme (its English row).
    assert listed("programme:natural-resources") == sorted(
        [oai_id(catalogue["report"]), oai_id(catalogue["french"])]
    )
    assert listed("type:map") == [oai_id(catalogue["webmap"])]
    for unknown in ("programme:nothing", "type:nothing", "colour:red"):
        root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=unknown)
        assert error_code(root) == "noRecordsMatch"


def test_lists_filter_by_datestamp_to_the_second_or_the_day(client, catalogue):
    report, webmap = catalogue["report"], catalogue["webmap"]
    old = timezone.now() - datetime.timedelta(days=40)
    PublicationPage.objects.filter(pk=report.pk).update(
        last_published_at=old.replace(microsecond=500_000)
    )
    PublicationPage.objects.filter(pk=webmap.pk).update(
        last_published_at=timezone.now()
    )
    second = old.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    day = old.astimezone(datetime.UTC).strftime("%Y-%m-%d")

    def listed(**params):
        root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        if root.find("oai:error", NS) is not None:
            return error_code(root)
        return sorted(identifiers(root))

    # The datestamp shown (to the second) selects the record, both ways.
    assert listed(**{"from": second, "until": second}) == [oai_id(report)]
    assert listed(**{"from": day, "until": day}) == [oai_id(report)]
    later = (old + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    assert oai_id(report) not in listed(**{"from": later})
    assert oai_id(webmap) in listed(**{"from": later})
    assert listed(until=day) == [oai_id(report)]
    root = ask(
        client, verb="GetRecord", identifier=oai_id(report), metadataPrefix="oai_dc"
    )
    assert texts(root, ".//oai:datestamp") == [second]


def test_list_arguments_errors(client, catalogue):
    cases = [
        ({}, "badArgument"),  # no metadataPrefix
        ({"metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
        ({"metadataPrefix": "oai_dc", "from": "2019-13-45"}, "badArgument"),
        ({"metadataPrefix": "oai_dc", "from": "2019-01-01T00:00:00"}, "badArgument"),
        ({"metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "metadataPrefix": "oai_dc",
                "from": "2019-01-01",
                "until": "2019-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {"metadataPrefix": "oai_dc", "from": "2020-01-02", "until": "2020-01-01"},
            "badArgument",
        ),
        ({"metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
        ({"metadataPrefix": "oai_dc", "until": "1999-01-01"}, "noRecordsMatch"),
        ({"metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"resumptionToken": "not-a-token"}, "badResumptionToken"),
    ]
    for verb in ("ListIdentifiers", "ListRecords"):
        for params, code in cases:
            root = ask(client, verb=verb, **params)
            assert error_code(root) == code, (verb, params)
            request = root.find("oai:request", NS)
            if code in ("badArgument", "badVerb"):
                assert request.attrib == {}, params
            else:
                assert request.get("verb") == verb


def test_bad_verbs(client, catalogue):
    for query in ("", "?verb=Harvest", "?verb=Identify&verb=Identify", "?verb="):
        root = oai_parse(client.get(URL + query).content)
        assert error_code(root) == "badVerb", query
        assert root.find("oai:request", NS).attrib == {}
        assert root.findtext("oai:request", namespaces=NS) == "http://localhost/oai/"


def test_repeated_argument_is_bad(client, catalogue):
    root = oai_parse(
        client.get(
            URL + "?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc"
        ).content
    )
    assert error_code(root) == "badArgument"


def test_post_is_answered_like_get(client, catalogue):
    response = client.post(URL, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert len(identifiers(oai_parse(response.content))) == 3
    assert client.put(URL).status_code == 405


# Deleted records ----------------------------------------------------------------


def test_an_unpublished_publication_is_a_deleted_record_until_republished(
    client, catalogue
):
    report = catalogue["report"]
    report.unpublish()
    assert OaiTombstone.objects.filter(page_id=report.pk).exists()
    root = ask(
        client, verb="GetRecord", identifier=oai_id(report), metadataPrefix="oai_dc"
    )
    header = root.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert root.find(".//oai:metadata", NS) is None
    # Listed as deleted, in its sets too.
    root = ask(
        client,
        verb="ListRecords",
        metadataPrefix="oai_dc",
        set="programme:natural-resources",
    )
    statuses = {
        h.findtext("oai:identifier", namespaces=NS): h.get("status")
        for h in root.iterfind(".//oai:header", NS)
    }
    assert statuses == {oai_id(report): "deleted", oai_id(catalogue["french"]): None}

    PublicationPage.objects.get(pk=report.pk).save_revision().publish()
    assert not OaiTombstone.objects.filter(page_id=report.pk).exists()
    root = ask(
        client, verb="GetRecord", identifier=oai_id(report), metadataPrefix="oai_dc"
    )
    assert root.find(".//oai:header", NS).get("status") is None


def test_a_deleted_publication_stays_a_deleted_record(client, catalogue):
    webmap = catalogue["webmap"]
    identifier = oai_id(webmap)
    webmap.delete()
    root = ask(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    header = root.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert texts(header, "oai:setSpec") == ["programme:conflict-mapping", "type:map"]
    root = ask(client, verb="ListMetadataFormats", identifier=identifier)
    assert texts(root, ".//oai:metadataPrefix") == ["oai_dc"]


def test_a_publication_put_behind_a_login_is_deleted_until_public_again(
    client, catalogue
):
    report = catalogue["report"]
    restriction = PageViewRestriction.objects.create(
        page=report.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    statuses = {
        h.findtext("oai:identifier", namespaces=NS): h.get("status")
        for h in root.iterfind(".//oai:header", NS)
    }
    # The whole English library went private; the French version stays.
    assert statuses == {
        oai_id(report): "deleted",
        oai_id(catalogue["webmap"]): "deleted",
        oai_id(catalogue["french"]): None,
    }
    restriction.delete()
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert root.find(".//oai:header[@status]", NS) is None
    assert len(identifiers(root)) == 3


def test_a_draft_never_published_leaves_no_tombstone(client, catalogue):
    catalogue["draft"].delete()
    assert not OaiTombstone.objects.exists()
