"""`load_demo_content` on a database of its own per test: the admin's password,
the bounds of --scale, an emptied database. The runs on one shared build are
in test_demo_content_runs.py."""

from django.contrib.auth import get_user_model
from django.core.management import CommandError

from wagtail.models import Page, Site

import pytest

from publications.models import Programme
from site_config.models import HomePage
from tests.site_config.test_demo_content_runs import demo_content_load as _load

pytestmark = pytest.mark.django_db


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
