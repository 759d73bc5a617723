"""The demo site built once per test process and lent to each module that reads it.

Building the demo costs 15 to 35 seconds of CPU; about a dozen modules read it.
The first build in a process is kept aside, and each later module gets the
same rows back in milliseconds:

- on SQLite (an in-memory test database) as a copy made with SQLite's backup
  API, copied into the test database and, when the module is done, the
  database as it was before copied back;
- on PostgreSQL as a database of its own, made from the test database as a
  template and holding the demo; the connection points at it while the module
  runs, and the test database is never touched. It is dropped when the
  process ends.

Inside, a module runs in one transaction rolled back at its end (each test in
a savepoint), as when it built the demo itself: what a module changes never
reaches the next. Not for a module with transactional tests (they would flush
the copy), nor for tests of the builder itself, which must build.
"""

import copy
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction


@dataclass
class _Kept:
    report: object = None
    # SQLite: the demo's rows, in a database of this process's memory.
    copy: sqlite3.Connection | None = None
    # PostgreSQL: the name of the database holding the demo.
    database: str | None = None


_KEPT = _Kept()


def caches_forget() -> None:
    """After the test database's rows were swapped: ids cached by this process
    may name other rows in the other copy (a flush re-creates the content types
    under new ids), and cached site root paths may name pages it does not hold."""
    ContentType.objects.clear_cache()
    cache.clear()


def _sqlite_copy(source: sqlite3.Connection) -> sqlite3.Connection:
    target = sqlite3.connect(":memory:", check_same_thread=False)
    source.backup(target)
    return target


def _sqlite_demo_put() -> None:
    """The kept demo copied into the test database; built and kept first if none is."""
    connection.ensure_connection()
    if _KEPT.copy is None:
        _KEPT.report = _build()
        _KEPT.copy = _sqlite_copy(connection.connection)
    else:
        _KEPT.copy.backup(connection.connection)
        caches_forget()


@contextmanager
def _sqlite_lent() -> Iterator[None]:
    connection.ensure_connection()
    before = _sqlite_copy(connection.connection)
    try:
        _sqlite_demo_put()
        yield
    finally:
        before.backup(connection.connection)
        before.close()
        caches_forget()


@contextmanager
def _postgresql_lent() -> Iterator[None]:
    test_database = connection.settings_dict["NAME"]
    if _KEPT.database is None:
        demo_database = f"{test_database}_demo"
        _database_from_template(demo_database, template=test_database)
        _KEPT.database = demo_database
        _switch_to(demo_database)
        try:
            _KEPT.report = _build()
        except BaseException:
            _switch_to(test_database)
            _database_drop(demo_database)
            _KEPT.database = None
            raise
    else:
        _switch_to(_KEPT.database)
    try:
        yield
    finally:
        _switch_to(test_database)


def _switch_to(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name
    caches_forget()


def _database_from_template(name: str, *, template: str) -> None:
    # One left by a process that was killed goes first. CREATE DATABASE ...
    # TEMPLATE needs nobody connected to the template: the drop closed ours.
    _database_drop(name)
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


def _database_drop(name: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _build():
    from site_config.demo.build import demo_site_build

    return demo_site_build()


@contextmanager
def demo_lent() -> Iterator[object]:
    """The demo in the test database until the block ends; its build's report.

    Call it where the test database may be used (a module fixture inside
    `django_db_blocker.unblock()`) and outside any transaction.
    """
    if connection.in_atomic_block:
        raise RuntimeError("the demo is lent outside a transaction only")
    lent = _sqlite_lent if connection.vendor == "sqlite" else _postgresql_lent
    with lent(), transaction.atomic():
        yield copy.deepcopy(_KEPT.report)
        transaction.set_rollback(True)


def demo_put_for_good() -> None:
    """The demo in the test database, committed, for a browser test (whose
    database is flushed when it ends): on SQLite the kept copy, built and kept
    first if there is none; on other databases built each time."""
    if connection.vendor == "sqlite":
        _sqlite_demo_put()
    else:
        _build()


def demo_copies_drop() -> None:
    """At the end of the process: drop the PostgreSQL copy."""
    if _KEPT.database is not None:
        _database_drop(_KEPT.database)
        _KEPT.database = None
