"""`load_demo_content` on a database of its own per test: the admin's password,
the bounds of --scale, an emptied database. The runs on one shared build are
in test_demo_content_runs.py."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wagtail.models import Page, Site

import pytest

from briefings.models import BriefingPage
from briefings.news.models import NewsItem
from briefings.newsletter.models import Subscriber
from publications.models import (
    Country,
    Organisation,
    Person,
    Programme,
)
from site_config.models import HomePage, NavigationItem

pytestmark = pytest.mark.django_db

COUNTED = (
    Page,
    Programme,
    Country,
    Organisation,
    Person,
    NavigationItem,
    NewsItem,
    BriefingPage,
    Subscriber,
)


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def _load(*args) -> str:
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def test_admin_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-chosen-password-42")

    output = _load()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("a-chosen-password-42")
    assert "a-chosen-password-42" in output

    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "another-password-43")
    assert "reset from DEMO_ADMIN_PASSWORD" in _load()
    admin.refresh_from_db()
    assert admin.check_password("another-password-43")


@pytest.mark.parametrize("scale", ["-1", "100001"])
def test_scale_out_of_range_is_refused_with_a_clear_message(scale):
    with pytest.raises(CommandError, match="--scale must be between 0 and 100000"):
        _load("--scale", scale)

    assert not Programme.objects.exists()


def test_demo_content_rebuilds_an_emptied_database(client):
    Site.objects.all().delete()
    Page.objects.all().delete()
    assert Page.get_first_root_node() is None

    _load()

    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert client.get("/en/").status_code == 200
