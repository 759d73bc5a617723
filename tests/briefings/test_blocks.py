"""Section blocks: copied fields filled from the origin, required fields, chooser."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from briefings.blocks import ExternalLinkBlock, NewsItemBlock, PublicationBlock
from briefings.news.choices import NewsStatus
from tests.briefings.news.factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def _value(block, **fields):
    return block.to_python({name: fields.get(name) for name in block.child_blocks})


def test_choosing_a_news_item_fills_the_empty_copied_fields():
    item = NewsItemFactory(
        title="Tin exports hold steady",
        summary_html="<p>Flat <em>again</em>.</p>",
        published_at=datetime.datetime(2019, 12, 3, 8, tzinfo=datetime.UTC),
    )
    block = NewsItemBlock()

    value = block.clean(_value(block, news_item=item.pk, comment="Watch this."))

    assert value["title"] == "Tin exports hold steady"
    assert value["source"] == item.source.title
    assert value["date"] == datetime.date(2019, 12, 3)
    assert value["url"] == item.link
    assert value["summary"] == "Flat again."
    assert value["comment"] == "Watch this."


def test_edited_copied_fields_are_kept():
    item = NewsItemFactory(title="Original title")
    block = NewsItemBlock()

    value = block.clean(_value(block, news_item=item.pk, title="Our better title"))

    assert value["title"] == "Our better title"


def test_an_item_needs_a_title_or_an_origin():
    block = NewsItemBlock()
    with pytest.raises(ValidationError):
        block.clean(_value(block, summary="No title"))


def test_an_external_link_needs_its_address():
    block = ExternalLinkBlock()
    with pytest.raises(ValidationError):
        block.clean(_value(block, title="Somewhere"))
    value = block.clean(_value(block, title="Somewhere", url="https://a.example/"))
    assert value["url"] == "https://a.example/"


def test_choosing_a_publication_copies_its_title_date_and_summary(home_page):
    from tests.publications.factories import PublicationPageFactory

    report = PublicationPageFactory(
        parent=home_page,
        title="Mapping artisanal mining",
        publication_date=datetime.date(2019, 10, 1),
        summary="Sites, minerals and armed presence.",
    )
    block = PublicationBlock()

    value = block.clean(_value(block, publication=report.pk))

    assert value["title"] == "Mapping artisanal mining"
    assert value["date"] == datetime.date(2019, 10, 1)
    assert value["summary"] == "Sites, minerals and armed presence."


def test_news_chooser_lists_shortlisted_items_first_and_hides_dismissed(
    client, django_user_model
):
    client.force_login(
        django_user_model.objects.create_superuser("boss", "b@example.org", "pw")
    )
    NewsItemFactory(title="Fresh item", status=NewsStatus.NEW)
    NewsItemFactory(title="Picked item", status=NewsStatus.SHORTLISTED)
    NewsItemFactory(title="Binned item", status=NewsStatus.DISMISSED)

    response = client.get(reverse("news_item_chooser:choose"))
    html = response.json()["html"]

    assert response.status_code == 200
    assert html.index("Picked item") < html.index("Fresh item")
    assert "Binned item" not in html
