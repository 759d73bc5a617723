"""Rows built once for a test module, and read again for each of its tests.

Building a site's pages costs a few hundred milliseconds per test; a module
whose thirty tests read the same pages can build them once. The module's rows
live in one transaction rolled back when the module ends; pytest-django runs
each test in a savepoint inside it, rolled back after the test, so what a test
changes never reaches the next. Each test gets the rows read again from the
database: an object one test changed in memory (a page's child count after
`add_child`, a title set but not saved) is not the next test's.

A module defines `rows_build()`; the conftest's `module_rows` fixture builds
it once, and the module's own fixture gives each test `rows_again(module_rows)`.
Not for a module with transactional tests: they would commit inside it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass, replace

from django.db import models, transaction


@contextmanager
def built_for_module(django_db_blocker, build: Callable[[], object]) -> Iterator:
    """What `build()` returns, its rows kept until the block ends, then rolled back.

    Use it in a module fixture that asks for `django_db_setup`.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def rows_again(value):
    """`value` with every model instance in it read again from the database.

    Dicts, lists, tuples and dataclasses are walked; anything else is kept.
    """
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: rows_again(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(rows_again(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value,
            **{
                field.name: rows_again(getattr(value, field.name))
                for field in fields(value)
                if field.init
            },
        )
    return value
