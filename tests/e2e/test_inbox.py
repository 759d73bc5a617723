"""The editor's day in the admin at 1280 px: the dashboard, fetching the demo
feed held back, working through the inbox, and composing the draft Briefing."""

import re

import pytest
from playwright.sync_api import expect

from briefings.models import BriefingPage
from briefings.news.models import NewsItem, NewsSource
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HELD_BACK = "Gold Supply Chain Watch"


def inbox_script_wait(page):
    """Until the inbox's script has set up its keys and ticking (it is
    deferred: on a slow machine a key pressed earlier goes nowhere)."""
    expect(page.locator("[data-news-inbox][data-inbox-ready]")).to_be_attached()


def test_an_editor_fetches_filters_shortlists_and_composes(
    site_url, page, django_user_model, settings
):
    # The live server is the site: the held-back demo source points at it.
    settings.NEWS_DEMO_FEEDS_SERVED = True
    source = NewsSource.objects.get(title=HELD_BACK)
    source.feed_url = f"{site_url}/demo-feeds/gold-supply-chain-watch.xml"
    source.save(update_fields=["feed_url"])
    draft = BriefingPage.objects.get(slug="briefing-january-2020")
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    sign_in(page, site_url, "editor", "pw")

    # The dashboard: the day's work, a failing feed among it.
    for heading in ("News inbox", "Failing feeds", "Next issues", "Last dispatches"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(
        page.get_by_role("link", name="Central Africa Conflict Notes")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Briefing January 2020")).to_be_visible()
    assert_no_axe_violations(page, context="dashboard")

    # Fetch the held-back feed from the sources list.
    page.goto(f"{site_url}/admin/news/newssource/")
    row = page.get_by_role("row").filter(has_text=HELD_BACK)
    expect(row.get_by_text("Not fetched yet")).to_be_visible()
    assert_no_axe_violations(page, context="sources")
    row.get_by_role("button", name="Fetch now").click()
    expect(page.get_by_text(f"{HELD_BACK} fetched: 11 new")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=HELD_BACK)
    expect(row.get_by_text(re.compile(r"^Healthy; next poll"))).to_be_visible()

    # The inbox: filter to the new items, tick the page, shortlist them.
    page.goto(f"{site_url}/admin/news/newsitem/?clear=1")
    page.get_by_label("Source", exact=True).select_option(label=HELD_BACK)
    page.get_by_label("Status", exact=True).select_option("new")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("11 matching items")).to_be_visible()
    inbox_script_wait(page)
    # Keys: j moves to the first row, x ticks it and again unticks, / searches.
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.get_by_text("1 ticked")).to_be_visible()
    page.keyboard.press("x")
    expect(page.get_by_text("None ticked")).to_be_visible()
    page.keyboard.press("/")
    expect(page.locator("#news-filter-q")).to_be_focused()
    row = page.locator("[data-inbox-row]").first
    row.get_by_text("Excerpt").click()
    expect(row.locator("details p")).to_be_visible()
    assert_no_axe_violations(page, context="inbox, filtered")
    page.get_by_role("checkbox", name="Tick every item on this page").check()
    expect(page.get_by_text("11 ticked")).to_be_visible()
    expect(
        page.get_by_label("Programmes", exact=True)
    ).to_be_hidden()  # not the chosen action
    page.locator("#news-bulk").get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Shortlist: 11 item(s).")).to_be_visible()

    # The filters are kept: back on the inbox, the same source is chosen.
    page.goto(f"{site_url}/admin/news/newsitem/")
    expect(page.get_by_label("Source", exact=True)).to_have_value(str(source.pk))
    page.get_by_role("link", name=re.compile(r"^Shortlisted")).click()
    expect(page.get_by_text("11 matching items")).to_be_visible()
    inbox_script_wait(page)

    # Add them all to the draft Briefing, in one section.
    page.get_by_role("checkbox", name="Tick every item on this page").check()
    page.get_by_label("Action", exact=True).select_option("add_to_digest")
    page.get_by_label("Draft digest", exact=True).select_option(str(draft.pk))
    page.get_by_label("Section", exact=True).fill("Artisanal gold")
    expect(page.get_by_label("Programmes", exact=True)).to_be_hidden()
    assert_no_axe_violations(page, context="inbox, adding to a draft")
    page.locator("#news-bulk").get_by_role("button", name="Apply").click()
    expect(
        page.get_by_text(re.compile(r"11 item\(s\) added to “Briefing January 2020”"))
    ).to_be_visible()

    revision = draft.specific_class.objects.get(pk=draft.pk)
    sections = revision.get_latest_revision_as_object().sections
    assert [section.value["heading"] for section in sections] == ["Artisanal gold"]
    assert len(sections[0].value["items"]) == 11
    assert source.items.filter(used_in=draft).count() == 11
    assert not NewsItem.objects.filter(source=source, status="new").exists()
