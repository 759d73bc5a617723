"""A GIN index on `title || body` of Wagtail's search index, on PostgreSQL only.

Site and library search (theme/fulltext/ranked.py) match every word in the
title or the body at once; without this index PostgreSQL would read every
row's vectors. SQLite's FTS5 table needs nothing more.
"""

from django.db import migrations

INDEX = "wagtailsearch_indexentry_title_body_gin"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_config", "0014_sitesettings_default_licence"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(index_create, index_drop)]
