"""The migrated template the test databases are copied from (utils/migrated.py)."""

import os
import sqlite3
import subprocess
import sys

from django.db import connection

import pytest

from tests.utils.migrated import (
    ROOT,
    SQLITE_TEST_NAME,
    migrations_digest,
    sqlite_template_copy,
)


def test_the_template_leaves_no_migration_to_apply(tmp_path):
    copy = sqlite_template_copy(tmp_path / "copy.sqlite3")
    # `migrate --check` fails when any migration of any app is left to apply.
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--check", "--no-input"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{copy}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # What the migrations add came along: Wagtail's tree and the search index.
    with sqlite3.connect(copy) as database:
        pages = database.execute("SELECT count(*) FROM wagtailcore_page").fetchone()
        index = database.execute("SELECT count(*) FROM wagtailsearch_indexentry_fts")
        assert pages[0] >= 1
        assert index.fetchone() is not None
    database.close()


@pytest.mark.django_db
def test_the_test_database_is_the_copy_made_before_django_opened_it():
    if connection.vendor == "sqlite":
        assert connection.settings_dict["NAME"] == SQLITE_TEST_NAME
    else:
        template = connection.settings_dict["TEST"]["TEMPLATE"]
        assert template.endswith(f"_migrated_{migrations_digest()}")
