"""The matches of a search in a scope, best first, ranked by the database in one query.

Wagtail's SQLite backend scores each matching row with a subquery of its own
(`order_by_relevance=True`), which grows to seconds at 10,000 publications.
Here the full-text index is read once: FTS5's bm25 on SQLite, ts_rank on
PostgreSQL, joined to the scope (any queryset of pages: live, public, one
locale...), cut to one page of ids, with the total counted by a window in the
same query.

Meaning, on both databases: every word must match, in the title or the body
(operator AND); a page whose title holds every word comes before one that
only mentions them, then the better score, then the newer id.

- SQLite: FTS5 has no stemmer configured in Wagtail's table, so each word is
  matched as a prefix ("mine" finds "mines" and "mineral"): the embedded
  default's limit, documented in the README.
- PostgreSQL: the words are stemmed, for each page, with the text-search
  configuration of its language (`configs`), the one its index row was built
  with (`backend`): "ressource" finds "ressources" on a French page.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import F, QuerySet

from .configs import FALLBACK_CONFIG, SEARCH_CONFIGS

INDEX_TABLE = "wagtailsearch_indexentry"
FTS_TABLE = "wagtailsearch_indexentry_fts"
# bm25 weights of the FTS5 table's columns, in its order: autocomplete, body,
# title. A word in the title counts five times one in the body.
BM25_WEIGHTS = "0.0, 1.0, 5.0"


@dataclass(frozen=True)
class RankedIds:
    """One slice of the matches, best first, and how many there are in all."""

    ids: list[int]
    total: int


def fts5_phrase(term: str, *, prefix: bool) -> str:
    """One word as an FTS5 string (quoted, so "AND" or "NEAR" is just a word)."""
    quoted = '"' + term.replace('"', '""') + '"'
    return f"{quoted}*" if prefix else quoted


def fts5_query(terms: tuple[str, ...], *, columns: str, last_prefix_only=False) -> str:
    """Every term, as a prefix, in one of `columns` ("{title body}" or "title")."""
    phrases = [
        fts5_phrase(term, prefix=not last_prefix_only or n == len(terms) - 1)
        for n, term in enumerate(terms)
    ]
    return f"{columns} : ({' AND '.join(phrases)})"


def scope_sql(scope: QuerySet, *, named: bool = False) -> tuple[str, tuple | dict]:
    """The scope as SQL selecting `_ft_id`, `_ft_ct` and `_ft_lang` (the page's
    id, content type and language): a queryset of pages, or of any model that
    carries these three as annotations. `named`: with %(scope_N)s
    placeholders, to sit among the named parameters of the PostgreSQL query."""
    if "_ft_id" not in scope.query.annotations:
        scope = scope.annotate(
            _ft_id=F("pk"),
            _ft_ct=F("content_type_id"),
            _ft_lang=F("locale__language_code"),
        )
    rows = scope.order_by().values("_ft_id", "_ft_ct", "_ft_lang")
    sql, params = rows.query.sql_with_params()
    if not named:
        return sql, params
    names = [f"scope_{n}" for n in range(len(params))]
    sql = sql.replace("%%", "%%%%") % tuple(f"%({name})s" for name in names)
    return sql, dict(zip(names, params, strict=True))


def _sqlite_sql(scope_select: str) -> str:
    # The matches are read from the FTS table first (MATERIALIZED keeps SQLite
    # from turning the join around and running the MATCH once per page), then
    # joined to the scope by the index row's object id.
    return f"""
        WITH matched AS MATERIALIZED (
            SELECT rowid AS entry_id, bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS score
            FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
        ),
        titled AS MATERIALIZED (
            SELECT rowid AS entry_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
        )
        SELECT s._ft_id, COUNT(*) OVER ()
        FROM matched m
        CROSS JOIN {INDEX_TABLE} ie ON ie.id = m.entry_id
        CROSS JOIN ({scope_select}) s
            ON s._ft_id = CAST(ie.object_id AS INTEGER)
            AND s._ft_ct = ie.content_type_id
        ORDER BY m.entry_id IN (SELECT entry_id FROM titled) DESC,
            m.score ASC, s._ft_id DESC
        LIMIT %s OFFSET %s
    """  # noqa: S608 (table names are constants, values are parameters)


# The matches are read from the GIN index first, as their content type,
# their objects' ids as numbers (CASE: a non-numeric id is never cast) and
# the vectors ranked later (`columns`), then each finds its page by the
# primary key. Joined on the text id, PostgreSQL could put the scope first and
# read, for every page, every index row of its content type: 1.7 s for a
# common word at 10,000 publications, 53 s in the library; 8 ms this way.
# Carrying the vectors saves reading each matched row a second time: a third
# of the library's search at 10,000.
POSTGRES_MATCHED = """
    SELECT ie.content_type_id AS ct,
        CASE WHEN ie.object_id ~ '^[0-9]{{1,18}}$' THEN ie.object_id::bigint END
            AS object_pk,
        {columns}
    FROM {index_table} ie WHERE {condition}
"""


def _postgres_sql(scope_select: str) -> str:
    # Each page was indexed with its language's configuration (`backend`), so
    # each is matched and ranked with the words stemmed the same way: the
    # words are parsed once per configuration, the index (GIN on
    # `title || body`, migration site_config 0014) is searched with any of
    # them, then each row is checked with its own language's.
    configs = sorted({*SEARCH_CONFIGS.values(), FALLBACK_CONFIG})
    parsed = ", ".join(
        f"plainto_tsquery('{config}', %(words)s) AS {config}" for config in configs
    )
    branches = " ".join(
        f"WHEN '{code}' THEN q.{config}" for code, config in SEARCH_CONFIGS.items()
    )
    any_config = " || ".join(f"q.{config}" for config in configs)
    matched = POSTGRES_MATCHED.format(
        index_table=INDEX_TABLE,
        columns="ie.title, ie.body",
        condition=f"(ie.title || ie.body) @@ (SELECT {any_config} FROM q)",  # noqa: S608
    )
    return f"""
        WITH q AS (SELECT {parsed}),
        matched AS MATERIALIZED ({matched})
        SELECT s._ft_id, COUNT(*) OVER ()
        FROM q, matched m
        JOIN ({scope_select}) s ON s._ft_id = m.object_pk AND s._ft_ct = m.ct
        CROSS JOIN LATERAL (
            SELECT CASE s._ft_lang {branches} ELSE q.{FALLBACK_CONFIG} END AS query
        ) r
        WHERE (m.title || m.body) @@ r.query
        ORDER BY (m.title @@ r.query) DESC,
            ts_rank(m.title, r.query) * 5 + ts_rank(m.body, r.query) DESC,
            s._ft_id DESC
        LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 (table names and configurations are constants)


def ranked_ids(
    *,
    scope: QuerySet,
    terms: tuple[str, ...],
    limit: int,
    offset: int = 0,
) -> RankedIds:
    """`limit` ids of the pages of `scope` matching every term, from `offset`.

    One query. `total` is 0 when the slice is empty, even if there are
    matches before `offset`: `ranked_page` asks again in that case.
    """
    if not terms or limit <= 0:
        return RankedIds(ids=[], total=0)
    connection = connections[scope.db]
    if connection.vendor == "postgresql":
        scope_select, scope_params = scope_sql(scope, named=True)
        sql = _postgres_sql(scope_select)
        params = {
            **scope_params,
            "words": " ".join(terms),
            "limit": limit,
            "offset": offset,
        }
    else:
        scope_select, scope_params = scope_sql(scope)
        sql = _sqlite_sql(scope_select)
        params = (
            fts5_query(terms, columns="{title body}"),
            fts5_query(terms, columns="title"),
            *scope_params,
            limit,
            offset,
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return RankedIds(ids=[row[0] for row in rows], total=rows[0][1] if rows else 0)


# Beyond this a page number is "past the end" without asking the database,
# whose integers it would overflow.
MAX_PAGE_NUMBER = 1_000_000


@dataclass(frozen=True)
class RankedPage:
    """The ids of one page of results, its number and the number of matches."""

    ids: list[int]
    total: int
    number: int
    per_page: int


def _page_number(value) -> int | None:
    """The page asked for; None for the last page (Django's paginator's rule
    for a number below 1 or past the end); 1 for anything not a number."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE_NUMBER else None


def ranked_page(
    *,
    scope: QuerySet,
    terms: tuple[str, ...],
    page_number,
    per_page: int,
) -> RankedPage:
    """One page of ranked ids, like Django's `Paginator.get_page`: a number
    that is not one gives the first page, one out of range the last.

    One query; two more only for a page past the end (count, then the last).
    """
    number = _page_number(page_number)
    if number is not None:
        found = ranked_ids(
            scope=scope,
            terms=terms,
            limit=per_page,
            offset=(number - 1) * per_page,
        )
        if found.ids or number == 1:
            return RankedPage(found.ids, found.total, number, per_page)
    # Past the end: count the matches, then serve the last page.
    total = ranked_ids(scope=scope, terms=terms, limit=1).total
    last = max(1, -(-total // per_page))
    found = ranked_ids(
        scope=scope,
        terms=terms,
        limit=per_page,
        offset=(last - 1) * per_page,
    )
    return RankedPage(found.ids, found.total, last, per_page)
