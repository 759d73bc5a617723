"""One publication as unqualified Dublin Core (the fifteen `dc:` elements)."""

import mimetypes
from urllib.parse import urlsplit

from django.utils import translation

from publications.choices import PublicationType
from publications.models import PublicationPage

from .conf import rights_statement
from .records import Record

# DCMI Type Vocabulary: maps are images; everything else the library holds is text.
DCMI_TYPES = {PublicationType.MAP: "Image"}
DCMI_TEXT = "Text"


def _absolute(page_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}{path}"


def _mime_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _rights(page: PublicationPage) -> str:
    """The licence's address (a Creative Commons licence), its name (all rights
    reserved), or the repository's statement when none was chosen."""
    licence = page.licence_info
    if licence is None:
        return rights_statement()
    return licence.url or licence.label


def dublin_core(record: Record) -> list[tuple[str, str, str]]:
    """(element, value, xml:lang or "") in the order they are written."""
    page: PublicationPage = record.page
    language = page.locale.language_code
    url = page.full_url
    elements: list[tuple[str, str, str]] = [("title", page.full_title, language)]
    elements += [("creator", author.name, "") for author in page.author_list()]
    elements += [
        ("subject", programme.name, language) for programme in page.programmes.all()
    ]
    elements += [
        ("subject", country.name, language) for country in page.countries.all()
    ]
    if page.summary.strip():
        elements.append(("description", " ".join(page.summary.split()), language))
    if page.publisher:
        elements.append(("publisher", page.publisher, ""))
    with translation.override(language):
        roles = page.organisations_by_role()
        type_label = str(PublicationType(page.publication_type).label)
        series = str(page.series_label)
    elements += [
        ("contributor", organisation.name, "")
        for _role, organisations in roles
        for organisation in organisations
    ]
    elements.append(("date", page.publication_date.isoformat(), ""))
    elements.append(("type", DCMI_TYPES.get(page.publication_type, DCMI_TEXT), ""))
    elements.append(("type", type_label, language))
    downloads = list(page.downloads.all())
    formats = dict.fromkeys(_mime_type(row.document.filename) for row in downloads)
    elements += [("format", mime, "") for mime in formats or ["text/html"]]
    elements.append(("identifier", url, ""))
    if page.doi:
        # As a resolvable address, the form BASE, CORE and OpenAIRE recognise.
        elements.append(("identifier", page.doi_url, ""))
    elements += [
        ("identifier", _absolute(url, row.document.url), "")
        for row in downloads
        if row.is_pdf
    ]
    elements.append(("language", language, ""))
    elements += [("relation", other.full_url, "") for other in record.translations]
    if series:
        elements.append(("relation", series, language))
    elements.append(("rights", _rights(page), ""))
    return elements
