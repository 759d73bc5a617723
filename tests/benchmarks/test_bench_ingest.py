"""News ingestion at scale: 200 local feeds of 50 items each, over real HTTP.

Three situations, each a full pass over the 200 sources:
- the first ingest (every item new: fetched, parsed, cleaned, stored), on a
  fresh set of 200 sources per round;
- a re-poll where every server answers 304 Not Modified;
- a re-poll where every server sends the same body again, without
  validators (the body hash spares the parse).
The share of the first ingest spent cleaning (and parsing, storing) is printed.
"""

import logging
import re
import sys
from collections import defaultdict

import pytest
from werkzeug import Request, Response

from briefings.news.ingest.refresh import sources_ingest
from briefings.news.models import NewsItem, NewsSource
from tests.briefings.news.feeds import local_feed_server, rss_document, rss_item
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

FEEDS = 200
ITEMS = 50
FIRST_ROUNDS = 3


def feed_body(path: str) -> bytes:
    """Fifty items whose guids and links are unique to the feed's path."""
    items = []
    for n in range(ITEMS):
        item = rss_item(
            n,
            guid=f"{path}#{n}",
            link=f"https://news.example{path}/{n}?utm_source=rss",
            description=(
                f"<p>Item {n} of {path}: <b>artisanal</b> mining, "
                f'<a href="https://news.example/{n}">a link</a> and '
                "<script>tracking()</script> a sentence or two of text.</p>"
            ),
        )
        items.append(item)
    return rss_document(items, title=f"Feed {path}")


class FeedHandler:
    """Serves every path as a feed; per mode: ETag + 304, or plain 200."""

    def __init__(self):
        self.bodies: dict[str, bytes] = {}
        self.with_validators = True
        self.statuses = defaultdict(int)

    def __call__(self, request: Request) -> Response:
        body = self.bodies.get(request.path)
        if body is None:
            body = self.bodies[request.path] = feed_body(request.path)
        if self.with_validators:
            etag = f'"{hash(body)}"'
            if request.headers.get("If-None-Match") == etag:
                self.statuses[304] += 1
                return Response(status=304, headers={"ETag": etag})
            self.statuses[200] += 1
            return Response(
                body, mimetype="application/rss+xml", headers={"ETag": etag}
            )
        self.statuses[200] += 1
        return Response(body, mimetype="application/rss+xml")


@pytest.fixture
def feeds():
    handler = FeedHandler()
    server_log = logging.getLogger("werkzeug")
    level = server_log.level
    server_log.setLevel(logging.WARNING)  # not one line per request
    try:
        with local_feed_server() as server:
            server.expect_request(re.compile(r"/.*")).respond_with_handler(handler)
            yield server, handler
    finally:
        server_log.setLevel(level)


def sources_for(server, locales, round_name: str) -> list[int]:
    programme = ProgrammeFactory(locale=locales["en"])
    country = CountryFactory(locale=locales["en"])
    ids = []
    for n in range(FEEDS):
        source = NewsSource.objects.create(
            title=f"{round_name} {n}",
            feed_url=server.url_for(f"/{round_name}/feed-{n}.xml"),
        )
        source.default_programmes.add(programme)
        source.default_countries.add(country)
        ids.append(source.pk)
    return ids


def test_bench_ingest_200_feeds(feeds, bench, locales):
    server, handler = feeds
    rounds = [sources_for(server, locales, f"r{r}") for r in range(FIRST_ROUNDS)]
    pending = list(rounds)
    reports = []

    def first_ingest():
        reports.extend(sources_ingest(source_ids=pending.pop(0)))

    first = bench("ingest_first_200x50", first_ingest, rounds=FIRST_ROUNDS, warmup=0)
    assert NewsItem.objects.count() == FEEDS * ITEMS * FIRST_ROUNDS
    assert all(report.new == ITEMS for report in reports)

    total = sum(report.seconds for report in reports)
    shares = {
        name: sum(getattr(report, f"{name}_seconds") for report in reports) / total
        for name in ("fetch", "parse", "clean", "store")
    }
    sys.stdout.write(
        "\nfirst ingest, share of time: "
        + ", ".join(f"{name} {share:.0%}" for name, share in shares.items())
        + " (fetch includes the local server; store includes cleaning)\n"
    )

    last = rounds[-1]
    not_modified = bench(
        "ingest_repoll_304_200",
        lambda: sources_ingest(source_ids=last),
        rounds=5,
        warmup=1,
    )
    assert handler.statuses[304] >= FEEDS * 6

    handler.with_validators = False
    NewsSource.objects.filter(pk__in=last).update(etag="", last_modified="")
    unchanged = bench(
        "ingest_repoll_same_body_200",
        lambda: sources_ingest(source_ids=last),
        rounds=5,
        warmup=1,
    )
    assert NewsItem.objects.count() == FEEDS * ITEMS * FIRST_ROUNDS

    assert not_modified.median_ms < first.median_ms
    assert unchanged.median_ms < first.median_ms
