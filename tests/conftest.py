"""Fixtures shared by the whole suite."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from wagtail.models import Locale

import pytest
from pytest_django.plugin import blocking_manager_key

from tests.site_config.factories import home_page_make, locales_ensure
from tests.utils.demo_snapshot import demo_copies_drop, demo_lent
from tests.utils.migrated import baseline_restore, databases_from_template
from tests.utils.shared import built_for_module
from tests.utils.tools import missing_tools_summary


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: nothing cached from a rolled-back test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language.

    A request through LocaleMiddleware leaves its language active in the
    thread; the next test would otherwise read its messages in French.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    """The three content languages: en (default), fr and sw."""
    return locales_ensure()


@pytest.fixture
def home_page(locales):
    """An English HomePage as the default site's root, replacing the stock page."""
    return home_page_make(locales)


@pytest.fixture
def demo_site(db):
    """The whole demo site, as `manage.py load_demo_content` builds it."""
    from site_config.demo.build import demo_site_build

    return demo_site_build()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, django_db_blocker
):
    """Each test process's database is a copy of one migrated template
    (tests/utils/migrated.py), not migrated from nothing."""
    with django_db_blocker.unblock():
        holder = databases_from_template()
    yield
    if holder is not None:
        holder.close()


@pytest.fixture(scope="session")
def demo_copies(django_db_setup, django_db_blocker):
    """The process's kept demo (tests/utils/demo_snapshot.py), dropped at its end."""
    yield
    with django_db_blocker.unblock():
        demo_copies_drop()


@pytest.fixture(scope="module")
def demo_site_shared(demo_copies, django_db_blocker):
    """The demo site lent to a module whose every test uses it; its build's report.

    Built once per test process and copied in (tests/utils/demo_snapshot.py).
    Each test runs in a savepoint inside the module's transaction, rolled back
    after it, and the transaction is rolled back when the module ends. Not for
    a module that also holds tests without the demo: they would run inside it
    too.
    """
    with django_db_blocker.unblock(), demo_lent() as report:
        yield report


@pytest.fixture(scope="module")
def module_rows(request, django_db_setup, django_db_blocker):
    """What the test module's `rows_build()` returns, built once for the module
    and rolled back at its end (tests/utils/shared.py). The module's own
    fixture hands each test `rows_again(module_rows)`."""
    with built_for_module(django_db_blocker, request.module.rows_build) as built:
        yield built


# The fixtures through which a test reaches the test database (pytest-django
# refuses it to every other test; its `django_db_blocker` is in every test).
DATABASE_FIXTURES = frozenset({"_django_db_helper", "django_db_setup", "live_server"})


# The fixtures through which a test reaches a database that is flushed when it
# ends (a live server's requests cannot see a transaction the test holds open).
FLUSHING_FIXTURES = frozenset({"transactional_db", "live_server"})


def flushes_database(item) -> bool:
    """Whether the test commits, and its database is emptied when it ends."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return not FLUSHING_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def restores_serialized_rows(item) -> bool:
    """Whether the test starts by saving the rows serialized when the test
    database was made (`serialized_rollback`)."""
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("serialized_rollback"))


# Whether a flush has emptied this process's test database since it was copied.
_flushed = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    global _flushed  # noqa: PLW0603 - one flag for the process's one database
    try:
        return (yield)
    finally:
        _flushed = _flushed or flushes_database(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that runs in a transaction starts from the migrated rows.

    pytest-django orders those tests before the transactional ones, but a
    worker that runs out of tests takes some from another (`--dist
    worksteal`), and may take them after its own transactional tests have
    flushed its database (no root page, no default site, no root
    collection). Put the template back before the test's fixtures, module
    fixtures included, are set up. Transactional tests build what they need
    on an empty database themselves, as the live site's fixtures do.

    A transactional test with `serialized_rollback` gets the template too:
    Django saves the rows serialized from the template over the database,
    and a flush without it has made the content types again under new ids
    (the same names under other ids: a unique constraint refuses them).
    """
    global _flushed  # noqa: PLW0603
    if not _flushed or not uses_database(item):
        return
    if flushes_database(item) and not restores_serialized_rows(item):
        return
    with item.config.stash[blocking_manager_key].unblock():
        baseline_restore()
    _flushed = False


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the test database: for a run on a "
        "second database, where the others would do the same work again "
        "(CI runs them on SQLite only).",
    )


def uses_database(item) -> bool:
    """Whether the test reaches the test database (its marker or fixtures)."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept, dropped = [], []
    for item in items:
        (kept if uses_database(item) else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def pytest_sessionstart(session):
    """Compile each translation catalogue whose .po is newer than its .mo.

    `make install` does it too; this covers pytest run by hand after editing a
    .po. Written to a temporary file and renamed, so parallel workers never
    read half a file.
    """
    if shutil.which("msgfmt") is None:
        return
    for po in (Path(__file__).resolve().parents[1] / "locale").glob("*/*/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        handle, partial = tempfile.mkstemp(dir=po.parent, suffix=".mo.partial")
        os.close(handle)
        subprocess.run(  # noqa: S603 - fixed arguments, our own files
            ["msgfmt", "--check", f"--output-file={partial}", str(po)],  # noqa: S607
            check=True,
        )
        os.replace(partial, mo)


def pytest_terminal_summary(terminalreporter):
    """Say once, at the end, which tools are missing and what they skipped."""
    reasons = [
        report.longrepr[2]
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3
    ]
    lines = missing_tools_summary(reasons)
    if lines:
        terminalreporter.section("missing tools (`sudo make system-packages`)")
        for line in lines:
            terminalreporter.write_line(line)
