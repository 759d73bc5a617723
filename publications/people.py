"""A person's page in the library: who they are and what they wrote.

Each person with at least one live public publication has a page under the
library of every language, `/<lang>/<library>/people/<slug>/` (routed by
PublicationIndexPage). It shows the person in the reader's language where
translated and one card per publication, the reader's language version where
there is one. Every function here costs a fixed number of queries, whatever
the number of publications.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.models import Locale, Site

from publications.models import (
    Person,
    Programme,
    PublicationAuthor,
    PublicationIndexPage,
    PublicationPage,
)
from publications.publication import json_ld_script, person_path
from theme.address import public_url
from theme.translations import live_versions

__all__ = [
    "people_with_publications",
    "person_for_slug",
    "person_page_context",
    "person_path",
    "person_publications",
]


@dataclass(frozen=True)
class LanguageVersion:
    """The person's page in one language, for the language links and hreflang."""

    code: str
    url: str
    full_url: str


def authored_pages() -> QuerySet:
    """Publications anyone may read (live, no view restriction)."""
    return PublicationPage.objects.live().public()


def people_with_publications(*, locale: Locale) -> QuerySet:
    """Each person with a readable publication once, in `locale` where
    translated (any language version of them may be the author). One query."""
    authors = PublicationAuthor.objects.filter(page__in=authored_pages())
    return (
        Person.objects.filter(
            translation_key__in=Person.objects.filter(authorships__in=authors).values(
                "translation_key"
            )
        )
        .one_per_translation(locale)
        .exclude(slug="")
    )


def person_for_slug(*, slug: str, locale: Locale) -> Person | None:
    """The person whose page is at `slug`, in `locale` where translated.

    The slug is looked for in `locale` first, then in any language, so that an
    address with another language's slug still finds them (two queries).
    """
    rows = list(
        Person.objects.filter(slug=slug).values_list("translation_key", "locale_id")
    )
    if not rows:
        return None
    key = next((key for key, locale_id in rows if locale_id == locale.pk), rows[0][0])
    return (
        Person.objects.filter(translation_key=key)
        .one_per_translation(locale)
        .select_related("photo", "organisation", "locale")
        .prefetch_related("photo__renditions")
        .first()
    )


def _version_rank(*, locale_id: int, wanted: int, default: int | None, pk: int):
    return (locale_id != wanted, locale_id != default, pk)


def person_publications(*, person: Person, locale: Locale) -> list[PublicationPage]:
    """Their readable publications newest first, one per work: the version in
    `locale`, else in the default language, else the first made. Two queries
    (the choice, then the pages) plus one per prefetched list."""
    default_id = (
        Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
        .values_list("pk", flat=True)
        .first()
    )
    versions = (
        authored_pages()
        .filter(
            pk__in=PublicationAuthor.objects.filter(
                person__translation_key=person.translation_key
            ).values("page_id")
        )
        .values_list("pk", "translation_key", "locale_id")
    )
    chosen: dict = {}
    for pk, key, locale_id in versions:
        rank = _version_rank(
            locale_id=locale_id, wanted=locale.pk, default=default_id, pk=pk
        )
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, pk)
    return list(
        PublicationPage.objects.filter(pk__in=[pk for _rank, pk in chosen.values()])
        .defer_streamfields()
        .select_related("locale", "cover_image")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=PublicationAuthor.objects.select_related(
                    "person__organisation"
                ),
            ),
            "cover_image__renditions",
        )
        .order_by("-publication_date", "-pk")
    )


def person_programmes(
    *, publications: list[PublicationPage], locale: Locale
) -> QuerySet:
    """The programmes their publications are filed under, in `locale` where
    translated, with each programme's presenting page (one query)."""
    keys = Programme.objects.filter(
        publications__in=[page.pk for page in publications]
    ).values("translation_key")
    return (
        Programme.objects.filter(translation_key__in=keys)
        .one_per_translation(locale)
        .select_related("landing_page")
    )


def _slug_in(rows: list[tuple[int, str]], *, locale_id: int, default_id) -> str:
    """The slug the person page in a language shows: that language's row, else
    the default language's, else the first."""
    ranked = sorted(
        (locale != locale_id, locale != default_id, index, slug)
        for index, (locale, slug) in enumerate(rows)
        if slug
    )
    return ranked[0][3] if ranked else ""


def person_language_versions(
    *, person: Person, library: PublicationIndexPage, request: HttpRequest
) -> list[LanguageVersion]:
    """The person's page under each live language version of the library."""
    site = Site.find_for_request(request)
    libraries = [
        page
        for page in live_versions(
            page_key=library.translation_key, site=site, request=request
        )
        if page.translation_key == library.translation_key
    ]
    rows = list(
        Person.objects.filter(translation_key=person.translation_key)
        .order_by("pk")
        .values_list("locale_id", "slug")
    )
    default_id = next(
        (
            page.locale_id
            for page in libraries
            if page.locale.language_code == settings.LANGUAGE_CODE
        ),
        None,
    )
    versions = []
    for page in libraries:
        url = page.get_url(request=request)
        slug = _slug_in(rows, locale_id=page.locale_id, default_id=default_id)
        if not url or not slug:
            continue
        path = person_path(library_url=url, slug=slug)
        versions.append(
            LanguageVersion(
                code=page.locale.language_code,
                url=path,
                full_url=public_url(path),
            )
        )
    return versions


def programme_link(*, programme: Programme, library_url: str, request) -> str:
    """The programme's page where live, else the library filtered by it."""
    landing = programme.landing_page
    if landing is not None and landing.live:
        url = landing.get_url(request=request)
        if url:
            return url
    params = QueryDict(mutable=True)
    params["programme"] = programme.slug
    return f"{library_url}?{params.urlencode()}"


def person_page_context(
    *, person: Person, library: PublicationIndexPage, request: HttpRequest
) -> dict | None:
    """What the person's page shows, or None when they have no readable
    publication (their page does not exist)."""
    publications = person_publications(person=person, locale=library.locale)
    if not publications:
        return None
    library_url = library.get_url(request=request) or ""
    path = person_path(library_url=library_url, slug=person.slug)
    programmes = [
        (
            programme,
            programme_link(
                programme=programme, library_url=library_url, request=request
            ),
        )
        for programme in person_programmes(
            publications=publications, locale=library.locale
        )
    ]
    profile = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": public_url(path),
        "mainEntity": {
            "@type": "Person",
            "name": person.name,
            **({"jobTitle": person.role} if person.role else {}),
            **({"sameAs": [person.orcid_url]} if person.orcid else {}),
        },
    }
    if person.organisation_id:
        profile["mainEntity"]["affiliation"] = {
            "@type": "Organization",
            "name": person.organisation.name,
        }
    return {
        "person": person,
        "library": library,
        "library_url": library_url,
        "publications": publications,
        "programme_links": programmes,
        "canonical_url": public_url(path),
        "language_versions": person_language_versions(
            person=person, library=library, request=request
        ),
        "meta_title": person.name,
        "meta_description": person_description(person=person, library=library),
        "meta_image": person.photo,
        "meta_og_type": "profile",
        "json_ld": json_ld_script(profile),
    }


def person_description(*, person: Person, library: PublicationIndexPage) -> str:
    """Their biography, else who they are, for search engines and social cards."""
    if person.bio.strip():
        return person.bio
    with translation.override(library.locale.language_code):
        if person.role:
            return _("%(name)s, %(role)s: their publications.") % {
                "name": person.name,
                "role": person.role,
            }
        return _("Publications by %(name)s.") % {"name": person.name}
