"""A source's state in words, and the sources listing that shows it."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from briefings.news.ingest.refresh import source_failure_record
from briefings.news.models import NewsSource
from tests.briefings.news.factories import NewsSourceFactory

pytestmark = pytest.mark.django_db

SOURCES = "news_newssource_modeladmin_index"
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_an_inactive_source_claims_no_health_and_no_next_poll():
    source = NewsSource(
        is_active=False, last_fetched_at=AT, next_poll_at=AT, failure_count=2
    )

    state = source.state()

    assert (state.kind, state.text) == ("inactive", "Inactive: not polled")


def test_a_source_never_fetched_says_so():
    assert NewsSource(is_active=True).state().text == "Not fetched yet"


def test_a_healthy_source_names_its_next_poll(settings):
    settings.TIME_ZONE = "UTC"
    source = NewsSource(is_active=True, last_fetched_at=AT, next_poll_at=AT)

    assert source.state().text == "Healthy; next poll 2 Mar 2026, 09:30"


def test_a_failing_source_says_since_when_how_often_and_until_when(settings):
    settings.TIME_ZONE = "UTC"
    source = NewsSource(
        is_active=True,
        last_fetched_at=AT + timedelta(hours=2),
        failing_since=AT,
        failure_count=3,
        next_poll_at=AT + timedelta(hours=4),
    )

    state = source.state()

    assert state.kind == "failing"
    assert state.text == (
        "Failing since 2 Mar 2026, 09:30 (3 failed polls in a row); "
        "backing off until 2 Mar 2026, 13:30"
    )


def test_failing_since_is_the_first_failure_of_the_run():
    source = NewsSourceFactory()
    source_failure_record(source=source, error="The server answered 500.")
    first = NewsSource.objects.get(pk=source.pk).failing_since
    source_failure_record(source=source, error="The server answered 500.")

    source.refresh_from_db()
    assert source.failure_count == 2
    assert source.failing_since == first


def test_the_listing_shows_states_and_the_error_in_words(admin_client):
    NewsSourceFactory(title="Dormant feed", is_active=False)
    NewsSourceFactory(
        title="Broken feed",
        failing=True,
        failing_since=timezone.now() - timedelta(days=1),
        next_poll_at=timezone.now() + timedelta(hours=2),
    )

    page = admin_client.get(reverse(SOURCES)).content.decode()

    assert "Inactive: not polled" in page
    assert "Failing since" in page and "backing off until" in page
    assert "The server answered 500 (an error)." in page
    assert "Health" not in page and ">OK<" not in page
    assert "news/css/admin.css" in page


def test_the_sources_listing_query_count_does_not_grow(
    admin_client, django_assert_num_queries
):
    NewsSourceFactory.create_batch(2)
    NewsSourceFactory(failing=True, last_fetched_at=timezone.now())
    admin_client.get(reverse(SOURCES))
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(reverse(SOURCES)).status_code == 200
    NewsSourceFactory.create_batch(40)

    with django_assert_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse(SOURCES))

    assert response.content.decode().count('form="news-fetch-now"') == 43


def test_the_inspect_view_labels_fields_in_sentence_case(admin_client):
    source = NewsSourceFactory()

    page = admin_client.get(
        reverse("news_newssource_modeladmin_inspect", args=[source.pk])
    ).content.decode()

    assert "Poll interval (minutes)" in page
    assert "poll interval (minutes)" not in page
