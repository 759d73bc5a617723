"""The library's facets: the scope, the filters, and every option's count.

The counts never cost a query per publication:

- the scope (live, public, under this library or a translation of it) is a
  pair of subqueries, not a query;
- the names of chosen programmes and countries: one query, only if any;
- programme and country counts with their names: one UNION of two GROUP BYs;
- type, year and language counts: one GROUP BY over all three, from which
  each facet's counts under the other facets' choices, and the total, are sums.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import ExtractYear, Length, Substr
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from publications.choices import PublicationType
from publications.models import (
    Country,
    Programme,
    PublicationIndexPage,
    PublicationPage,
    name_in_locale,
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


def _language_q(params: LibraryParams, *, library_locale_id: int) -> Q:
    if params.selected["language"]:
        return Q(locale__language_code__in=params.selected["language"])
    return Q(locale_id=library_locale_id)


def _facet_q(name: str, values: list[str]) -> Q:
    if name == "programme":
        through = PublicationPage.programmes.through
        return Q(
            pk__in=through.objects.filter(programme__slug__in=values).values(
                "publicationpage_id"
            )
        )
    if name == "country":
        through = PublicationPage.countries.through
        return Q(
            pk__in=through.objects.filter(country__iso_code__in=values).values(
                "publicationpage_id"
            )
        )
    if name == "type":
        return Q(publication_type__in=values)
    return Q(publication_date__year__in=[int(value) for value in values])


def filters_q(
    params: LibraryParams, *, library_locale_id: int, facets: Iterable[str] = FACETS
) -> Q:
    condition = Q()
    for name in facets:
        if name == "language":
            condition &= _language_q(params, library_locale_id=library_locale_id)
        elif params.selected[name]:
            condition &= _facet_q(name, params.selected[name])
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
            in_language = language in languages
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


Labels = dict[str, dict[str, tuple[bool, str, object]]]


def _label_add(labels: Labels, facet, value, name, row_locale, order, locale_id):
    """Keep one name per value, the one in the library's language if any."""
    preferred = row_locale == locale_id
    known = labels[facet].get(value)
    if known is None or (preferred and not known[0]):
        labels[facet][value] = (preferred, name, order)


def taxonomy_labels(*, selected: dict[str, list[str]], locale_id: int) -> Labels:
    """{"programme"|"country": {value: (in the library's language, name, order)}}
    for the values the reader chose, in one query (none when none were chosen).

    A chosen value missing from the answer is unknown.
    """
    labels: Labels = {"programme": {}, "country": {}}
    if not selected["programme"] and not selected["country"]:
        return labels
    programmes = (
        Programme.objects.filter(slug__in=selected["programme"])
        .order_by()
        .values_list(Value("programme"), "slug", "name", "locale_id", "sort_order")
    )
    countries = (
        Country.objects.filter(iso_code__in=selected["country"])
        .order_by()
        .values_list(Value("country"), "iso_code", "name", "locale_id", Value(0))
    )
    for facet, value, name, row_locale, order in programmes.union(countries, all=True):
        _label_add(labels, facet, value, name, row_locale, (order, name), locale_id)
    return labels


def taxonomy_counts(
    *, programme_scope: QuerySet, country_scope: QuerySet, labels: Labels, locale_id
) -> dict[str, dict[str, int]]:
    """Publications per programme and per country, and their names, in one query.

    Each facet is counted in its own scope (the other facets' choices) and
    grouped by the linked row, so the name comes with the count.
    """

    def grouped(queryset, facet, relation, key, order, model):
        # The name in the library's language where the term is translated,
        # whatever the language of the row the publication is filed under.
        local = name_in_locale(
            model, locale_id=locale_id, key=f"{relation}__translation_key"
        )
        return (
            queryset.order_by()
            .values(
                facet=Value(facet),
                value=F(f"{relation}__{key}"),
                name=local,
                row_locale=Value(locale_id),
                order=order,
            )
            .annotate(count=Count("pk", distinct=True))
            .values_list("facet", "value", "name", "row_locale", "order", "count")
        )

    rows = grouped(
        programme_scope,
        "programme",
        "programmes",
        "slug",
        F("programmes__sort_order"),
        Programme,
    ).union(
        grouped(country_scope, "country", "countries", "iso_code", Value(0), Country),
        all=True,
    )
    counts: dict[str, dict[str, int]] = {"programme": {}, "country": {}}
    for facet, value, name, row_locale, order, count in rows:
        if value is None:  # publications filed under no programme or country
            continue
        counts[facet][value] = counts[facet].get(value, 0) + count
        _label_add(labels, facet, value, name, row_locale, (order, name), locale_id)
    return counts


def facet_options(
    name: str,
    counts: dict[str, int],
    selected: list[str],
    labels: dict[str, tuple[bool, str, object]],
) -> list[FacetOption]:
    values = set(counts) | set(selected)
    if name in ("programme", "country"):
        values &= set(labels)
        ordered = sorted(values, key=lambda value: labels[value][2])
        label_of = {value: labels[value][1] for value in values}
    elif name == "type":
        ordered = [value for value in PublicationType.values if value in values]
        label_of = dict(PublicationType.choices)
    elif name == "year":
        ordered = sorted(values, reverse=True)
        label_of = {value: value for value in values}
    else:
        ordered = [value for value in content_languages() if value in values]
        label_of = {value: get_language_info(value)["name_local"] for value in ordered}
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
        if facet.name == "language" and params.languages == [params.default_language]:
            continue  # the page's own language is the default, not a filter
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
