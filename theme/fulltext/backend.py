"""Wagtail's database search backend, each page indexed in its own language.

Wagtail's PostgreSQL backend stems every object with one configuration
(`SEARCH_CONFIG`), so a French page indexed in English loses French stemming.
Here the index rows of objects that have a locale (pages, translatable
snippets) are built with the configuration of their language
(`configs.search_config`); `ranked` queries each row with the same one.
Objects without a locale keep the backend's configuration. The backend's own
queries (the admin's search, the API's `search=`) ask under every language's
configuration at once, so a French page is found by the words of its title
whatever the editor's language ("Shabunda" is 'shabund' in French).

On any other database this is Wagtail's database backend unchanged.

Settings: `WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "theme.fulltext.backend"}}`.
After switching an existing PostgreSQL site to it, run `manage.py update_index`.
"""

import copy
import functools
from collections import defaultdict

from django.db import connection

from .configs import search_config


def _language_codes() -> dict[int, str]:
    from wagtail.models import Locale

    return dict(Locale.objects.values_list("pk", "language_code"))


@functools.cache
def _language_index_class():
    from wagtail.search.backends.database.postgres.postgres import PostgresIndex

    class LanguagePostgresIndex(PostgresIndex):
        """Adds objects grouped by the configuration of their language."""

        def add_items(self, model, objs):
            objs = list(objs)
            if not objs:
                return
            if not any(getattr(obj, "locale_id", None) for obj in objs):
                super().add_items(model, objs)
                return
            languages = _language_codes()
            groups = defaultdict(list)
            for obj in objs:
                locale_id = getattr(obj, "locale_id", None)
                config = (
                    search_config(languages.get(locale_id, ""))
                    if locale_id
                    else self.backend.config
                )
                groups[config].append(obj)
            for config, group in groups.items():
                # Wagtail's indexer reads the configuration from the backend it
                # is given: a copy configured for this language, per call, so
                # no shared state changes.
                backend = copy.copy(self.backend)
                backend.config = config
                PostgresIndex(backend).add_items(model, group)

    return LanguagePostgresIndex


@functools.cache
def _every_language_compiler_class():
    from wagtail.search.backends.database.postgres.postgres import (
        PostgresSearchQueryCompiler,
    )

    from .configs import FALLBACK_CONFIG, SEARCH_CONFIGS

    configs = sorted({*SEARCH_CONFIGS.values(), FALLBACK_CONFIG})

    class EveryLanguageQueryCompiler(PostgresSearchQueryCompiler):
        """The query under each configuration, OR-ed: rows are stemmed in
        their own language, the query does not know which."""

        def build_tsquery(self, query, config=None):
            combined = None
            for each in configs:
                part = self.build_tsquery_content(query, config=each)
                combined = part if combined is None else combined | part
            return combined

    return EveryLanguageQueryCompiler


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in the module)
    """Wagtail's database backend; per language on PostgreSQL."""
    if connection.vendor != "postgresql":
        from wagtail.search.backends.database import SearchBackend as database

        return database(params)

    from wagtail.search.backends.database.postgres.postgres import (
        PostgresSearchBackend,
    )

    backend = PostgresSearchBackend(params)
    backend.index_class = _language_index_class()
    backend.query_compiler_class = _every_language_compiler_class()
    return backend
