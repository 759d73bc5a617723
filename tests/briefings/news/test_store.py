"""Storing entries: identity, change detection, duplicates, odd entries."""

from datetime import timedelta

from django.utils import timezone

import pytest

from briefings.news.choices import NewsStatus
from briefings.news.inbox import news_items_status_set
from briefings.news.ingest import store
from briefings.news.ingest.store import entry_identity, feed_store, news_item_upsert
from briefings.news.models import NewsItem
from tests.briefings.news.factories import NewsSourceFactory
from tests.briefings.news.feeds import (
    entry,
    parsed,
)
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_new_entries_become_items_tagged_with_the_source_defaults(locales):
    programme, country = ProgrammeFactory(), CountryFactory()
    source = NewsSourceFactory(language="fr")
    source.default_programmes.add(programme)
    source.default_countries.add(country)

    report = feed_store(source=source, parsed=parsed(entry(1), entry(2)))

    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    item = NewsItem.objects.get(guid="guid-1")
    assert item.title == "Title 1"
    assert item.summary_html == "<p>Summary 1</p>"
    assert item.language == "fr"
    assert item.status == NewsStatus.NEW
    assert list(item.programmes.all()) == [programme]
    assert list(item.countries.all()) == [country]


def test_unchanged_entries_are_not_cleaned_again(monkeypatch):
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1), entry(2)))
    calls = []
    monkeypatch.setattr(store, "html_clean", lambda value: calls.append(value) or value)

    report = feed_store(source=source, parsed=parsed(entry(1), entry(2), entry(3)))

    assert (report.new, report.updated, report.unchanged) == (1, 0, 2)
    assert calls == ["<p>Summary 3</p>"]


def test_a_changed_entry_updates_its_text_but_not_status_or_tags(locales):
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1)))
    item = NewsItem.objects.get()
    item.status = NewsStatus.SHORTLISTED
    item.save()
    programme = ProgrammeFactory()
    item.programmes.add(programme)

    report = feed_store(source=source, parsed=parsed(entry(1, title="Corrected")))

    item.refresh_from_db()
    assert report.updated == 1
    assert item.title == "Corrected"
    assert item.status == NewsStatus.SHORTLISTED
    assert list(item.programmes.all()) == [programme]


def test_identity_falls_back_from_guid_to_link_to_title_and_date():
    with_guid = entry(1)
    with_link = entry(1, guid="")
    with_title = entry(1, guid="", link="")

    identities = {entry_identity(entry=e) for e in (with_guid, with_link, with_title)}

    assert len(identities) == 3
    assert entry_identity(entry=entry(1, guid="", title="Other")) == entry_identity(
        entry=with_link
    )
    assert entry_identity(entry=entry(1, guid="", link="", title="Other")) != (
        entry_identity(entry=with_title)
    )


def test_dismissed_items_are_not_re_added():
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1)))
    news_items_status_set(
        item_ids=list(NewsItem.objects.values_list("pk", flat=True)),
        status=NewsStatus.DISMISSED,
    )

    report = feed_store(source=source, parsed=parsed(entry(1)))

    assert report.new == 0
    assert NewsItem.objects.get().status == NewsStatus.DISMISSED


def test_items_that_leave_the_feed_stay_in_the_inbox():
    source = NewsSourceFactory()
    feed_store(source=source, parsed=parsed(entry(1), entry(2)))

    feed_store(source=source, parsed=parsed(entry(3)))

    assert NewsItem.objects.count() == 3


def test_the_same_article_from_two_sources_is_shown_once_with_both_sources():
    first, second = NewsSourceFactory(title="First"), NewsSourceFactory(title="Second")
    feed_store(source=first, parsed=parsed(entry(1, link="https://News.example/a")))

    report = feed_store(
        source=second,
        parsed=parsed(
            entry(9, link="https://news.example/a?utm_source=rss&fbclid=1#frag")
        ),
    )

    assert report.duplicates == 1
    inbox = list(NewsItem.objects.inbox().for_listing())
    assert len(inbox) == 1
    assert [s.title for s in inbox[0].all_sources()] == ["First", "Second"]


def test_entries_repeating_an_identity_are_stored_once():
    source = NewsSourceFactory()

    report = feed_store(source=source, parsed=parsed(entry(1), entry(1, title="Again")))

    assert report.new == 1
    assert "repeated an identity" in " ".join(report.notes)


def test_odd_entries_are_stored_sensibly():
    source = NewsSourceFactory()
    future = timezone.now() + timedelta(days=400)

    news_item_upsert(
        source=source,
        entry=entry(
            1,
            title="",
            title_is_html=False,
            link="javascript:alert(1)",
            summary="Plain <text> & more",
            summary_is_html=False,
            published=future,
        ),
    )

    item = NewsItem.objects.get()
    assert item.title == "Plain <text> & more"
    assert item.link == item.canonical_url == ""
    assert item.summary_html == "Plain &lt;text&gt; &amp; more"
    assert item.published_at < timezone.now() + timedelta(days=2)


def test_html_titles_become_text():
    source = NewsSourceFactory()

    news_item_upsert(
        source=source,
        entry=entry(
            1, title="<b>Bold</b> &amp; <script>x()</script>", title_is_html=True
        ),
    )

    assert NewsItem.objects.get().title == "Bold &"


def test_past_the_work_deadline_summaries_are_kept_as_text():
    source = NewsSourceFactory()
    document = parsed(
        entry(1, summary='<p>Read <a href="https://a.example/">this</a></p>')
    )

    report = feed_store(source=source, parsed=document, clean_deadline=0.0)

    item = NewsItem.objects.get(source=source)
    assert "<a" not in item.summary_html
    assert "this" in item.summary_html
    assert "cleaning time budget ran out" in report.notes[0]
