"""The Arms Trade Bulletin: regional sections on the web, its feed."""

import pytest

from tests.briefings.digest_factories import item_raw, section_raw, sections_json
from tests.briefings.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db


def test_bulletin_sections_are_headed_by_region_and_theme(client, home_page):
    index = BulletinIndexPageFactory(parent=home_page)
    issue = BulletinPageFactory(
        parent=index,
        focus_title="Arms embargoes",
        sections=sections_json(
            section_raw(
                "",
                [item_raw(title="Embargo renewed", url="https://un.example/1")],
                region="africa",
                theme="Arms embargoes",
            ),
            section_raw("", [], region="europe", theme=""),
        ),
    )

    html = client.get(issue.url).content.decode()

    assert '<h2 id="section-1" dir="auto">Africa — Arms embargoes</h2>' in html
    assert '<h2 id="section-2" dir="auto">Europe</h2>' in html
    assert 'href="/en/bulletins/feed/"' in html
    feed = client.get("/en/bulletins/feed/").content.decode()
    assert "Arms embargoes" in feed
