"""The API tells a digest issue as its web page shows it: Briefings and Arms Trade
Bulletins, published versions only, in constant queries."""

import datetime

import pytest

from tests.briefings.factories import (
    BriefingIndexPageFactory,
    BriefingPageFactory,
    item_raw,
    section_raw,
    sections_json,
)
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.publications.factories import PublicationPageFactory

pytestmark = pytest.mark.django_db


def api_items(client, model: str) -> list[dict]:
    response = client.get("/api/v2/pages/", {"type": model, "fields": "*", "limit": 50})
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def briefing(home_page, library, taxonomy):
    report = PublicationPageFactory(parent=library, title="Gold in Ituri")
    withdrawn = PublicationPageFactory(parent=library, title="Withdrawn", live=False)
    index = BriefingIndexPageFactory(parent=home_page)
    return BriefingPageFactory(
        parent=index,
        issue_date=datetime.date(2020, 3, 5),
        focus_title="Gold exports",
        author=taxonomy.merket,
        sections=sections_json(
            section_raw(
                "Natural resources",
                [
                    item_raw(
                        "news_item",
                        title="Traders return",
                        source="Radio Okapi",
                        date="2020-02-20",
                        url="https://news.example/1",
                        comment="Figures inside.",
                    ),
                    item_raw(
                        "publication", title="Gold in Ituri", publication=report.pk
                    ),
                    item_raw(
                        "publication", title="Withdrawn", publication=withdrawn.pk
                    ),
                ],
            )
        ),
    ), report


def test_briefing_tells_its_issue_and_sections(client, briefing):
    page, report = briefing
    (item,) = api_items(client, "briefings.BriefingPage")

    assert item["id"] == page.pk
    assert item["issue_date"] == "2020-03-05"
    assert item["period"] == "March 2020"
    assert item["focus_title"] == "Gold exports"
    assert item["author"] == {"name": "Hans Merket"}
    assert "What we think this month." in item["editorial"]
    (section,) = item["sections"]
    assert section["heading"] == "Natural resources"
    news, publication, withdrawn = section["items"]
    assert news == {
        "type": "news_item",
        "title": "Traders return",
        "source": "Radio Okapi",
        "url": "https://news.example/1",
        "summary": "",
        "comment": "Figures inside.",
        "date": "2020-02-20",
    }
    assert publication["publication"] == {
        "id": report.pk,
        "html_url": f"http://testserver/en/publications/{report.slug}/",
    }
    assert publication["url"] == publication["publication"]["html_url"]
    # An unpublished publication is named as copied, never linked.
    assert withdrawn["publication"] is None and withdrawn["url"] == ""


def test_draft_edits_of_an_issue_are_not_told(client, briefing):
    page, _report = briefing
    page.focus_title = "Unreviewed focus"
    page.sections = sections_json(section_raw("Unreviewed section"))
    page.save_revision()

    (item,) = api_items(client, "briefings.BriefingPage")
    assert item["focus_title"] == "Gold exports"
    assert [s["heading"] for s in item["sections"]] == ["Natural resources"]


def test_bulletin_sections_name_region_and_theme(client, home_page):
    index = BulletinIndexPageFactory(parent=home_page)
    BulletinPageFactory(
        parent=index,
        sections=sections_json(
            section_raw(
                "", [item_raw(title="Exports")], region="africa", theme="Arms transfers"
            )
        ),
    )

    (item,) = api_items(client, "bulletins.BulletinPage")
    (section,) = item["sections"]
    assert section["heading"] == "Africa — Arms transfers"
    assert (section["region"], section["theme"]) == ("africa", "Arms transfers")


@pytest.mark.parametrize("model", ["briefings.BriefingPage", "bulletins.BulletinPage"])
def test_listing_queries_do_not_grow_with_issues(
    client, home_page, library, taxonomy, django_assert_max_num_queries, model
):
    report = PublicationPageFactory(parent=library, title="Gold in Ituri")
    if model == "briefings.BriefingPage":
        index, factory = BriefingIndexPageFactory(parent=home_page), BriefingPageFactory
    else:
        index, factory = BulletinIndexPageFactory(parent=home_page), BulletinPageFactory

    def grow(count):
        for _n in range(count):
            factory(
                parent=index,
                author=taxonomy.mawala,
                sections=sections_json(
                    section_raw(
                        "News",
                        [item_raw(), item_raw("publication", publication=report.pk)],
                        **(
                            {"region": "africa", "theme": ""}
                            if "bulletin" in model
                            else {}
                        ),
                    )
                ),
            )

    grow(2)
    api_items(client, model)
    with django_assert_max_num_queries(20) as few:
        assert len(api_items(client, model)) == 2
    grow(18)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_items(client, model)) == 20
