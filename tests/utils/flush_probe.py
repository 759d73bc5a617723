"""Run by test_migrated.py in a pytest of its own, as a plugin and as its tests:
a transactional test, then one that reads the migrations' rows (the order a
worker of `--dist worksteal` may run them in when it takes tests from another
after its own transactional ones); then again a transactional test, and one
that starts from the rows serialized when the database was made
(`serialized_rollback`, after another transactional test in `make bench`).
pytest-django orders them otherwise, so this plugin puts them back by name.

Models are imported in the tests: a plugin is imported before Django is set up.
"""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.name)


@pytest.mark.django_db(transaction=True)
def test_1_commits_and_its_database_is_flushed():
    from wagtail.models import Site

    assert Site.objects.filter(is_default_site=True).exists()


@pytest.mark.django_db
def test_2_finds_the_rows_the_migrations_made():
    from django.contrib.auth.models import Group

    from wagtail.models import Collection, Page, Site

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.get_parent() == Page.get_first_root_node()
    assert Collection.get_first_root_node() is not None
    assert Group.objects.get(name="Editors").permissions.exists()


@pytest.mark.django_db(transaction=True)
def test_3_commits_and_its_database_is_flushed_again():
    from wagtail.models import Site

    assert Site.objects.filter(is_default_site=True).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_4_starts_from_the_serialized_rows_after_a_flush():
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page, Site

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.get_parent() == Page.get_first_root_node()
    assert ContentType.objects.get_for_model(Page).model == "page"
