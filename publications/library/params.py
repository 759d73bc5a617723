"""The reader's choices for the library, cleaned: what is known, in a stable order."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from publications.choices import PublicationType
from theme.query import MAX_QUERY_LENGTH, MAX_TERMS  # noqa: F401 (re-exported)
from theme.query import query_clean as library_query_clean
from theme.query import query_terms as library_query_terms

# A reader never needs more values of one facet than there are options; this
# bounds the work a hand-made URL can ask for.
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 64
YEAR_PATTERN = re.compile(r"(19|20)\d\d")

SORT_NEWEST = "newest"
SORT_OLDEST = "oldest"
SORT_RELEVANCE = "relevance"
SORT_LABELS = {
    SORT_NEWEST: _("Newest first"),
    SORT_OLDEST: _("Oldest first"),
    SORT_RELEVANCE: _("Best match"),
}
FACETS = ("programme", "country", "type", "year", "language")
SINGLE_FACETS = ("type", "year", "language")
FACET_LEGENDS = {
    "programme": _("Programme"),
    "country": _("Country"),
    "type": _("Type"),
    "year": _("Year"),
    "language": _("Language"),
}


@dataclass
class LibraryParams:
    """The reader's choices, cleaned: only known values, in a stable order."""

    query: str = ""
    terms: tuple[str, ...] = ()
    sort: str = SORT_NEWEST
    page: str | None = None
    selected: dict[str, list[str]] = field(default_factory=dict)
    ignored: bool = False

    @property
    def languages(self) -> list[str]:
        """The languages listed: the chosen ones, or every one when none is."""
        return self.selected.get("language") or content_languages()

    def query_dict(self, *, without: tuple[str, str] | None = None) -> QueryDict:
        """The canonical query: defaults left out, values sorted, no page number."""
        params = QueryDict(mutable=True)
        if self.query and without != ("q", self.query):
            params["q"] = self.query
        for name in FACETS:
            values = self.selected.get(name, [])
            params.setlist(
                name, [value for value in values if (name, value) != without]
            )
        if self.sort != default_sort(self.terms):
            params["sort"] = self.sort
        return params


def default_sort(terms: tuple[str, ...]) -> str:
    return SORT_RELEVANCE if terms else SORT_NEWEST


def raw_values(params: QueryDict, name: str) -> list[str]:
    values = []
    for value in params.getlist(name)[:MAX_VALUES_PER_FACET]:
        value = library_query_clean(value)[:MAX_VALUE_LENGTH]
        if value and value not in values:
            values.append(value)
    return values


def content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def library_params_clean(
    *,
    params: QueryDict,
    programme_slugs: Iterable[str],
    country_codes: Iterable[str],
) -> LibraryParams:
    """Keep the known values of each facet; note when something was dropped."""
    query = library_query_clean(params.get("q", ""))
    terms = library_query_terms(query)
    known = {
        "programme": set(programme_slugs),
        "country": set(country_codes),
        "type": set(PublicationType.values),
        "year": None,
        "language": set(content_languages()),
    }
    cleaned = LibraryParams(query=query, terms=terms)
    for name in FACETS:
        raw = raw_values(params, name)
        if name == "country":
            raw = list(dict.fromkeys(value.upper() for value in raw))
        if name == "year":
            good = [value for value in raw if YEAR_PATTERN.fullmatch(value)]
        else:
            good = [value for value in raw if value in known[name]]
        cleaned.ignored = cleaned.ignored or len(good) < len(raw)
        if name == "year":
            good.sort(reverse=True)
        elif name == "language":
            good.sort(key=content_languages().index)
        else:
            good.sort()
        cleaned.selected[name] = good
    sort = params.get("sort", "")
    allowed = {SORT_NEWEST, SORT_OLDEST} | ({SORT_RELEVANCE} if terms else set())
    cleaned.sort = sort if sort in allowed else default_sort(terms)
    cleaned.page = params.get("page")
    return cleaned
