"""What a publication page shows besides its fields: links, files, metadata.

Search engines and reference managers read the Highwire `citation_*` tags and
the schema.org JSON-LD built here (OpenGraph and Twitter cards come from the
head every page has: site_config.meta).
"""

import json
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page, Site

from publications.blocks import Reference, stream_references
from publications.choices import DownloadLanguage, OrganisationRole
from publications.citation import (
    citation_publisher,
    citation_text,
    citation_type,
    date_highwire,
    date_iso,
)
from publications.models import (
    Country,
    Programme,
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationOrganisation,
    PublicationPage,
    RelatedPublication,
)
from publications.pdf.text import collection_restricted
from theme.address import page_public_url, public_url
from theme.i18n import pages_localized
from theme.translations import live_versions

# What json.dumps leaves as it is but must not appear raw inside <script>:
# "</script>" would end the element and "<!--" would start a comment.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
SOCIAL_IMAGE_SPEC = "fill-1200x630"


@dataclass(frozen=True)
class Byline:
    """An author as the page names them: with a link to their page in the
    library and their ORCID iD when they are a person we know."""

    name: str
    affiliation_label: str
    is_organisation: bool
    url: str = ""
    full_url: str = ""
    orcid_url: str = ""


def person_path(*, library_url: str, slug: str) -> str:
    """`/en/publications/people/hans-merket/`: a person's page in the library at
    `library_url` (PublicationIndexPage's "person" route)."""
    return f"{library_url.rstrip('/')}/people/{slug}/"


def publication_bylines(
    *, publication: PublicationPage, library_url: str
) -> list[Byline]:
    """The authors in order; people we know link to their page in the library."""
    bylines = []
    for author in publication.author_list():
        person = author.person if author.person_id is not None else None
        url = ""
        if person is not None and person.slug and library_url:
            url = person_path(library_url=library_url, slug=person.slug)
        bylines.append(
            Byline(
                name=author.name,
                affiliation_label=author.affiliation_label,
                is_organisation=author.is_organisation,
                url=url,
                full_url=public_url(url) if url else "",
                orcid_url=person.orcid_url if person is not None else "",
            )
        )
    return bylines


@dataclass(frozen=True)
class Download:
    """A file as the page lists it."""

    url: str
    label: str
    language: str
    language_code: str
    extension: str
    size: int | None


def json_ld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">` whose text cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # Safe: json.dumps escapes quotes and backslashes, and the characters that
    # could close the script element are replaced by their \\u escapes.
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )


def publication_prefetched(publication: PublicationPage) -> PublicationPage:
    """Fetch every list the page shows in one query each.

    A preview holds the lists the editor's form filled in memory, and a page
    never saved has no rows to fetch: those lists are read as they are.
    """
    if publication.pk is None:
        return publication
    in_memory = getattr(publication, "_cluster_related_objects", {})
    lookups = [
        Prefetch(
            "authors",
            queryset=PublicationAuthor.objects.select_related("person__organisation"),
        ),
        Prefetch(
            "organisations",
            queryset=PublicationOrganisation.objects.select_related("organisation"),
        ),
        Prefetch(
            "downloads",
            # With the first-page image made of each PDF (a fallback cover).
            queryset=PublicationDownload.objects.select_related(
                "document__pdf_text__thumbnail"
            ).annotate(private=collection_restricted("document__collection__path")),
        ),
        Prefetch(
            "related_publications",
            queryset=RelatedPublication.objects.select_related("related"),
        ),
        Prefetch(
            "programmes",
            queryset=Programme.objects.with_local_name(publication.locale_id),
        ),
        Prefetch(
            "countries", queryset=Country.objects.with_local_name(publication.locale_id)
        ),
    ]
    prefetch_related_objects(
        [publication],
        *(lookup for lookup in lookups if lookup.prefetch_to not in in_memory),
    )
    return publication


def publication_references(*, publication: PublicationPage) -> set[Reference]:
    """Every page, document and image the publication points to: its cover,
    files, related publications and what its body links to or shows.

    Reads the lists as the page holds them, in memory (a form, a revision) or
    in the database.
    """
    references = {
        ("document", str(row.document_id)) for row in publication.downloads.all()
    } | {
        ("page", str(row.related_id)) for row in publication.related_publications.all()
    }
    if publication.cover_image_id:
        references.add(("image", str(publication.cover_image_id)))
    body = PublicationPage._meta.get_field("body").stream_block
    references |= {
        reference
        for reference, _path in stream_references(block=body, value=publication.body)
    }
    return references


def _library_of(publication: PublicationPage) -> PublicationIndexPage | None:
    """The library the publication is listed in, with its language."""
    library = (
        PublicationIndexPage.objects.ancestor_of(publication)
        .live()
        .select_related("locale")
        .order_by("-depth")
        .first()
    )
    if (
        library is not None
        and library.locale_id == publication.locale_id
        and not PublicationPage.locale.is_cached(publication)
    ):
        # Same tree, same language: spare the page a query for its locale.
        publication.locale = library.locale
    return library


def cover_fallback(publication: PublicationPage):
    """Without a cover: the image of the first page of its PDF, if it is public."""
    if publication.cover_image_id:
        return None
    pdf = publication.primary_pdf()
    if pdf is None or getattr(pdf, "private", True):
        return None
    text = getattr(pdf.document, "pdf_text", None)
    return text.thumbnail if text is not None else None


def _filter_url(library_url: str, name: str, value: str) -> str:
    params = QueryDict(mutable=True)
    params[name] = value
    return f"{library_url}?{params.urlencode()}"


def _downloads(publication: PublicationPage) -> list[Download]:
    labels = dict(DownloadLanguage.choices)
    return [
        Download(
            url=row.document.url,
            label=row.label or _("Full report"),
            language=str(labels.get(row.language, row.language)),
            language_code=row.language if row.language != "other" else "",
            extension=row.document.file_extension.upper(),
            size=row.document.file_size,
        )
        for row in publication.downloads.all()
    ]


def _related(publication: PublicationPage) -> list[tuple[Page, str]]:
    """(page, its language code if not the page's own) for each live related one.

    Each is shown in the publication's language where translated; one more
    query names the languages of those that are not.
    """
    rows = [row.related for row in publication.related_publications.all()]
    localized = pages_localized(rows, locale=publication.locale)
    # A translation found by pages_localized is live; an original may not be.
    shown = [
        localized[row.pk] for row in rows if localized[row.pk] is not row or row.live
    ]
    codes = {}
    if any(page.locale_id != publication.locale_id for page in shown):
        codes = dict(Locale.objects.values_list("pk", "language_code"))
    return [
        (
            page,
            codes.get(page.locale_id, "")
            if page.locale_id != publication.locale_id
            else "",
        )
        for page in shown
    ]


def publication_metadata(
    *,
    publication: PublicationPage,
    request: HttpRequest,
    image_url: str = "",
    bylines: list[Byline] | None = None,
) -> dict:
    """Highwire tags and JSON-LD, every URL absolute on the public address.

    OpenGraph and Twitter cards come from the page head of every page
    (site_config.meta).
    """
    url = page_public_url(publication, request)
    pdf = publication.primary_pdf()
    pdf_url = public_url(pdf.document.url) if pdf else ""
    if bylines is None:
        bylines = publication_bylines(publication=publication, library_url="")
    publisher = citation_publisher(publication=publication)
    highwire = [("citation_title", publication.full_title)]
    for author in bylines:
        highwire.append(("citation_author", author.name))
        if author.orcid_url:
            # Read after the author it follows, as HighWire's own pages do.
            highwire.append(("citation_author_orcid", author.orcid_url))
    highwire += [
        ("citation_publication_date", date_highwire(publication=publication)),
        ("citation_language", publication.locale.language_code),
        ("citation_publisher", publisher),
    ]
    if pdf_url:
        highwire.append(("citation_pdf_url", pdf_url))
    if publication.series_name:
        highwire.append(("citation_series_title", publication.series_name))
    if publication.doi:
        highwire.append(("citation_doi", publication.doi))

    report = {
        "@context": "https://schema.org",
        "@type": citation_type(publication=publication).json_ld,
        "name": publication.full_title,
        "headline": publication.title,
        "description": publication.summary,
        "datePublished": date_iso(publication=publication),
        "inLanguage": publication.locale.language_code,
        "url": url,
        "publisher": {"@type": "Organization", "name": publisher},
        "author": [_json_ld_author(author) for author in bylines],
        "about": [
            getattr(programme, "local_name", programme.name)
            for programme in publication.programmes.all()
        ],
        "spatialCoverage": [
            {"@type": "Country", "name": getattr(country, "local_name", country.name)}
            for country in publication.countries.all()
        ],
    }
    if publication.series_name:
        report["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": publication.series_name,
        }
    if pdf_url:
        report["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": pdf_url,
            "encodingFormat": "application/pdf",
        }
    if image_url:
        report["image"] = image_url
    if publication.doi:
        report["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": publication.doi,
            "url": publication.doi_url,
        }
        report["sameAs"] = publication.doi_url
    licence = publication.licence_info
    if licence is not None:
        # A licence with a text of its own by its address; "all rights
        # reserved" has none, so it is named.
        report["license"] = licence.url or {
            "@type": "CreativeWork",
            "name": licence.label,
        }
    report.update(_json_ld_translations(publication, request))
    organisations = publication.organisations.all()
    funders = [
        row.organisation.name
        for row in organisations
        if row.role == OrganisationRole.SUPPORTED_BY
    ]
    if funders:
        report["funder"] = [{"@type": "Organization", "name": name} for name in funders]

    return {"highwire": highwire, "json_ld": json_ld_script(report)}


def _json_ld_translations(publication: PublicationPage, request: HttpRequest) -> dict:
    """schema.org links between the language versions of a publication.

    The first version made (lowest id) is the original: it lists the others as
    `workTranslation`, each of them names it as `translationOfWork`. Live
    versions, as the page's hreflang links name them.
    """
    if publication.pk is None:
        return {}
    # The query the language links of the page make anyway (once per request).
    site = Site.find_for_request(request) if request is not None else None
    versions = [
        page
        for page in live_versions(
            page_key=publication.translation_key, site=site, request=request
        )
        if page.translation_key == publication.translation_key
        and page.pk != publication.pk
    ]

    def work(page: PublicationPage) -> dict:
        return {
            "@type": citation_type(publication=publication).json_ld,
            "name": page.title,
            "inLanguage": page.locale.language_code,
            "url": page_public_url(page, request),
        }

    if not versions:
        return {}
    if versions[0].pk < publication.pk:
        return {"translationOfWork": work(versions[0])}
    return {"workTranslation": [work(page) for page in versions]}


def _json_ld_author(author: Byline) -> dict:
    kind = "Organization" if author.is_organisation else "Person"
    data = {"@type": kind, "name": author.name}
    if author.full_url:
        data["url"] = author.full_url
    if author.orcid_url:
        data["sameAs"] = author.orcid_url
    if author.affiliation_label and not author.is_organisation:
        data["affiliation"] = {
            "@type": "Organization",
            "name": author.affiliation_label,
        }
    return data


def publication_page_context(
    *, publication: PublicationPage, request: HttpRequest
) -> dict:
    """Everything the publication template needs beyond the page itself."""
    publication_prefetched(publication)
    library = _library_of(publication)
    library_url = library.get_url(request=request) if library else ""
    image_url = ""
    fallback = cover_fallback(publication)
    if publication.cover_image_id:
        rendition = publication.cover_image.get_rendition(SOCIAL_IMAGE_SPEC)
        image_url = public_url(rendition.url)
    programmes = [
        (programme, _filter_url(library_url, "programme", programme.slug))
        for programme in publication.programmes.all()
    ]
    countries = [
        (country, _filter_url(library_url, "country", country.iso_code))
        for country in publication.countries.all()
    ]
    bylines = publication_bylines(publication=publication, library_url=library_url)
    return {
        "library": library,
        "library_url": library_url,
        "authors": bylines,
        "licence": publication.licence_info,
        "organisations_by_role": publication.organisations_by_role(),
        "programme_links": programmes if library_url else [],
        "country_links": countries if library_url else [],
        "downloads": _downloads(publication),
        "cover_fallback": fallback,
        "related": _related(publication),
        "citation": citation_text(publication=publication),
        "meta": publication_metadata(
            publication=publication,
            request=request,
            image_url=image_url,
            bylines=bylines,
        ),
    }
