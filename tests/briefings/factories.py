"""Digest pages, and their sections as raw StreamField data (as editors or the
inbox write them)."""

import datetime
import json
import uuid

import factory
import wagtail_factories

from briefings.models import BriefingIndexPage, BriefingPage


class BriefingIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BriefingIndexPage

    title = "Briefing"
    slug = "briefing"
    intro = "Every month, an editorial and a selection of news."


class BriefingPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BriefingPage

    title = factory.Sequence(lambda n: f"Briefing {n}")
    issue_date = factory.Sequence(
        lambda n: datetime.date(2019, 1, 15) + datetime.timedelta(days=31 * n)
    )
    focus_title = factory.Sequence(lambda n: f"Focus topic {n}")
    standfirst = "A short introduction to the issue."
    editorial = "<p>What we think this month.</p>"


def issue_build(home_page, locales):
    """A published Briefing with a published French translation (no Swahili)."""
    index = BriefingIndexPageFactory(parent=home_page)
    page = BriefingPageFactory(parent=index, title="Briefing March 2020")
    index.copy_for_translation(locales["fr"], copy_parents=True)
    french = page.copy_for_translation(locales["fr"])
    french.title = "Briefing mars 2020"
    french.save_revision().publish()
    return page


def item_raw(kind: str = "link", **fields) -> dict:
    value = {
        "title": fields.pop("title", "An article"),
        "source": fields.pop("source", ""),
        "date": fields.pop("date", None),
        "url": fields.pop("url", ""),
        "summary": fields.pop("summary", ""),
        "comment": fields.pop("comment", ""),
        **fields,
    }
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def section_raw(heading: str = "News", items=(), **fields) -> dict:
    return {
        "type": "section",
        "value": {"heading": heading, "intro": "", "items": list(items), **fields},
        "id": str(uuid.uuid4()),
    }


def sections_json(*sections) -> str:
    return json.dumps(list(sections))


def many_items(count: int, *, base: str = "https://news.example/") -> list[dict]:
    return [
        item_raw(
            "link",
            title=f"Article number {number} on mining and arms",
            source=f"Source {number % 7}",
            date=f"2019-12-{1 + number % 28:02d}",
            url=f"{base}{number}",
            summary="Traders and officials met to discuss export figures. " * 3,
            comment="Worth reading for the figures." if number % 3 == 0 else "",
        )
        for number in range(count)
    ]
