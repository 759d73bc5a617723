"""The library's facets: the scope, the filters, and every option's count.

The counts never cost a query per publication:

- the scope (live, public, under this library or a translation of it) is a
  pair of subqueries, not a query;
- every programme and country once, named in the reader's language, with the
  translation keys of the values chosen: one UNION;
- programme and country counts per translation group: one UNION of two
  GROUP BYs;
- type, year and language counts: one GROUP BY over all three, from which
  each facet's counts under the other facets' choices, and the total, are sums.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import ExtractYear, Length, Substr
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from publications.choices import PublicationType
from publications.models import (
    Country,
    Programme,
    PublicationIndexPage,
    PublicationPage,
)

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


def _within_any(pages: QuerySet) -> Exists:
    """True for a page whose path starts with the path of one of `pages`."""
    return Exists(pages.filter(path=Substr(OuterRef("path"), 1, Length("path"))))


def library_scope(*, library: PublicationIndexPage) -> QuerySet:
    """Every live, public publication under this library or one of its translations.

    Both conditions are subqueries, so the scope costs no query of its own.
    """
    libraries = Page.objects.filter(translation_key=library.translation_key)
    # A preview of a library never published lists what is under the draft.
    libraries = libraries.live() if library.live else libraries.filter(pk=library.pk)
    private = Page.objects.filter(view_restrictions__isnull=False)
    return (
        PublicationPage.objects.live()
        .filter(_within_any(libraries))
        .exclude(_within_any(private))
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
        return Q(locale__language_code__in=values)
    return Q(publication_date__year__in=[int(value) for value in values])


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


@dataclass(frozen=True)
class _Grid:
    """Publications per (type, year, language): the single-valued facets at once.

    Each publication has one type, one year and one language, so the count of
    any facet value under the other two facets' choices is a sum over the grid.
    """

    cells: dict[tuple[str, str, str], int]
    codes: dict[int, str]

    def count(self, *, types=(), years=(), languages=()) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {"type": {}, "year": {}, "language": {}}
        for (kind, year, language), number in self.cells.items():
            in_type = not types or kind in types
            in_year = not years or year in years
            in_language = not languages or language in languages
            for name, value, others in (
                ("type", kind, in_year and in_language),
                ("year", year, in_type and in_language),
                ("language", language, in_type and in_year),
            ):
                if others:
                    counts[name][value] = counts[name].get(value, 0) + number
        return counts


def facet_grid(queryset: QuerySet) -> _Grid:
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear("publication_date"))
        .values("publication_type", "year", "locale_id", "locale__language_code")
        .annotate(count=Count("pk"))
    )
    cells: dict[tuple[str, str, str], int] = {}
    codes: dict[int, str] = {}
    for row in rows:
        code = row["locale__language_code"]
        codes[row["locale_id"]] = code
        key = (row["publication_type"], str(row["year"]), code)
        cells[key] = cells.get(key, 0) + row["count"]
    return _Grid(cells=cells, codes=codes)


def taxonomy_counts(
    *, programme_scope: QuerySet, country_scope: QuerySet, terms: Terms
) -> dict[str, dict[str, int]]:
    """Publications per programme and per country, in one query.

    Each facet is counted in its own scope (the other facets' choices) and
    grouped by the term's translation key, so the translations of a term
    count as one term.
    """

    def grouped(queryset, facet, relation):
        return (
            queryset.order_by()
            .values(facet=Value(facet), key=F(f"{relation}__translation_key"))
            .annotate(count=Count("pk", distinct=True))
            .values_list("facet", "key", "count")
        )

    rows = grouped(programme_scope, "programme", "programmes").union(
        grouped(country_scope, "country", "countries"), all=True
    )
    counts: dict[str, dict[str, int]] = {"programme": {}, "country": {}}
    for facet, key, count in rows:
        value = terms[facet].values.get(key)
        if value is None:  # publications filed under no programme or country
            continue
        counts[facet][value] = counts[facet].get(value, 0) + count
    return counts


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
