"""A list of ids for a filter (theme.id_list): the same rows on both databases,
one parameter on SQLite."""

from django.db import connection

from wagtail.models import Page

import pytest

from theme.id_list import ids_in

pytestmark = pytest.mark.django_db


def _filtered(ids) -> list[int]:
    return sorted(Page.objects.filter(pk__in=ids_in(ids)).values_list("pk", flat=True))


def test_the_ids_select_exactly_their_rows():
    pages = sorted(Page.objects.values_list("pk", flat=True))
    assert len(pages) >= 2  # Wagtail's root and its default home
    found = _filtered([pages[-1], pages[0], 999_999_999])
    assert found == [pages[0], pages[-1]]


def test_no_ids_select_nothing():
    assert _filtered([]) == []


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL is given the plain list"
)
def test_five_hundred_ids_are_one_parameter_on_sqlite():
    pages = list(Page.objects.values_list("pk", flat=True))
    ids = pages + list(range(10_000_000, 10_000_500))
    queryset = Page.objects.filter(pk__in=ids_in(ids))
    _sql, params = queryset.query.sql_with_params()
    assert len(params) == 1  # not one placeholder per id
    assert sorted(queryset.values_list("pk", flat=True)) == sorted(pages)


def test_values_that_are_not_ids_are_refused_before_the_query():
    with pytest.raises(ValueError):
        ids_in(["1", "2; DROP TABLE wagtailcore_page"])
