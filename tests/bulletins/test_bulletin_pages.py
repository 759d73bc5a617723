"""The Arms Trade Bulletin: regional sections on the web, its feed."""

import pytest

from briefings.compose import digest_news_items_add
from bulletins.models import BulletinPage
from tests.briefings.factories import item_raw, section_raw, sections_json
from tests.briefings.news.factories import NewsItemFactory
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory

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


def test_bulletin_items_go_to_the_region_section(home_page):
    index = BulletinIndexPageFactory(parent=home_page)
    page = BulletinPageFactory(parent=index, live=False)
    item = NewsItemFactory()

    digest_news_items_add(page=page, item_ids=[item.pk], section_heading="Middle East")
    digest_news_items_add(
        page=page, item_ids=[NewsItemFactory().pk], section_heading="middle east"
    )

    sections = (
        BulletinPage.objects.get(pk=page.pk).get_latest_revision_as_object().sections
    )
    assert len(sections) == 1
    assert sections[0].value["region"] == "middle_east"
    assert len(sections[0].value["items"]) == 2


def test_a_heading_naming_a_region_finds_that_regions_untitled_section():
    sections = [
        section_raw("", region="europe", theme="Export licensing"),
        section_raw("", region="africa", theme=""),
        section_raw("Arms fairs", region="global", theme=""),
    ]

    assert BulletinPage.section_raw_for(sections, "Africa") is sections[1]
    assert BulletinPage.section_raw_for(sections, "arms fairs") is sections[2]
    assert BulletinPage.section_raw_for(sections, "Europe") not in sections[:3]
    new = BulletinPage.section_raw_for(sections, "Private security")
    assert new["value"]["region"] == "global"
    assert new["value"]["heading"] == "Private security"


def test_a_section_without_heading_is_headed_by_its_region_and_theme():
    assert BulletinPage.section_heading({"region": "asia", "theme": ""}) == "Asia"
    assert (
        BulletinPage.section_heading(
            {"region": "africa", "theme": "Diversion", "heading": ""}
        )
        == "Africa — Diversion"
    )
    assert BulletinPage.section_heading({"heading": " Our own ", "region": "asia"}) == (
        "Our own"
    )
