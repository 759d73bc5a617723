"""Many live publications in a few queries: the demo at scale, tests, benchmarks.

Treebeard's `add_child` costs several queries per page. Here the tree paths
are computed once, the `wagtailcore_page` rows go in with one `bulk_create`
per batch, and each publication row is inserted the way fixtures are loaded
(`save_base(raw=True)`: no signals that index or log). Programmes, countries
and authors follow with one `bulk_create` each. The pages have no revisions
and are not in the search index: enough to list, filter, serve and feed.
The library's counts (`publications.library.tally`) are brought up to date
at the end, as the signals skipped would have done.
"""

import datetime
import uuid
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page

from publications.choices import PublicationType
from publications.library.tally import entries_sync
from publications.models import PublicationAuthor, PublicationPage

BATCH_SIZE = 500


def _next_step(parent: Page) -> int:
    last = parent.get_last_child()
    return Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1


def _base_fields() -> list[str]:
    return [
        field.attname for field in Page._meta.concrete_fields if not field.primary_key
    ]


@transaction.atomic
def pages_bulk_insert(*, parent: Page, pages: Sequence[Page]) -> list[Page]:
    """Insert unsaved pages of one specific type as the last children of `parent`.

    Each page needs its own fields, a slug and a locale; the tree path, depth,
    URL path and content type are set here. No signal is sent (nothing is
    indexed, logged or counted): callers index and count what they add.
    """
    if not pages:
        return []
    parent = Page.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(type(pages[0]))
    first_step = _next_step(parent)
    for number, page in enumerate(pages):
        page.path = Page._get_path(parent.path, parent.depth + 1, first_step + number)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.draft_title = page.draft_title or page.title
        if page.translation_key is None:
            page.translation_key = uuid.uuid4()
    base_fields = _base_fields()
    for start in range(0, len(pages), BATCH_SIZE):
        batch = pages[start : start + BATCH_SIZE]
        bases = Page.objects.bulk_create(
            [
                Page(**{name: getattr(page, name) for name in base_fields})
                for page in batch
            ]
        )
        for page, base in zip(batch, bases, strict=True):
            page.page_ptr_id = page.id = base.pk
            page.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return list(pages)


@transaction.atomic
def publications_bulk_create(
    *,
    parent: Page,
    count: int,
    programmes: Sequence = (),
    countries: Sequence = (),
    people: Sequence = (),
    types: Sequence[str] = tuple(PublicationType.values),
    first_date: datetime.date = datetime.date(2005, 1, 3),
    live: bool = True,
) -> list[int]:
    """Create `count` publications under `parent`; return their ids, oldest first.

    Publication n is of type `types[n % len]`, files under `programmes[n % len]`
    and `countries[n % len]`, is written by `people[n % len]` and an outside
    author, and appeared 3 days after publication n - 1.
    """
    parent = Page.objects.get(pk=parent.pk)
    now = timezone.now()
    first_step = _next_step(parent)
    publications = []
    for number in range(count):
        step = first_step + number
        slug = f"bulk-publication-{step}"
        title = f"Bulk publication {step}"
        publications.append(
            PublicationPage(
                title=title,
                slug=slug,
                locale_id=parent.locale_id,
                live=live,
                has_unpublished_changes=not live,
                first_published_at=now if live else None,
                last_published_at=now if live else None,
                publication_date=first_date + datetime.timedelta(days=3 * number),
                publication_type=types[number % len(types)],
                summary=f"What bulk publication {step} found in the field.",
                place="Antwerp",
                publisher="IPIS",
            )
        )
    pages_bulk_insert(parent=parent, pages=publications)

    ids = [publication.pk for publication in publications]
    if programmes:
        through = PublicationPage.programmes.through
        through.objects.bulk_create(
            [
                through(
                    publicationpage_id=pk,
                    programme_id=programmes[number % len(programmes)].pk,
                )
                for number, pk in enumerate(ids)
            ],
            batch_size=BATCH_SIZE,
        )
    if countries:
        through = PublicationPage.countries.through
        through.objects.bulk_create(
            [
                through(
                    publicationpage_id=pk,
                    country_id=countries[number % len(countries)].pk,
                )
                for number, pk in enumerate(ids)
            ],
            batch_size=BATCH_SIZE,
        )
    authors = []
    for number, pk in enumerate(ids):
        if people:
            authors.append(
                PublicationAuthor(
                    page_id=pk, person=people[number % len(people)], sort_order=0
                )
            )
        authors.append(
            PublicationAuthor(
                page_id=pk, external_name=f"Outside author {number}", sort_order=1
            )
        )
    PublicationAuthor.objects.bulk_create(authors, batch_size=BATCH_SIZE)
    entries_sync(ids)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them on a live database: without
        # them the planner takes the new tables for empty and nests loops.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ids
