"""The migrated template the test databases are copied from (utils/migrated.py)."""

import os
import sqlite3
import subprocess
import sys

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from wagtail.models import Collection, Page, Site

import pytest

from tests.utils.migrated import (
    ROOT,
    SQLITE_TEST_NAME,
    baseline_restore,
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


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_rows_of_the_migrations_back():
    call_command("flush", "--no-input", verbosity=0)
    assert not Site.objects.exists()
    assert Page.get_first_root_node() is None
    # The content types came back from post_migrate; the process caches them.
    ContentType.objects.get_for_model(Page)

    baseline_restore()

    root = Page.get_first_root_node()
    assert Site.objects.get(is_default_site=True).root_page.get_parent() == root
    assert Collection.get_first_root_node() is not None
    assert Group.objects.get(name="Moderators").permissions.exists()
    assert ContentType.objects.get_for_model(Page).pk == root.content_type_id


def test_a_test_run_after_a_transactional_one_starts_from_the_migrated_rows():
    """The conftest's hooks, in a pytest of its own that runs a transactional
    test and then one reading the migrations' rows (tests/utils/flush_probe.py)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and tests
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.utils.flush_probe",
            "-n",
            "0",
            "--no-cov",
            "-v",
            "tests/utils/flush_probe.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = result.stdout
    first = ran.index("test_1_commits_and_its_database_is_flushed PASSED")
    second = ran.index("test_2_finds_the_rows_the_migrations_made PASSED")
    third = ran.index("test_3_commits_and_its_database_is_flushed_again PASSED")
    fourth = ran.index("test_4_starts_from_the_serialized_rows_after_a_flush PASSED")
    assert first < second < third < fourth
