"""The test database migrated once, then copied, instead of migrated per process.

Migrating an empty database (Wagtail's few hundred migrations and ours) takes
40 to 60 seconds of CPU on a CI machine, and every test process of both CI
runs did it, as did each test that starts the site in a subprocess. Here the
first process to need it migrates a template, under a lock, and every other
copies it:

- SQLite: a file in `var/test-templates/`, kept between runs; each process
  copies it into its in-memory test database before Django creates that, so
  Django's own `migrate` finds nothing left to apply.
- PostgreSQL: a database named after the configured one, which Django's
  `TEST["TEMPLATE"]` setting makes each test database a copy of
  (`CREATE DATABASE ... TEMPLATE`). Kept between runs for the same
  configured database; `.ci/run` drops its own with its database.

The template's name carries a digest of every installed app's migration files
and the settings module: a changed or added migration builds a new one, and
the older ones are removed then.

The same template puts back what a transactional test's flush removes (the
rows the migrations made: Wagtail's root page and default site, the root
collection, the groups and their permissions): `baseline_restore()`.
"""

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.db import connection

from tests.utils.demo_snapshot import caches_forget

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "var" / "test-templates"
# The in-memory test database of a process, named so that the copy made
# before Django opens it is the one Django opens.
SQLITE_TEST_NAME = "file:migrated_test_db?mode=memory&cache=shared"
# Migrating from nothing under coverage on a slow machine: about a minute.
MIGRATE_TIMEOUT = 600


@cache
def migrations_digest() -> str:
    """A digest of the migration files of every installed app and the settings."""
    digest = hashlib.sha256(settings.SETTINGS_MODULE.encode())
    for app in apps.get_app_configs():
        spec = find_spec(f"{app.name}.migrations")
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            for path in sorted(Path(folder).glob("*.py")):
                digest.update(f"{app.label}/{path.name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One process at a time, across the test processes of the machine."""
    TEMPLATES_DIR.mkdir(parents=True, exist_ok=True)
    with (TEMPLATES_DIR / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=MIGRATE_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating the test template failed:\n{result.stderr}")


def sqlite_template() -> Path:
    """The migrated SQLite file, built first if there is none for this digest."""
    digest = migrations_digest()
    path = TEMPLATES_DIR / f"migrated-{digest}.sqlite3"
    if path.exists():
        return path
    with _locked("sqlite"):
        if path.exists():
            return path
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _migrate(f"sqlite:///{partial}")
        # The site's settings put SQLite in WAL mode; a template is one file.
        with sqlite3.connect(partial) as database:
            database.execute("PRAGMA journal_mode=DELETE")
        database.close()
        partial.replace(path)
        for old in TEMPLATES_DIR.glob("migrated-*.sqlite3"):
            if old != path:
                old.unlink(missing_ok=True)
    return path


def _sqlite_template_into(target: sqlite3.Connection) -> None:
    source = sqlite3.connect(sqlite_template())
    try:
        source.backup(target)
    finally:
        source.close()


def sqlite_template_copy(target: Path) -> Path:
    """A migrated SQLite file at `target`, for a site started in a subprocess."""
    copy = sqlite3.connect(target)
    try:
        _sqlite_template_into(copy)
    finally:
        copy.close()
    return target


def _postgresql_template(settings_dict: dict) -> str:
    """The migrated PostgreSQL database's name, built first if there is none."""
    prefix = f"{settings_dict['NAME']}_migrated_"
    name = prefix + migrations_digest()
    quote = connection.ops.quote_name
    with _locked(f"postgresql-{settings_dict['NAME']}"):
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                [prefix],
            )
            found = {row[0] for row in cursor.fetchall()}
        if name in found:
            return name
        partial = f"{name}_partial"
        with connection._nodb_cursor() as cursor:
            for old in found:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
            cursor.execute(f"CREATE DATABASE {quote(partial)}")
        url = urlsplit(os.environ["DATABASE_URL"])
        try:
            _migrate(urlunsplit(url._replace(path=f"/{partial}")))
        except BaseException:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(partial)}")
            raise
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(name)}")
    return name


def databases_from_template() -> sqlite3.Connection | None:
    """Point this process's test database at the migrated template.

    Call it before Django creates the test database (pytest-django's
    `django_db_modify_db_settings`). On SQLite the returned connection holds
    the in-memory copy open: keep it for as long as the process runs.
    """
    settings_dict = settings.DATABASES["default"]
    test = settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test["TEMPLATE"] = _postgresql_template(settings_dict)
        return None
    if connection.vendor != "sqlite" or test.get("NAME"):
        return None
    test["NAME"] = SQLITE_TEST_NAME
    holder = sqlite3.connect(SQLITE_TEST_NAME, uri=True, check_same_thread=False)
    _sqlite_template_into(holder)
    return holder


def baseline_restore() -> None:
    """The test database put back as the template left it, outside any transaction.

    A transactional test ends with a flush, which empties every table; the
    content types and permissions come back from `post_migrate` under new ids,
    the migrations' other rows do not. On SQLite the template is copied in
    (about 10 ms); on PostgreSQL the test database is made again from it.
    """
    if connection.in_atomic_block:
        raise RuntimeError("the test database is restored outside a transaction only")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        _sqlite_template_into(connection.connection)
    else:
        name = connection.settings_dict["NAME"]
        template = connection.settings_dict["TEST"]["TEMPLATE"]
        quote = connection.ops.quote_name
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {quote(name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    caches_forget()
