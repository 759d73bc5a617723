"""What the read-only API (/api/v2/pages/) tells of the library's pages.

A listing serialises many pages at once, so nothing here is looked up per
page: `publications_api_prepare` fetches what a batch of publications needs
in a fixed number of queries and leaves it on each page, and the serializer
fields below only read it. Only what the public page shows is told: files in
restricted collections (partners' drafts, board papers) never appear.

To expose a new field of a publication (a DOI, a licence, an ORCID iD on a
person), add an `APIField` to `PublicationPage.api_fields`, or a key to
`author_api` for people: the serializer fields here are plain functions of
the page.
"""

from collections import defaultdict

from django.db.models import Prefetch, prefetch_related_objects

from wagtail.models import Page

from rest_framework.fields import Field

from theme.address import page_public_url, public_url


def author_api(author) -> dict:
    """One author as the API tells it: the name as printed, and who they are with."""
    return {
        "name": author.name,
        "affiliation": author.affiliation_label,
        "is_organisation": author.is_organisation,
        "orcid": author.person.orcid if author.person_id is not None else "",
    }


def download_api(row) -> dict:
    """One public file of a publication."""
    document = row.document
    return {
        "label": row.label,
        "language": row.language,
        "url": public_url(document.url),
        "file_extension": document.file_extension.lower(),
        "size_bytes": document.file_size,
    }


class PageComputedField(Field):
    """A read-only field whose value is computed from the whole page."""

    def __init__(self, compute, **kwargs):
        self.compute = compute
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return self.compute(page)


def _authors(page) -> list[dict]:
    return [author_api(author) for author in page.author_list()]


def _downloads(page) -> list[dict]:
    return [
        download_api(row)
        for row in page.downloads.all()
        # Annotated by the prepare step; a row not annotated is not known public.
        if not getattr(row, "private", True)
    ]


def _terms(attribute: str, code: str):
    def compute(page) -> list[dict]:
        names = getattr(page, "_api_term_names", {})
        return [
            {
                code: getattr(term, code),
                "name": names.get((term.translation_key, page.locale_id), term.name),
            }
            for term in getattr(page, attribute).all()
        ]

    return compute


def _translations(page) -> list[dict]:
    return getattr(page, "_api_translations", [])


def _voices_series(page) -> dict | None:
    return getattr(page, "_api_voices_series", None)


authors_field = PageComputedField(_authors)
downloads_field = PageComputedField(_downloads)
programmes_field = PageComputedField(_terms("programmes", "slug"))
countries_field = PageComputedField(_terms("countries", "iso_code"))
translations_field = PageComputedField(_translations)
voices_series_field = PageComputedField(_voices_series)


def translations_prepare(pages: list[Page]) -> None:
    """Each page's live, public versions in other languages: one query for all."""
    keys = {page.translation_key for page in pages}
    versions = defaultdict(list)
    for version in (
        Page.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .select_related("locale")
        .only("id", "url_path", "translation_key", "depth", "locale__language_code")
        .order_by("locale__language_code", "pk")
    ):
        versions[version.translation_key].append(version)
    for page in pages:
        page._api_translations = [
            {
                "id": version.pk,
                "locale": version.locale.language_code,
                "html_url": page_public_url(version),
            }
            for version in versions[page.translation_key]
            if version.pk != page.pk
        ]


def _term_names(model, terms, locale_ids: set[int]) -> dict:
    """(translation key, locale id) → the term's name in that language."""
    keys = {term.translation_key for term in terms}
    if not keys:
        return {}
    return {
        (key, locale_id): name
        for key, locale_id, name in model.objects.filter(
            translation_key__in=keys, locale_id__in=locale_ids
        ).values_list("translation_key", "locale_id", "name")
    }


def publications_api_prepare(pages: list) -> None:
    """Fetch what the API tells of these publications, in constant queries."""
    from publications.models import (
        Country,
        Programme,
        PublicationAuthor,
        PublicationDownload,
        VoicesSeriesPage,
    )
    from publications.pdf.text import collection_restricted

    prefetch_related_objects(
        pages,
        Prefetch(
            "authors",
            queryset=PublicationAuthor.objects.select_related("person__organisation"),
        ),
        Prefetch(
            "downloads",
            queryset=PublicationDownload.objects.select_related("document").annotate(
                private=collection_restricted("document__collection__path")
            ),
        ),
        "programmes",
        "countries",
    )
    locale_ids = {page.locale_id for page in pages}
    names = {}
    for model, attribute in ((Programme, "programmes"), (Country, "countries")):
        terms = [term for page in pages for term in getattr(page, attribute).all()]
        names |= _term_names(model, terms, locale_ids)
    translations_prepare(pages)
    parent_paths = {page.path[: -page.steplen] for page in pages}
    series = {
        series.path: series
        for series in VoicesSeriesPage.objects.live()
        .public()
        .filter(path__in=parent_paths)
        .only("id", "title", "path", "url_path", "depth", "locale_id")
    }
    for page in pages:
        page._api_term_names = names
        parent = series.get(page.path[: -page.steplen])
        page._api_voices_series = (
            {"id": parent.pk, "title": parent.title} if parent is not None else None
        )


def _partners(page) -> list[dict]:
    return [
        {
            "name": organisation.name,
            "acronym": organisation.acronym,
            "country": organisation.country.iso_code if organisation.country else "",
        }
        for organisation in page.partner_organisations.all()
    ]


partners_field = PageComputedField(_partners)


def voices_series_api_prepare(pages: list) -> None:
    """The partners of each series and its translations, in constant queries."""
    from publications.models import Organisation

    prefetch_related_objects(
        pages,
        Prefetch(
            "partner_organisations",
            queryset=Organisation.objects.select_related("country"),
        ),
    )
    translations_prepare(pages)
