"""News sources and items."""

import datetime

import factory
from factory.django import DjangoModelFactory

from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem, NewsSource


class NewsSourceFactory(DjangoModelFactory):
    class Meta:
        model = NewsSource

    class Params:
        failing = factory.Trait(
            failure_count=3, last_error="The server answered 500 (an error)."
        )

    title = factory.Sequence(lambda n: f"Source {n}")
    # Loopback's discard port: a source fetched by mistake goes nowhere.
    feed_url = factory.Sequence(lambda n: f"http://127.0.0.1:9/source-{n}.xml")
    is_active = True
    poll_interval = 60


class NewsItemFactory(DjangoModelFactory):
    class Meta:
        model = NewsItem

    source = factory.SubFactory(NewsSourceFactory)
    identity = factory.Sequence(lambda n: f"{n:064x}")
    title = factory.Sequence(lambda n: f"News item {n}")
    link = factory.Sequence(lambda n: f"https://news.example/{n}")
    canonical_url = factory.LazyAttribute(lambda o: o.link)
    summary_html = "<p>A summary.</p>"
    published_at = factory.LazyFunction(
        lambda: datetime.datetime(2021, 3, 1, tzinfo=datetime.UTC)
    )
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    status = NewsStatus.NEW
