"""`--database-tests-only`: CI's second database runs only the tests that
open the test database; the others do the same work on any database."""

import subprocess
import sys

import pytest

from tests.conftest import uses_database
from tests.utils.tools import PROJECT_ROOT


class _Item:
    def __init__(self, *, marked=False, fixturenames=()):
        self._marked = marked
        self.fixturenames = fixturenames

    def get_closest_marker(self, name):
        return object() if self._marked and name == "django_db" else None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (_Item(marked=True), True),
        (_Item(fixturenames=("db", "_django_db_helper", "django_db_blocker")), True),
        (_Item(fixturenames=("django_db_setup", "django_db_blocker")), True),
        (_Item(fixturenames=("live_server", "django_db_blocker")), True),
        # pytest-django gives every test its blocker, which only refuses.
        (_Item(fixturenames=("tmp_path", "django_db_blocker")), False),
    ],
)
def test_a_test_uses_the_database_by_its_marker_or_fixtures(item, expected):
    assert uses_database(item) is expected


def test_collection_keeps_the_database_tests_and_drops_the_others():
    listed = subprocess.run(  # noqa: S603 - our own interpreter and tests
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:randomly",
            "--database-tests-only",
            "tests/utils/test_bench_harness.py",
            "tests/theme/test_fulltext.py",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tests/theme/test_fulltext.py::test_one_query_every_word" in listed
    assert "test_percentile_interpolates_between_ranks" not in listed
    assert "deselected" in listed
