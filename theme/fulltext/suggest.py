"""Titles that start like what a reader is typing, for the header search's suggestions.

One query on the full-text index, titles only: on SQLite every word of the
title column as a prefix (FTS5), on PostgreSQL Wagtail's `autocomplete`
vector (the title, unstemmed: 'simple') with `word:*` prefixes. A page whose
title holds every word, best ranked first.
"""

from django.db import connections
from django.db.models import QuerySet

from .ranked import (
    BM25_WEIGHTS,
    FTS_TABLE,
    INDEX_TABLE,
    POSTGRES_MATCHED,
    fts5_query,
    scope_sql,
)

MAX_SUGGESTIONS = 8


def _sqlite_sql(scope_select: str) -> str:
    return f"""
        WITH matched AS MATERIALIZED (
            SELECT rowid AS entry_id, bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS score
            FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
        )
        SELECT s._ft_id
        FROM matched m
        CROSS JOIN {INDEX_TABLE} ie ON ie.id = m.entry_id
        CROSS JOIN ({scope_select}) s
            ON s._ft_id = CAST(ie.object_id AS INTEGER)
            AND s._ft_ct = ie.content_type_id
        ORDER BY m.score ASC, s._ft_id DESC
        LIMIT %s
    """  # noqa: S608 (table names are constants, values are parameters)


def _postgres_sql(scope_select: str) -> str:
    matched = POSTGRES_MATCHED.format(
        index_table=INDEX_TABLE,
        columns="ie.autocomplete",
        condition="ie.autocomplete @@ to_tsquery('simple', %(words)s)",
    )
    return f"""
        WITH matched AS MATERIALIZED ({matched})
        SELECT s._ft_id
        FROM matched m
        JOIN ({scope_select}) s ON s._ft_id = m.object_pk AND s._ft_ct = m.ct
        CROSS JOIN (SELECT to_tsquery('simple', %(words)s) AS query) q
        ORDER BY ts_rank(m.autocomplete, q.query) DESC, s._ft_id DESC
        LIMIT %(limit)s
    """  # noqa: S608 (table names are constants, values are parameters)


def suggested_ids(
    *, scope: QuerySet, terms: tuple[str, ...], limit: int = MAX_SUGGESTIONS
) -> list[int]:
    """Ids of pages of `scope` whose title has a word starting with each term.

    `terms` are words only (`theme.query.query_terms`), so nothing reaches
    the MATCH or tsquery syntax as an operator.
    """
    if not terms:
        return []
    connection = connections[scope.db]
    if connection.vendor == "postgresql":
        scope_select, scope_params = scope_sql(scope, named=True)
        words = " & ".join(f"{term.casefold()}:*" for term in terms)
        params = {**scope_params, "words": words, "limit": limit}
        sql = _postgres_sql(scope_select)
    else:
        scope_select, scope_params = scope_sql(scope)
        params = (fts5_query(terms, columns="title"), *scope_params, limit)
        sql = _sqlite_sql(scope_select)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
