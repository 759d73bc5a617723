"""The library's facets: the scope, the filters, and every option's count.

The counts never cost a query per publication, nor time that grows with
their number:

- the scope (live, public, under this library or a translation of it) is the
  publications with an entry (`publications.library.tally`) in one of the
  library's pages: a join on an indexed column;
- every programme and country once, named in the reader's language, with the
  translation keys of the values chosen: one UNION;
- every facet's counts under the other facets' choices, and the total, are
  sums over the library's cells (`LibraryFacetCell`): publications counted
  per set of facet values as they are published, so one query reads a few
  hundred rows however large the library is. With a search, the matches'
  entries are counted into the same cells by one GROUP BY.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from publications.choices import PublicationType
from publications.models import (
    Country,
    LibraryEntry,
    LibraryFacetCell,
    LibraryFacetCount,
    Programme,
    PublicationIndexPage,
    PublicationPage,
)
from theme.id_list import ids_in

from .params import FACETS, LibraryParams, content_languages


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    legend: str
    options: list[FacetOption]


@dataclass(frozen=True)
class ActiveFilter:
    """One chosen facet value and the query string without it."""

    legend: str
    label: str
    remove_query: str


def library_pages(library: PublicationIndexPage) -> QuerySet:
    """The ids of this library's pages: its live translations, itself included.

    A preview of a library never published lists what is under the draft.
    """
    libraries = Page.objects.filter(translation_key=library.translation_key)
    libraries = libraries.live() if library.live else libraries.filter(pk=library.pk)
    return libraries.values("pk")


def library_scope(*, library: PublicationIndexPage) -> QuerySet:
    """Every live, public publication under this library or one of its translations.

    Those with an entry (kept by `tally`) carrying the library's translation
    key, so the newest of all its languages come first from one index range,
    and not under a translation that is not live: a join and a check per row,
    no query of its own. (Asked as "in one of its live pages", PostgreSQL
    expected three rows of 10,000 and sorted them all.) A preview of a library
    never published lists what is under the draft.
    """
    entries = PublicationPage.objects.live().filter(
        library_entry__library_key=library.translation_key
    )
    if not library.live:
        return entries.filter(library_entry__library_id=library.pk)
    return entries.exclude(
        Exists(
            Page.objects.filter(pk=OuterRef("library_entry__library_id"), live=False)
        )
    )


def library_entries(*, library: PublicationIndexPage) -> QuerySet:
    """`library_scope` as the narrow table of entries (`tally` keeps one for
    each live, public publication), annotated for `theme.fulltext.ranked`:
    a search ranks its matches against it with one lookup per match, where
    the pages' scope took five (page, locale, publication, entry, library).
    """
    content_type = ContentType.objects.filter(
        app_label=PublicationPage._meta.app_label,
        model=PublicationPage._meta.model_name,
    ).values("pk")
    entries = LibraryEntry.objects.filter(library_key=library.translation_key)
    if not library.live:
        entries = entries.filter(library_id=library.pk)
    else:
        entries = entries.exclude(
            library_id__in=Page.objects.filter(
                translation_key=library.translation_key, live=False
            ).values("pk")
        )
    return entries.annotate(
        _ft_id=F("page_id"), _ft_ct=Subquery(content_type), _ft_lang=F("language")
    )


@dataclass
class FacetTerms:
    """The programmes or the countries, once per translation group.

    `labels` holds each term as the reader sees it (the value in the address,
    its name in the reader's language, its place in the list); `keys` maps a
    value in any language to the term's translation key, so a filter chosen in
    one language matches publications tagged with any translation of the term.
    """

    labels: dict[str, tuple[str, object]] = field(default_factory=dict)
    keys: dict[str, object] = field(default_factory=dict)
    values: dict[object, str] = field(default_factory=dict)

    def translation_keys(self, values: Iterable[str]) -> list:
        return [self.keys[value] for value in values if value in self.keys]


Terms = dict[str, FacetTerms]
TAXONOMY = {
    "programme": (Programme, "slug", F("sort_order")),
    "country": (Country, "iso_code", Value(0)),
}


def taxonomy_terms(*, selected: dict[str, list[str]], locale: Locale) -> Terms:
    """Every programme and country once, in `locale` where translated, and the
    translation keys of the values the reader chose: one query.
    """
    parts = []
    for facet, (model, value_field, order) in TAXONOMY.items():
        columns = (Value(facet), "translation_key", value_field, "name", "order")
        shown = model.objects.one_per_translation(locale)
        parts.append(
            shown.order_by()
            .annotate(order=order, shown=Value(1))
            .values_list(*columns, "shown")
        )
        if selected[facet]:
            chosen = model.objects.filter(**{f"{value_field}__in": selected[facet]})
            parts.append(
                chosen.order_by()
                .annotate(order=order, shown=Value(0))
                .values_list(*columns, "shown")
            )
    terms: Terms = {facet: FacetTerms() for facet in TAXONOMY}
    for facet, key, value, name, order, shown in parts[0].union(*parts[1:], all=True):
        found = terms[facet]
        found.keys.setdefault(value, key)
        if shown:
            found.keys[value] = key
            found.labels[value] = (name, (order, name.casefold()))
            found.values[key] = value
    return terms


def _facet_q(name: str, values: list[str], terms: Terms) -> Q:
    if name in TAXONOMY:
        # Any translation of a chosen term: publications of every language
        # are tagged with the terms of their own language.
        relation = "programmes" if name == "programme" else "countries"
        through = getattr(PublicationPage, relation).through
        keys = terms[name].translation_keys(values)
        return Q(
            pk__in=through.objects.filter(
                **{f"{name}__translation_key__in": keys}
            ).values("publicationpage_id")
        )
    if name == "type":
        return Q(publication_type__in=values)
    if name == "language":
        return Q(library_entry__language__in=values)
    return Q(library_entry__year__in=[int(value) for value in values])


def filters_q(
    params: LibraryParams, *, terms: Terms, facets: Iterable[str] = FACETS
) -> Q:
    """Every chosen value, AND between facets, OR within one. Nothing chosen in
    a facet (languages included) leaves it open."""
    condition = Q()
    for name in facets:
        if params.selected[name]:
            condition &= _facet_q(name, params.selected[name], terms)
    return condition


CELL_FIELDS = ("publication_type", "year", "language", "programmes", "countries")


@dataclass(frozen=True)
class Cell:
    """Publications sharing one value of each single facet and one set of
    programmes and countries (translation keys)."""

    values: dict[str, tuple[str, ...]]
    count: int


def facet_cells(
    *, library: PublicationIndexPage, matches: list[int] | None = None
) -> list[Cell]:
    """The library's cells, or those of a search's matches: one query.

    The matches are entries of this library already (`library_entries` is
    what the search ranked), so they are read by their keys alone: reading
    the library's entries and keeping the matches walked all of them.
    """
    if matches is None:
        rows = LibraryFacetCell.objects.filter(
            library__in=library_pages(library), count__gt=0
        ).values_list(*CELL_FIELDS, "count")
    else:
        rows = (
            LibraryEntry.objects.filter(page_id__in=ids_in(matches))
            .order_by()
            .values(*CELL_FIELDS)
            .annotate(count=Count("pk"))
            .values_list(*CELL_FIELDS, "count")
        )
    return [
        Cell(
            values={
                "type": (kind,),
                "year": (str(year),),
                "language": (language,),
                "programme": tuple(programmes.split()),
                "country": tuple(countries.split()),
            },
            count=count,
        )
        for kind, year, language, programmes, countries, count in rows
    ]


def facet_totals(*, library: PublicationIndexPage) -> list[Cell]:
    """The library's counts per facet value, as one-facet cells: one query.

    With nothing chosen, these are the counts shown: a few dozen rows, where
    the cells can be nearly as many as the publications.
    """
    empty = dict.fromkeys(FACETS, ())
    return [
        Cell(values={**empty, facet: (value,)}, count=count)
        for facet, value, count in LibraryFacetCount.objects.filter(
            library__in=library_pages(library), count__gt=0
        ).values_list("facet", "value", "count")
    ]


def facet_counts(
    cells: Iterable[Cell], *, params: LibraryParams, terms: Terms
) -> tuple[dict[str, dict[str, int]], int]:
    """Each facet's counts under the other facets' choices, and the total.

    A cell counts towards a facet when it matches every other facet's
    choices: each publication sits in one cell, so the sums are exact even
    for a publication filed under several programmes or countries.
    """
    chosen: dict[str, set[str]] = {}
    for name in FACETS:
        values = params.selected[name]
        if name in TAXONOMY:
            values = [str(key) for key in terms[name].translation_keys(values)]
        chosen[name] = set(values)
    languages = set(params.languages)
    by_key: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for cell in cells:
        if not cell.values["language"]:  # a total of one facet (`facet_totals`)
            for name, values in cell.values.items():
                for value in values:
                    by_key[name][value] = by_key[name].get(value, 0) + cell.count
            continue
        failing = [
            name
            for name in FACETS
            if chosen[name] and chosen[name].isdisjoint(cell.values[name])
        ]
        if len(failing) > 1:
            continue
        for name in failing or FACETS:
            counted = by_key[name]
            for value in cell.values[name]:
                counted[value] = counted.get(value, 0) + cell.count
        if not failing and cell.values["language"][0] in languages:
            total += cell.count
    if not total and not any(chosen.values()):
        total = sum(
            number
            for language, number in by_key["language"].items()
            if language in languages
        )
    counts = {}
    for name, counted in by_key.items():
        if name not in TAXONOMY:
            counts[name] = counted
            continue
        value_of = {str(key): value for key, value in terms[name].values.items()}
        counts[name] = {}
        for key, number in counted.items():
            value = value_of.get(key)
            if value is not None:  # a term not shown in this library
                counts[name][value] = counts[name].get(value, 0) + number
    return counts, total


def facet_options(
    name: str, counts: dict[str, int], selected: list[str], terms: Terms
) -> list[FacetOption]:
    values = set(counts) | set(selected)
    if name in TAXONOMY:
        labels = terms[name].labels
        values &= set(labels)
        ordered = sorted(values, key=lambda value: labels[value][1])
        label_of = {value: labels[value][0] for value in values}
    elif name == "type":
        ordered = [value for value in PublicationType.values if value in values]
        label_of = dict(PublicationType.choices)
    elif name == "year":
        ordered = sorted(values, reverse=True)
        label_of = {value: value for value in values}
    else:
        ordered = [value for value in content_languages() if value in values]
        label_of = {
            value: capfirst(get_language_info(value)["name_local"]) for value in ordered
        }
    return [
        FacetOption(
            value=value,
            label=str(label_of[value]),
            count=counts.get(value, 0),
            selected=value in selected,
        )
        for value in ordered
    ]


def active_filters(params: LibraryParams, facets: list[Facet]) -> list[ActiveFilter]:
    active = []
    if params.query:
        active.append(
            ActiveFilter(
                legend=str(_("Search")),
                label=params.query,
                remove_query=params.query_dict(without=("q", params.query)).urlencode(),
            )
        )
    for facet in facets:
        for option in facet.options:
            if option.selected:
                active.append(
                    ActiveFilter(
                        legend=str(facet.legend),
                        label=option.label,
                        remove_query=params.query_dict(
                            without=(facet.name, option.value)
                        ).urlencode(),
                    )
                )
    return active
