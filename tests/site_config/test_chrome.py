"""The cached site chrome (settings, menu) and routing by URL path."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from site_config.chrome import chrome_version
from site_config.models import SiteSettings
from tests.site_config.factories import NavigationItemFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_warm_page_reads_neither_settings_nor_menu(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About us")
    NavigationItemFactory(page=about)
    client.get(about.url)

    with CaptureQueriesContext(connection) as captured:
        client.get(about.url)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "site_config_sitesettings" not in tables
    assert "site_config_navigationitem" not in tables


def test_saving_the_settings_shows_at_once(client, home_page):
    client.get("/en/")
    site_settings = SiteSettings.objects.get()
    site_settings.organisation_name = "Peace Information Service"
    site_settings.save()

    html = client.get("/en/").content.decode()

    assert "Peace Information Service" in html


def test_a_new_menu_item_shows_at_once(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About us")
    assert "About us" not in client.get("/en/").content.decode()  # no menu yet

    NavigationItemFactory(page=about)

    assert "About us" in _nav(client.get("/en/").content.decode())


def test_publishing_a_renamed_page_renames_its_menu_item(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About us")
    NavigationItemFactory(page=about)
    assert "About us" in _nav(client.get("/en/").content.decode())

    about.title = "Who we are"
    about.save_revision().publish()

    nav = _nav(client.get("/en/").content.decode())
    assert "Who we are" in nav
    assert "About us" not in nav


def test_deleting_or_moving_a_page_bumps_the_version(home_page):
    about = StandardPageFactory(parent=home_page, title="About us")
    team = StandardPageFactory(parent=home_page, title="Team")
    before = chrome_version()
    team.move(about, pos="last-child")
    moved = chrome_version()
    about.delete()

    assert before != moved != chrome_version()


def test_pages_are_found_at_every_depth(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About", slug="about")
    history = StandardPageFactory(parent=about, title="History", slug="history")
    deeper = StandardPageFactory(parent=history, title="Founding", slug="founding")

    for page in (about, history, deeper):
        assert client.get(page.url).context["page"] == page


def test_routing_by_url_path_keeps_wagtail_answers(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About", slug="about")
    draft = StandardPageFactory(parent=home_page, title="Draft", slug="draft")
    draft.unpublish()
    under_draft = StandardPageFactory(parent=draft, title="Child", slug="child")

    assert client.get("/en/draft/").status_code == 404
    assert client.get("/en/nothing-here/").status_code == 404
    assert client.get("/en/about/nothing-here/").status_code == 404
    # Wagtail serves a live page under a draft one; so do we.
    assert client.get(under_draft.url).status_code == 200
    assert client.get(about.url).status_code == 200
