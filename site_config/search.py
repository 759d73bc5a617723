"""Site-wide search: clean the reader's query, run it, highlight the matches.

Pure functions over Wagtail's search backend, so the view stays thin and tests
call them directly. Every page type with `search_fields` takes part without
being imported here.
"""

import html
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import formats
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from publications.pdf.passages import PdfPassage, pdf_passages
from theme.fulltext.forms import WordMatch, word_match
from theme.fulltext.ranked import RankedPage, ranked_page
from theme.fulltext.suggest import suggested_ids
from theme.highlight import (  # noqa: F401 (re-exported)
    EXCERPT_LENGTH,
    text_excerpt,
    text_highlight,
)
from theme.query import MAX_QUERY_LENGTH, MAX_TERMS  # noqa: F401 (re-exported)
from theme.query import query_clean as search_query_clean
from theme.query import query_terms as search_terms

# Where an excerpt comes from, first non-empty wins. Attributes a page type
# does not have are skipped, so later page types join without changes here.
EXCERPT_ATTRIBUTES = ("search_description", "intro", "summary", "standfirst")

# The content's own date, first found wins: the day an issue appeared or a
# publication was published, never the moment its page went live.
DATE_ATTRIBUTES = ("issue_date", "publication_date")

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchHit:
    """One result as the template shows it; `title` and `excerpt` are escaped."""

    page: Page
    title: SafeString
    type_label: str
    date: date | None
    date_label: str
    excerpt: SafeString
    # Where the words were found inside one of the page's PDFs, if they were.
    passage: PdfPassage | None = None


@dataclass(frozen=True)
class SearchResults:
    """The outcome of one search: the cleaned query, its terms and one page of hits.

    `page_obj` is None when no search ran (an empty query, or one without a
    single word in it).
    """

    query: str
    terms: tuple[str, ...]
    hits: list[SearchHit]
    page_obj: PaginatorPage | None

    @property
    def searched(self) -> bool:
        return self.page_obj is not None

    @property
    def total(self) -> int:
        return self.page_obj.paginator.count if self.page_obj is not None else 0

    @property
    def page_range(self) -> list:
        """Page numbers to link, with the paginator's ellipsis for long gaps."""
        if self.page_obj is None:
            return []
        return list(
            self.page_obj.paginator.get_elided_page_range(
                self.page_obj.number, on_each_side=2, on_ends=1
            )
        )


def page_excerpt_text(page: Page) -> str:
    """Plain text describing the page: its search description, intro or summary."""
    for name in EXCERPT_ATTRIBUTES:
        value = getattr(page, name, None)
        if not value:
            continue
        text = str(value)
        if _is_rich_text(page, name):
            text = html.unescape(strip_tags(text))
        text = _SPACE.sub(" ", text).strip()
        if text:
            return text
    return ""


def _is_rich_text(page: Model, name: str) -> bool:
    try:
        return isinstance(page._meta.get_field(name), RichTextField)
    except FieldDoesNotExist:  # a property or plain attribute
        return False


def page_content_date(page: Page) -> tuple[date | None, str]:
    """The date of what the page holds, and how readers see it: “May–June 2019”
    for an issue with a period of its own, else its month. (None, "") for a page
    without one."""
    for name in DATE_ATTRIBUTES:
        value = getattr(page, name, None)
        if value:
            label = getattr(page, "period", "") or formats.date_format(value, "F Y")
            return value, str(label)
    return None, ""


def search_hit_build(
    *,
    page: Page,
    terms: tuple[str, ...],
    passage: PdfPassage | None = None,
    match: WordMatch | None = None,
) -> SearchHit:
    """The title, type, date and highlighted excerpt of one specific page.

    With `match`, the words marked are those the database matched (a longer
    form on SQLite, a word of the same stem on PostgreSQL), else the terms.
    """
    text = page_excerpt_text(page)
    forms = match.forms(page.title, text) if match is not None else terms
    excerpt = text_excerpt(text, forms)
    content_date, date_label = page_content_date(page)
    return SearchHit(
        page=page,
        title=text_highlight(page.title, forms),
        type_label=capfirst(page._meta.verbose_name),
        date=content_date,
        date_label=date_label,
        excerpt=text_highlight(excerpt, forms),
        passage=passage,
    )


class RankedSlice:
    """One page of results already loaded, as Django's paginator sees a list:
    its length is the number of matches, and the slice asked for is the page."""

    def __init__(self, *, ranked: RankedPage, pages: list[Page]):
        self.ranked = ranked
        self.pages = pages

    def count(self) -> int:
        return self.ranked.total

    def __len__(self) -> int:
        return self.ranked.total

    def __getitem__(self, key):
        start = (self.ranked.number - 1) * self.ranked.per_page
        if not isinstance(key, slice) or key.start != start:
            raise IndexError("only the page that was searched is loaded")
        return self.pages


def pages_in_order(ids: list[int]) -> list[Page]:
    """The pages with these ids as their specific types, in the order given:
    one query, and one per page type among them."""
    if not ids:
        return []
    found = Page.objects.filter(pk__in=ids).defer_streamfields().specific()
    by_id = {page.pk: page for page in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def search_scope(locale: Locale) -> QuerySet:
    """What the site's search and its suggestions look in: the live, public
    pages of `locale`, never Wagtail's unroutable root."""
    return Page.objects.live().public().filter(locale=locale, depth__gt=1)


def site_search(
    *,
    query: str,
    locale: Locale,
    page_number: int | str | None,
    per_page: int = 20,
) -> SearchResults:
    """One page of the live, public pages of `locale` matching `query`, best first.

    Every word must match (see `theme.fulltext.ranked` for how each database
    matches a word). A page number that is not a number gives the first page;
    one past the end gives the last. The database ranks the matches in one
    query and only the pages shown are loaded as their specific type, so the
    query count does not grow with the results.
    """
    cleaned = search_query_clean(query)
    terms = search_terms(cleaned)
    if not terms:
        return SearchResults(query=cleaned, terms=(), hits=[], page_obj=None)
    ranked = ranked_page(
        scope=search_scope(locale),
        terms=terms,
        page_number=page_number,
        per_page=per_page,
    )
    page_obj = Paginator(
        RankedSlice(ranked=ranked, pages=pages_in_order(ranked.ids)), per_page
    ).get_page(ranked.number)
    pages = list(page_obj.object_list)
    passages = pdf_passages(
        publications=pages, terms=terms, language_code=locale.language_code
    )
    match = word_match(
        terms=terms, language_code=locale.language_code, vendor=connection.vendor
    )
    hits = [
        search_hit_build(
            page=page, terms=terms, passage=passages.get(page.pk), match=match
        )
        for page in pages
    ]
    return SearchResults(query=cleaned, terms=terms, hits=hits, page_obj=page_obj)


@dataclass(frozen=True)
class Suggestion:
    """A title the header search offers while the reader types, and its address."""

    title: str
    url: str


MIN_SUGGEST_LENGTH = 2


def search_suggestions(*, query: str, locale: Locale, request=None) -> list[Suggestion]:
    """Titles of live public pages of `locale` with a word starting like each
    word typed ("gold mi" → "Gold mines of Ituri"), best first.

    Nothing for fewer than two characters. Queries: the private sections,
    the ranked titles, the pages and (once per process) the site's root paths.
    """
    cleaned = search_query_clean(query)
    terms = search_terms(cleaned)
    if len(cleaned) < MIN_SUGGEST_LENGTH or not terms:
        return []
    ids = suggested_ids(scope=search_scope(locale), terms=terms)
    if not ids:
        return []
    pages = {
        page.pk: page
        for page in Page.objects.filter(pk__in=ids)
        .select_related("locale")
        .only("pk", "title", "url_path", "locale__language_code", "depth", "path")
    }
    suggestions = []
    for pk in ids:
        page = pages.get(pk)
        url = page.get_url(request=request) if page is not None else None
        if url:
            suggestions.append(Suggestion(title=page.title, url=url))
    return suggestions
