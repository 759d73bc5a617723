"""What a programme page shows, found in the library, the digests and the inbox.

A constant number of queries whatever the size of the programme: each list is
one query, and pages are put in the reader's language in one more.
"""

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest

from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem
from publications.cards import card_image_lookups
from publications.models import (
    Country,
    Person,
    Programme,
    PublicationIndexPage,
    PublicationPage,
)
from publications.people import person_path
from theme.i18n import pages_localized

LATEST_PUBLICATIONS = 6
LATEST_NEWS = 6


def _filter_url(library_url: str, name: str, value: str) -> str:
    return f"{library_url}?{name}={value}" if library_url else ""


def _latest_publications(*, key, locale_id: int) -> list[PublicationPage]:
    """The latest publications of the programme, one per translation group,
    the reader's language first among each group and overall."""
    candidates = (
        PublicationPage.objects.live()
        .filter(programmes__translation_key=key)
        .annotate(
            in_language=Case(
                When(locale_id=locale_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("locale", "cover_image")
        # The cards' pictures: covers or PDFs' first pages, in three queries.
        .prefetch_related(*card_image_lookups())
        .order_by("in_language", "-publication_date", "-pk")
        .distinct()[: LATEST_PUBLICATIONS * 3]
    )
    kept, seen = [], set()
    for publication in candidates:
        if publication.translation_key in seen:
            continue
        seen.add(publication.translation_key)
        kept.append(publication)
    return kept[:LATEST_PUBLICATIONS]


def programme_page_context(*, page, request: HttpRequest) -> dict:
    """The programme in the page's language and everything filed under it."""
    locale = page.locale
    key = page.programme.translation_key
    programme = (
        Programme.objects.filter(translation_key=key)
        .one_per_translation(locale)
        .first()
    ) or page.programme
    library = PublicationIndexPage.objects.live().filter(locale=locale).first()
    library_url = library.get_url(request=request) if library else ""

    publications = _latest_publications(key=key, locale_id=locale.pk)
    filed = PublicationPage.objects.live().filter(programmes__translation_key=key)
    countries = list(
        Country.objects.filter(
            translation_key__in=Country.objects.filter(publications__in=filed).values(
                "translation_key"
            )
        ).one_per_translation(locale)
    )
    people = list(
        Person.objects.filter(
            translation_key__in=Person.objects.filter(
                authorships__page__in=filed
            ).values("translation_key")
        )
        .one_per_translation(locale)
        .order_by("name")
    )
    news = list(
        NewsItem.objects.filter(
            programmes__translation_key=key,
            status=NewsStatus.USED,
            used_in__live=True,
        )
        .select_related("source", "used_in")
        .order_by("-published_at", "-pk")
        .distinct()[:LATEST_NEWS]
    )
    issues = {item.used_in_id: item.used_in for item in news}
    localized = pages_localized(issues.values(), locale=locale)
    # Newest first, as the news that featured the programme.
    digests = list({localized[pk].pk: localized[pk] for pk in issues}.values())
    return {
        "programme": programme,
        "library_url": _filter_url(library_url, "programme", programme.slug),
        "publications": publications,
        "countries": [
            (country, _filter_url(library_url, "country", country.iso_code))
            for country in countries
        ],
        # Each links to their page in the library (publications.people).
        "people": [
            (
                person,
                person_path(library_url=library_url, slug=person.slug)
                if library_url and person.slug
                else "",
            )
            for person in people
        ],
        "news": [(item, localized[item.used_in_id]) for item in news],
        "digests": digests,
    }
