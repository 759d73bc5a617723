"""The library's counts, kept current as publications change.

`LibraryEntry` holds one row per publication the library lists (live, not
behind a view restriction, under a library), with its facet values flat;
`LibraryFacetCell` counts those rows per library and set of facet values.
A library page then reads a few hundred cells instead of grouping every
publication on every request.

Why a table kept in the same transaction rather than a cache invalidated on
publish: the default cache is per process (LocMemCache), so one worker's
invalidation would not reach the others, and a cache miss costs what the
cache was meant to avoid, for every combination of filters a reader picks.
The table is always as current as the publications it counts: it changes in
the transaction that changes them, a rollback undoes both, and a count moves
by `count = count ± 1` in the database, so two editors publishing at once
cannot overwrite each other's change. Anything that writes pages without
Django's signals (raw SQL, fixtures, the bulk loader) ends with
`library_counts_rebuild()`, and `manage.py library_counts --check` reports
any drift.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
)

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from publications.models import (
    Country,
    LibraryEntry,
    LibraryFacetCell,
    LibraryFacetCount,
    Programme,
    PublicationIndexPage,
    PublicationPage,
)

CHUNK = 500
FACET_FIELDS = ("publication_type", "year", "language", "programmes", "countries")


@dataclass(frozen=True)
class Entry:
    """What the library counts of one publication."""

    library_id: int
    library_key: object
    publication_date: object
    publication_type: str
    year: int
    language: str
    programmes: str
    countries: str

    @property
    def signature(self) -> str:
        return facet_signature(
            self.publication_type,
            self.year,
            self.language,
            self.programmes,
            self.countries,
        )


def facet_values(entry) -> list[tuple[str, str]]:
    """(facet, value) of every facet value of an entry, a cell or an Entry."""
    return [
        ("type", entry.publication_type),
        ("year", str(entry.year)),
        ("language", entry.language),
        *(("programme", key) for key in entry.programmes.split()),
        *(("country", key) for key in entry.countries.split()),
    ]


def _totals_add(deltas: Counter) -> None:
    """Add each delta to its (library, facet, value) total, creating it if new."""
    changed = {key: delta for key, delta in deltas.items() if delta}
    if not changed:
        return
    LibraryFacetCount.objects.bulk_create(
        [
            LibraryFacetCount(library_id=library_id, facet=facet, value=value)
            for (library_id, facet, value) in changed
        ],
        ignore_conflicts=True,
    )
    for (library_id, facet, value), delta in changed.items():
        LibraryFacetCount.objects.filter(
            library_id=library_id, facet=facet, value=value
        ).update(count=F("count") + delta)


def facet_signature(kind: str, year: int, language: str, programmes, countries) -> str:
    """A fixed-length key for one set of facet values."""
    text = "|".join((kind, str(year), language, programmes, countries))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _keys(pairs: Iterable[tuple[int, object]]) -> dict[int, str]:
    found: dict[int, set[str]] = {}
    for page_id, key in pairs:
        found.setdefault(page_id, set()).add(str(key))
    return {page_id: " ".join(sorted(keys)) for page_id, keys in found.items()}


def _within(path: str, paths: Iterable[str]) -> str | None:
    return next((found for found in paths if path.startswith(found)), None)


def entries_wanted(ids: list[int]) -> dict[int, Entry]:
    """The entries these publications should have; none for one not listed.

    Five queries for any number of publications (the libraries and the
    restricted pages are few).
    """
    libraries = {
        path: (pk, key)
        for path, pk, key in PublicationIndexPage.objects.values_list(
            "path", "pk", "translation_key"
        )
    }
    restricted = set(PageViewRestriction.objects.values_list("page__path", flat=True))
    pages = PublicationPage.objects.filter(pk__in=ids, live=True).values_list(
        "pk", "path", "publication_date", "publication_type", "locale__language_code"
    )
    programmes = _keys(
        PublicationPage.programmes.through.objects.filter(
            publicationpage_id__in=ids
        ).values_list("publicationpage_id", "programme__translation_key")
    )
    countries = _keys(
        PublicationPage.countries.through.objects.filter(
            publicationpage_id__in=ids
        ).values_list("publicationpage_id", "country__translation_key")
    )
    wanted = {}
    for pk, path, date, kind, language in pages:
        library = _within(path, libraries)
        if library is None or _within(path, restricted) or date is None:
            continue
        library_id, library_key = libraries[library]
        wanted[pk] = Entry(
            library_id=library_id,
            library_key=library_key,
            publication_date=date,
            publication_type=kind,
            year=date.year,
            language=language,
            programmes=programmes.get(pk, ""),
            countries=countries.get(pk, ""),
        )
    return wanted


def _entry_of(row: LibraryEntry) -> Entry:
    return Entry(
        library_id=row.library_id,
        library_key=row.library_key,
        publication_date=row.publication_date,
        publication_type=row.publication_type,
        year=row.year,
        language=row.language,
        programmes=row.programmes,
        countries=row.countries,
    )


def _cells_add(deltas: Counter, cells: dict[tuple[int, str], Entry]) -> None:
    """Add each delta to its cell, creating the cells not there yet."""
    changed = {key: delta for key, delta in deltas.items() if delta}
    if not changed:
        return
    LibraryFacetCell.objects.bulk_create(
        [
            LibraryFacetCell(
                library_id=library_id,
                signature=signature,
                **{
                    name: getattr(cells[library_id, signature], name)
                    for name in FACET_FIELDS
                },
            )
            for (library_id, signature) in changed
        ],
        ignore_conflicts=True,
    )
    totals: Counter = Counter()
    for (library_id, signature), delta in changed.items():
        for facet, value in facet_values(cells[library_id, signature]):
            totals[library_id, facet, value] += delta
    _totals_add(totals)
    for (library_id, signature), delta in changed.items():
        LibraryFacetCell.objects.filter(
            library_id=library_id, signature=signature
        ).update(count=F("count") + delta)


def entries_sync(page_ids: Iterable[int]) -> None:
    """Bring these publications' entries and their cells up to date."""
    ids = sorted(set(page_ids))
    if not ids:
        return
    with transaction.atomic():
        for chunk in _chunks(ids):
            if connection.features.has_select_for_update:
                # Two syncs of one publication take turns (PostgreSQL).
                list(
                    Page.objects.select_for_update()
                    .filter(pk__in=chunk)
                    .values_list("pk", flat=True)
                )
            _chunk_sync(chunk)


def _chunk_sync(chunk: list[int]) -> None:
    wanted = entries_wanted(chunk)
    current = {
        row.page_id: row for row in LibraryEntry.objects.filter(page_id__in=chunk)
    }
    deltas: Counter = Counter()
    cells: dict[tuple[int, str], Entry] = {}
    gone, added = [], []
    for pk in chunk:
        row, entry = current.get(pk), wanted.get(pk)
        if entry is None and row is None:
            continue
        if row is not None and entry is not None and _entry_of(row) == entry:
            continue
        if row is not None and entry is None:
            gone.append(pk)  # the cell is counted down by `_entry_deleted`
            continue
        if row is not None:
            deltas[row.library_id, row.signature] -= 1
            cells[row.library_id, row.signature] = _entry_of(row)
            LibraryEntry.objects.filter(page_id=pk).update(
                **asdict(entry), signature=entry.signature
            )
        else:
            added.append(
                LibraryEntry(page_id=pk, **asdict(entry), signature=entry.signature)
            )
        deltas[entry.library_id, entry.signature] += 1
        cells[entry.library_id, entry.signature] = entry
    if gone:
        LibraryEntry.objects.filter(page_id__in=gone).delete()
    LibraryEntry.objects.bulk_create(added)
    _cells_add(deltas, cells)


@transaction.atomic
def library_counts_rebuild() -> int:
    """Count every publication again from scratch; return how many are listed.

    For after a bulk load, or to repair counts changed behind Django's back.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE publications_libraryentry, publications_libraryfacetcell, "
                "publications_libraryfacetcount "
                "IN EXCLUSIVE MODE"
            )
    with connection.cursor() as cursor:
        # Without the per-row signals: the cells are written again below.
        cursor.execute("DELETE FROM publications_libraryfacetcell")
        cursor.execute("DELETE FROM publications_libraryfacetcount")
        cursor.execute("DELETE FROM publications_libraryentry")
    ids = list(PublicationPage.objects.order_by("pk").values_list("pk", flat=True))
    cells: dict[tuple[int, str], LibraryFacetCell] = {}
    listed = 0
    for chunk in _chunks(ids):
        wanted = entries_wanted(chunk)
        LibraryEntry.objects.bulk_create(
            LibraryEntry(page_id=pk, **asdict(entry), signature=entry.signature)
            for pk, entry in wanted.items()
        )
        for entry in wanted.values():
            key = (entry.library_id, entry.signature)
            if key not in cells:
                cells[key] = LibraryFacetCell(
                    library_id=entry.library_id,
                    signature=entry.signature,
                    **{name: getattr(entry, name) for name in FACET_FIELDS},
                )
            cells[key].count += 1
        listed += len(wanted)
    LibraryFacetCell.objects.bulk_create(cells.values(), batch_size=CHUNK)
    LibraryFacetCount.objects.bulk_create(
        (
            LibraryFacetCount(library_id=library_id, facet=facet, value=value, count=n)
            for (library_id, facet, value), n in _totals_of(cells.values()).items()
        ),
        batch_size=CHUNK,
    )
    return listed


def _totals_of(cells) -> Counter:
    totals: Counter = Counter()
    for cell in cells:
        for facet, value in facet_values(cell):
            totals[cell.library_id, facet, value] += cell.count
    return totals


def library_counts_drift() -> list[str]:
    """What differs between the stored counts and a count from scratch."""
    ids = list(PublicationPage.objects.order_by("pk").values_list("pk", flat=True))
    wanted: dict[int, Entry] = {}
    for chunk in _chunks(ids):
        wanted.update(entries_wanted(chunk))
    stored = {row.page_id: _entry_of(row) for row in LibraryEntry.objects.all()}
    problems = [
        f"publication {pk}: stored {stored.get(pk)}, expected {wanted.get(pk)}"
        for pk in sorted(set(wanted) | set(stored))
        if stored.get(pk) != wanted.get(pk)
    ]
    expected = Counter((entry.library_id, entry.signature) for entry in wanted.values())
    for cell in LibraryFacetCell.objects.all():
        number = expected.pop((cell.library_id, cell.signature), 0)
        if cell.count != number:
            problems.append(
                f"cell {cell.library_id}/{cell.signature}: "
                f"{cell.count}, expected {number}"
            )
    problems += [
        f"cell {library_id}/{signature}: missing, expected {number}"
        for (library_id, signature), number in expected.items()
    ]
    totals = Counter()
    for entry in wanted.values():
        for facet, value in facet_values(entry):
            totals[entry.library_id, facet, value] += 1
    for row in LibraryFacetCount.objects.all():
        number = totals.pop((row.library_id, row.facet, row.value), 0)
        if row.count != number:
            problems.append(
                f"total {row.library_id} {row.facet}={row.value}: "
                f"{row.count}, expected {number}"
            )
    problems += [
        f"total {library_id} {facet}={value}: missing, expected {number}"
        for (library_id, facet, value), number in totals.items()
    ]
    return problems


# Signals: every way a publication enters, leaves or changes in the library.


def _publication_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        entries_sync([instance.pk])


def _subtree_sync(page: Page) -> None:
    page = Page.objects.get(pk=page.pk)
    entries_sync(
        PublicationPage.objects.filter(path__startswith=page.path).values_list(
            "pk", flat=True
        )
    )


def _page_moved(sender, instance, **kwargs):
    _subtree_sync(instance)


def _restriction_changed(sender, instance, origin=None, **kwargs):
    if origin is not None and not (
        isinstance(origin, PageViewRestriction)
        or getattr(origin, "model", None) is PageViewRestriction
    ):
        # Deleted with its page: the page's deletion removes the entries.
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _subtree_sync(page)


def _entry_deleted(sender, instance, **kwargs):
    _totals_add(
        Counter(
            {
                (instance.library_id, facet, value): -1
                for facet, value in facet_values(instance)
            }
        )
    )
    LibraryFacetCell.objects.filter(
        library_id=instance.library_id, signature=instance.signature
    ).update(count=F("count") - 1)


def _terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        instance._library_tally = list(
            sender.objects.filter(**{_term_field(sender): instance.pk}).values_list(
                "publicationpage_id", flat=True
            )
        )
    elif action == "post_clear" and reverse:
        entries_sync(getattr(instance, "_library_tally", []))
    elif action in {"post_add", "post_remove", "post_clear"}:
        entries_sync((pk_set or []) if reverse else [instance.pk])


def _term_field(through) -> str:
    return (
        "programme_id"
        if through is PublicationPage.programmes.through
        else "country_id"
    )


def _term_deleting(sender, instance, **kwargs):
    through = (
        PublicationPage.programmes.through
        if sender is Programme
        else PublicationPage.countries.through
    )
    instance._library_tally = list(
        through.objects.filter(**{_term_field(through): instance.pk}).values_list(
            "publicationpage_id", flat=True
        )
    )


def _term_deleted(sender, instance, **kwargs):
    entries_sync(getattr(instance, "_library_tally", []))


def _counts_first_fill(sender, using="default", **kwargs):
    """Count an existing library once, when the tables are new (after migrate)."""
    if (
        not LibraryEntry.objects.using(using).exists()
        and PublicationPage.objects.using(using).filter(live=True).exists()
    ):
        library_counts_rebuild()


def connect(app_config=None) -> None:
    uid = "publications_library_tally"
    post_save.connect(_publication_saved, sender=PublicationPage, dispatch_uid=uid)
    post_page_move.connect(_page_moved, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=uid
        )
    post_delete.connect(_entry_deleted, sender=LibraryEntry, dispatch_uid=uid)
    for relation in (PublicationPage.programmes, PublicationPage.countries):
        m2m_changed.connect(_terms_changed, sender=relation.through, dispatch_uid=uid)
    for model in (Programme, Country):
        pre_delete.connect(_term_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(_term_deleted, sender=model, dispatch_uid=uid)
    if app_config is not None:
        post_migrate.connect(_counts_first_fill, sender=app_config, dispatch_uid=uid)
