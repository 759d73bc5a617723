"""Which publications OAI-PMH shows, and in which order: live public pages,
and the tombstones of those withdrawn, both listed by page id.

Every function here costs a fixed number of queries, whatever the number of
publications or the size of a page of records.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from wagtail.models import Locale

from publications.choices import PublicationType
from publications.models import (
    OaiTombstone,
    Programme,
    PublicationAuthor,
    PublicationDownload,
    PublicationOrganisation,
    PublicationPage,
)

PROGRAMME_SET = "programme"
# A live page that was never published through Wagtail (made by a script) has
# no publication time; it gets this one, so that from/until still select it.
NO_DATESTAMP = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
TYPE_SET = "type"


@dataclass
class Record:
    """One item of a list: a live publication, or a withdrawn one (no page)."""

    page_id: int
    datestamp: datetime.datetime
    set_specs: list[str]
    page: PublicationPage | None = None
    translations: list[PublicationPage] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.page is None


@dataclass(frozen=True)
class Selection:
    """What the harvester asked for: a half-open time range and a set."""

    start: datetime.datetime | None = None  # inclusive
    end: datetime.datetime | None = None  # exclusive
    set_spec: str = ""


class ProgrammeSets:
    """Programme sets, named by the slug of each programme's default-language row
    (a French page filed under "ressources-naturelles" is in
    `programme:natural-resources`). One query for all programmes."""

    def __init__(self):
        default = Locale.get_default()
        rows = sorted(
            Programme.objects.values_list(
                "pk", "translation_key", "slug", "name", "locale_id", "sort_order"
            ),
            # The default language's row first, then the oldest.
            key=lambda row: (row[4] != default.pk, row[0]),
        )
        self.slug_by_key: dict = {}
        self.names: dict[str, str] = {}
        self.order: dict[str, tuple] = {}
        for _pk, key, slug, name, _locale, sort_order in rows:
            if key not in self.slug_by_key:
                self.slug_by_key[key] = slug
                self.names.setdefault(slug, name)
                self.order.setdefault(slug, (sort_order, name))

    def spec(self, programme: Programme) -> str:
        slug = self.slug_by_key.get(programme.translation_key, programme.slug)
        return f"{PROGRAMME_SET}:{slug}"

    def keys_for(self, slug: str) -> list:
        return [key for key, value in self.slug_by_key.items() if value == slug]

    def listed(self) -> list[tuple[str, str]]:
        """(setSpec, setName) of every programme, in the programmes' order."""
        slugs = sorted(self.names, key=lambda slug: self.order[slug])
        return [(f"{PROGRAMME_SET}:{slug}", self.names[slug]) for slug in slugs]


def type_sets() -> list[tuple[str, str]]:
    return [
        (f"{TYPE_SET}:{value}", str(label)) for value, label in PublicationType.choices
    ]


def page_set_specs(page: PublicationPage, programme_sets: ProgrammeSets) -> list[str]:
    specs = [programme_sets.spec(programme) for programme in page.programmes.all()]
    return [*dict.fromkeys(specs), f"{TYPE_SET}:{page.publication_type}"]


def public_publications() -> QuerySet:
    """Live publications nobody needs a password or an account to read."""
    return (
        PublicationPage.objects.live()
        .public()
        .annotate(
            oai_datestamp=Coalesce(
                "last_published_at",
                "first_published_at",
                "latest_revision_created_at",
                Value(NO_DATESTAMP),
            )
        )
    )


def datestamp_of(page: PublicationPage) -> datetime.datetime:
    return getattr(page, "oai_datestamp", None) or (
        page.last_published_at
        or page.first_published_at
        or page.latest_revision_created_at
        or NO_DATESTAMP
    )


def _live_selected(selection: Selection, programme_sets: ProgrammeSets) -> QuerySet:
    pages = public_publications()
    if selection.start is not None:
        pages = pages.filter(oai_datestamp__gte=selection.start)
    if selection.end is not None:
        pages = pages.filter(oai_datestamp__lt=selection.end)
    if selection.set_spec:
        kind, _sep, value = selection.set_spec.partition(":")
        if kind == PROGRAMME_SET and value:
            through = PublicationPage.programmes.through
            pages = pages.filter(
                Exists(
                    through.objects.filter(
                        publicationpage_id=OuterRef("pk"),
                        programme__translation_key__in=programme_sets.keys_for(value),
                    )
                )
            )
        elif kind == TYPE_SET and value in PublicationType.values:
            pages = pages.filter(publication_type=value)
        else:
            pages = pages.none()
    return pages


def _tombstones_selected(selection: Selection) -> QuerySet:
    tombstones = OaiTombstone.objects.all()
    if selection.start is not None:
        tombstones = tombstones.filter(deleted_at__gte=selection.start)
    if selection.end is not None:
        tombstones = tombstones.filter(deleted_at__lt=selection.end)
    if selection.set_spec:
        tombstones = tombstones.filter(set_specs__contains=f" {selection.set_spec} ")
    return tombstones


def records_count(selection: Selection, programme_sets: ProgrammeSets) -> int:
    """How many records the whole list holds (two queries)."""
    live = _live_selected(selection, programme_sets)
    withdrawn = _tombstones_selected(selection).exclude(page_id__in=live.values("pk"))
    return live.count() + withdrawn.count()


def _with_metadata(pages: QuerySet) -> QuerySet:
    return pages.select_related("locale").prefetch_related(
        Prefetch(
            "authors",
            queryset=PublicationAuthor.objects.select_related("person"),
        ),
        Prefetch(
            "organisations",
            queryset=PublicationOrganisation.objects.select_related("organisation"),
        ),
        Prefetch(
            "downloads",
            queryset=PublicationDownload.objects.select_related("document"),
        ),
        "countries",
    )


def records_after(
    *,
    selection: Selection,
    programme_sets: ProgrammeSets,
    after_id: int,
    limit: int,
    metadata: bool,
) -> tuple[list[Record], bool]:
    """Up to `limit` records with an id above `after_id`, and whether more follow."""
    live = (
        _live_selected(selection, programme_sets)
        .filter(pk__gt=after_id)
        .defer_streamfields()
        .prefetch_related("programmes")
        .order_by("pk")
    )
    if metadata:
        live = _with_metadata(live)
    pages = list(live[: limit + 1])
    live_ids = {page.pk for page in pages}
    tombstones = [
        tombstone
        for tombstone in _tombstones_selected(selection)
        .filter(page_id__gt=after_id)
        .order_by("page_id")[: limit + 1]
        # A page withdrawn and public again at once (its tombstone cleared
        # after this query ran) is answered as the live page.
        if tombstone.page_id not in live_ids
    ]
    records = [
        Record(
            page_id=page.pk,
            datestamp=datestamp_of(page),
            set_specs=page_set_specs(page, programme_sets),
            page=page,
        )
        for page in pages
    ] + [
        Record(
            page_id=tombstone.page_id,
            datestamp=tombstone.deleted_at,
            set_specs=tombstone.set_spec_list(),
        )
        for tombstone in tombstones
    ]
    records.sort(key=lambda record: record.page_id)
    more = len(records) > limit
    records = records[:limit]
    if metadata:
        _attach_translations(records)
    return records, more


def _attach_translations(records: list[Record]) -> None:
    """The other live public language versions of each page (one query)."""
    pages = [record.page for record in records if record.page is not None]
    if not pages:
        return
    keys = {page.translation_key for page in pages}
    by_key: dict = {}
    for other in (
        PublicationPage.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .defer_streamfields()
        .select_related("locale")
        .order_by("locale__language_code", "pk")
    ):
        by_key.setdefault(other.translation_key, []).append(other)
    for record in records:
        if record.page is not None:
            record.translations = [
                other
                for other in by_key.get(record.page.translation_key, [])
                if other.pk != record.page.pk
            ]


def record_get(page_id: int, programme_sets: ProgrammeSets) -> Record | None:
    """The record of one page id, live or withdrawn; None if there never was one."""
    records, _more = records_after(
        selection=Selection(),
        programme_sets=programme_sets,
        after_id=page_id - 1,
        limit=1,
        metadata=True,
    )
    if records and records[0].page_id == page_id:
        return records[0]
    return None


def earliest_datestamp() -> datetime.datetime | None:
    live = public_publications().aggregate(first=Min("oai_datestamp"))["first"]
    withdrawn = OaiTombstone.objects.aggregate(first=Min("deleted_at"))["first"]
    stamps = [stamp for stamp in (live, withdrawn) if stamp is not None]
    return min(stamps) if stamps else None


def tombstone_sets(
    page: PublicationPage, programme_sets: ProgrammeSets | None = None
) -> str:
    """The sets a page is in, as a tombstone stores them (" a b ")."""
    specs = page_set_specs(page, programme_sets or ProgrammeSets())
    return f" {' '.join(specs)} "
