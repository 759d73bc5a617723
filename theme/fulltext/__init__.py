"""Full-text search ranked by the database in one query, in each page's language.

Wagtail's database backend keeps one index row per object
(`wagtailsearch_indexentry`, and on SQLite its FTS5 table). This package
reads that index directly: `ranked` ranks a scope's matches in one query on
SQLite (FTS5 bm25) and PostgreSQL (ts_rank), `backend` makes the PostgreSQL
index use each page's language for stemming, `configs` names the text-search
configuration of each language and `forms` finds the words of a text that a
search matched, for highlighting.
"""
