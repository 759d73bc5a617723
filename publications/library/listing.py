"""One page of the library: `library_search` puts params, facets and rows together.

Queries: the facets' (see `facets`: the terms and the cells), the page of
publications and its authors (two), a search's ranked matches (one) and the
passages of its PDFs that matched (two, `publications.pdf.passages`). None
grows with the number of publications.
"""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import CharField, Prefetch, QuerySet, Value
from django.db.models.functions import Cast, Concat, StrIndex
from django.http import QueryDict

from publications.cards import card_image_lookups
from publications.models import PublicationAuthor, PublicationIndexPage, PublicationPage
from publications.pdf.passages import pdf_passages
from theme.fulltext.ranked import ranked_ids
from theme.id_list import ids_in

from .facets import (
    TAXONOMY,
    ActiveFilter,
    Facet,
    Terms,
    active_filters,
    facet_cells,
    facet_counts,
    facet_options,
    facet_totals,
    filters_q,
    library_entries,
    library_scope,
    taxonomy_terms,
)
from .params import (
    FACET_LEGENDS,
    FACETS,
    SORT_LABELS,
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_RELEVANCE,
    LibraryParams,
    library_params_clean,
    raw_values,
)

PER_PAGE = 20
# Matches beyond this are not listed: nobody pages through more, and the
# database is handed their ranks as one string of ids.
MAX_SEARCH_MATCHES = 500


@dataclass
class LibraryResults:
    params: LibraryParams
    facets: list[Facet]
    page_obj: PaginatorPage
    publications: list[PublicationPage]
    active_filters: list[ActiveFilter]
    sort_options: list[tuple[str, str]]

    @property
    def total(self) -> int:
        return self.page_obj.paginator.count

    @property
    def page_range(self) -> list:
        return list(
            self.page_obj.paginator.get_elided_page_range(
                self.page_obj.number, on_each_side=2, on_ends=1
            )
        )

    @property
    def query_params(self) -> QueryDict:
        """What page links keep: the canonical query, to which they add `page`.

        The sort order is always named, so the query is never empty: the
        pagination component falls back to the raw request for an empty one.
        """
        params = self.params.query_dict()
        params["sort"] = self.params.sort
        return params

    @property
    def canonical_query(self) -> str:
        params = self.params.query_dict()
        if self.page_obj.number > 1:
            params["page"] = str(self.page_obj.number)
        return params.urlencode()

    @property
    def programme_feed_slug(self) -> str:
        """The programme whose feed fits this listing, when exactly one is chosen."""
        programmes = self.params.selected.get("programme", [])
        return programmes[0] if len(programmes) == 1 else ""


def _search_matches(params: LibraryParams, *, scope: QuerySet) -> list[int]:
    """The ids of the library's publications matching every term, best first:
    one ranked query on the full-text index (`theme.fulltext.ranked`)."""
    return ranked_ids(
        scope=scope,
        terms=params.terms,
        limit=MAX_SEARCH_MATCHES,
    ).ids


def _in_rank_order(queryset: QuerySet, matches: list[int]) -> QuerySet:
    """`queryset` ordered as `matches`, by each id's place in one string.

    One parameter whatever the number of matches, where a CASE with a branch
    per match cost 30–60 ms of Python to build and compile.
    """
    positions = Value("," + ",".join(str(pk) for pk in matches) + ",")
    needle = Concat(Value(","), Cast("pk", CharField()), Value(","))
    return queryset.annotate(search_rank=StrIndex(positions, needle)).order_by(
        "search_rank", "-pk"
    )


class _RankedRows:
    """A search's matches in rank order, as the paginator slices them: only
    the rows of the page asked for are read, by their ids.

    For a search with no facet chosen, where the ranked ids are the listing:
    the page's twenty rows cost the same whatever the number of matches,
    where ordering every match in the database joined them all.
    """

    def __init__(self, queryset: QuerySet, matches: list[int], count: int):
        self.queryset = queryset
        self.matches = matches
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, key):
        ids = self.matches[key]
        return _in_rank_order(self.queryset.filter(pk__in=ids), ids)


class _Counted:
    """A queryset whose length is already known, for the paginator.

    The facets' counts add up to the number of results, so the paginator
    need not ask the database again.
    """

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def _page_rows(queryset: QuerySet) -> QuerySet:
    """What a listed publication shows: the page and its authors in two
    queries, the cards' pictures in three (publications.cards)."""
    return (
        queryset.defer_streamfields()
        .select_related("locale", "cover_image")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=PublicationAuthor.objects.select_related("person"),
            ),
            *card_image_lookups(),
        )
    )


def _ordered(
    scope: QuerySet, cleaned: LibraryParams, terms: Terms, matches: list[int] | None
) -> QuerySet:
    """The library's scope, or a search's matches, under the chosen facets, in
    the order asked for."""
    if matches is not None:
        # The matches are the scope's: found by their ids, where the scope's
        # own filter would walk the whole library's index range.
        scope = PublicationPage.objects.live().filter(pk__in=ids_in(matches))
    filtered = scope.filter(filters_q(cleaned, terms=terms))
    if cleaned.sort == SORT_RELEVANCE and matches:
        # The index ranked the matches; the database keeps that order while
        # it filters and cuts the page, so no id list comes back to Python.
        return _in_rank_order(filtered, matches)
    direction = "" if cleaned.sort == SORT_OLDEST else "-"
    # The entry's (date, page) index walks the library in order.
    return filtered.order_by(
        f"{direction}library_entry__publication_date",
        f"{direction}library_entry__page_id",
    )


def library_search(
    *, library: PublicationIndexPage, params: QueryDict, per_page: int = PER_PAGE
) -> LibraryResults:
    """One page of the library for these GET parameters, with the facets' counts.

    Unknown values are dropped (and `params.ignored` says so), a page number
    past the end gives the last page and one that is not a number the first.
    """
    scope = library_scope(library=library)
    raw = {
        "programme": raw_values(params, "programme"),
        "country": [value.upper() for value in raw_values(params, "country")],
    }
    terms = taxonomy_terms(selected=raw, locale=library.locale)
    cleaned = library_params_clean(
        params=params,
        programme_slugs=terms["programme"].keys,
        country_codes=terms["country"].keys,
    )
    for name in TAXONOMY:
        # A term chosen by its name in another language is shown, and kept in
        # the address, by its name in the reader's language.
        found = terms[name]
        cleaned.selected[name] = sorted(
            {found.values[found.keys[value]] for value in cleaned.selected[name]}
        )
    matches: list[int] | None = None
    if cleaned.terms:
        matches = _search_matches(cleaned, scope=library_entries(library=library))

    chosen = any(cleaned.selected.values())
    if matches is None and not chosen:
        cells = facet_totals(library=library)
    else:
        cells = facet_cells(library=library, matches=matches)
    counts, total = facet_counts(cells, params=cleaned, terms=terms)
    facets = [
        Facet(
            name=name,
            legend=str(FACET_LEGENDS[name]),
            options=facet_options(name, counts[name], cleaned.selected[name], terms),
        )
        for name in FACETS
    ]

    if cleaned.sort == SORT_RELEVANCE and matches and not chosen:
        rows = _RankedRows(
            _page_rows(PublicationPage.objects.live()), matches, count=total
        )
    else:
        rows = _Counted(_page_rows(_ordered(scope, cleaned, terms, matches)), total)
    page_obj = Paginator(rows, per_page).get_page(cleaned.page)
    publications = list(page_obj)
    if cleaned.terms:
        # Where the words are inside the PDFs: two queries for the whole page.
        passages = pdf_passages(publications=publications, terms=cleaned.terms)
        for publication in publications:
            publication.pdf_passage = passages.get(publication.pk)

    sort_options = [(SORT_NEWEST, SORT_LABELS[SORT_NEWEST])]
    sort_options.append((SORT_OLDEST, SORT_LABELS[SORT_OLDEST]))
    if cleaned.terms:
        sort_options.insert(0, (SORT_RELEVANCE, SORT_LABELS[SORT_RELEVANCE]))
    return LibraryResults(
        params=cleaned,
        facets=facets,
        page_obj=page_obj,
        publications=publications,
        active_filters=active_filters(cleaned, facets),
        sort_options=[(value, str(label)) for value, label in sort_options],
    )
