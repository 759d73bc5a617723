from wagtail.models import Page, Site

import pytest

from site_config.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_renders_its_title(client):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Research for peace", slug="en"))
    Site.objects.update(root_page=home)

    response = client.get("/en/")

    assert response.status_code == 200
    assert b"Research for peace" in response.content
