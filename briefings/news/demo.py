"""Demo news sources, fed from files shipped in `demo_feeds/`, never the network.

Each file goes through the same parse, clean and store path as a fetched
feed (`source_body_ingest`). Running again adds nothing unless a file changed.
Call after the programmes and countries exist, so new sources get their tags.

The sources' addresses are the running site's own `/demo-feeds/<file>`, which
development settings serve (`NEWS_DEMO_FEEDS_SERVED`) and allow the feed client
to reach, so "Fetch now" works in the demo. One source is held back (never
read from its file here): fetching it brings new items for the draft Briefing.
Another points where the site serves nothing, so it shows a failing feed.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from wagtail.models import Locale

from briefings.news.choices import FetchOutcome
from briefings.news.ingest.refresh import source_body_ingest, source_failure_record
from briefings.news.models import NewsSource
from publications.models import Country, Programme

DEMO_FEEDS_DIR = Path(__file__).resolve().parent / "demo_feeds"
DEMO_FEEDS_PATH = "/demo-feeds/"
# What the feed client answers for an address the site does not serve.
MISSING_FEED_ERROR = "The server answered 404 (the feed is not at this address)."


def demo_base_url() -> str:
    """The running site's address: BASE_URL, else the development server's."""
    return getattr(settings, "BASE_URL", "http://127.0.0.1:8000").rstrip("/")


@dataclass(frozen=True)
class DemoSource:
    file: str
    title: str
    # Where the source pointed before the site served its demo feeds (a
    # reserved `.example` address): a demo database made then is updated.
    legacy_url: str
    site_url: str
    category: str
    language: str = "en"
    programmes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    exclude_keywords: str = ""
    held_back: bool = False  # not read at build: "Fetch now" brings its items
    moved: bool = False  # its address serves nothing: a failing feed

    @property
    def feed_url(self) -> str:
        moved = "moved/" if self.moved else ""
        return f"{demo_base_url()}{DEMO_FEEDS_PATH}{moved}{self.file}"


DEMO_SOURCES = [
    DemoSource(
        "institute-news.xml",
        "Institute news",
        "https://ipis.example/news/feed/",
        "https://ipis.example/news/",
        "Institute",
        programmes=("natural-resources", "business-human-rights"),
    ),
    DemoSource(
        "diamond-coalition-notes.atom",
        "Diamond communities: civil society notes",
        "https://diamond-notes.example/feed.atom",
        "https://diamond-notes.example/",
        "Partners",
        programmes=("natural-resources",),
        countries=("CF",),
    ),
    DemoSource(
        "south-kivu-security-dialogue.xml",
        "Security & human rights dialogue, South Kivu",
        "https://security-dialogue.example/feed/",
        "https://security-dialogue.example/",
        "Partners",
        programmes=("business-human-rights",),
        countries=("CD",),
    ),
    DemoSource(
        "great-lakes-minerals-desk.xml",
        "Great Lakes Minerals Desk",
        "https://minerals-desk.example/feed/",
        "https://minerals-desk.example/",
        "Regional press",
        programmes=("natural-resources",),
        countries=("CD", "RW", "UG", "BI"),
    ),
    DemoSource(
        "arms-transfers-observer.atom",
        "Arms Transfers Observer",
        "https://arms-observer.example/feed.atom",
        "https://arms-observer.example/",
        "Arms trade",
        programmes=("arms-trade-security",),
    ),
    DemoSource(
        "observatoire-ressources.xml",
        "Observatoire des ressources naturelles",
        "https://observatoire-ressources.example/rss/",
        "https://observatoire-ressources.example/",
        "Regional press",
        language="fr",
        programmes=("natural-resources",),
    ),
    DemoSource(
        "habari-za-madini.xml",
        "Habari za Madini",
        "https://habari-madini.example/rss/",
        "https://habari-madini.example/",
        "Regional press",
        language="sw",
        countries=("TZ",),
    ),
    DemoSource(
        "due-diligence-digest.rdf",
        "Supply Chain Due Diligence Digest",
        "https://due-diligence.example/index.rdf",
        "https://due-diligence.example/",
        "Responsible sourcing",
        programmes=("business-human-rights",),
    ),
    DemoSource(
        "central-africa-conflict-notes.xml",
        "Central Africa Conflict Notes",
        "https://conflict-notes.example/feed/",
        "https://conflict-notes.example/",
        "Conflict",
        programmes=("conflict-mapping",),
        countries=("CF", "SS"),
        moved=True,
    ),
    DemoSource(
        "tanzania-rights-review.xml",
        "Tanzania Business & Rights Review",
        "https://rights-review.example/feed/",
        "https://rights-review.example/",
        "Regional press",
        programmes=("business-human-rights",),
        countries=("TZ",),
    ),
    DemoSource(
        "regional-press-roundup.xml",
        "Regional Press Roundup",
        "https://press-roundup.example/rss.xml",
        "https://press-roundup.example/",
        "Aggregators",
        exclude_keywords="horoscope\nsponsored",
    ),
    DemoSource(
        "field-research-notes.xml",
        "Field Research Notes",
        "",
        "https://field-notes.example/",
        "Research",
        programmes=("natural-resources",),
        countries=("CD", "TZ"),
    ),
    DemoSource(
        "conflict-mapping-monitor.xml",
        "Conflict Mapping Monitor",
        "",
        "https://conflict-monitor.example/",
        "Conflict",
        programmes=("conflict-mapping",),
        countries=("CF", "CD"),
    ),
    DemoSource(
        "arms-and-security-review.xml",
        "Arms and Security Review",
        "",
        "https://arms-review.example/",
        "Arms trade",
        programmes=("arms-trade-security",),
    ),
    DemoSource(
        "business-rights-bulletin.xml",
        "Business & Human Rights Bulletin",
        "",
        "https://bhr-bulletin.example/",
        "Responsible sourcing",
        programmes=("business-human-rights",),
        countries=("TZ", "CD"),
    ),
    DemoSource(
        "gold-supply-chain-watch.xml",
        "Gold Supply Chain Watch",
        "",
        "https://gold-watch.example/",
        "Regional press",
        programmes=("natural-resources",),
        countries=("CD",),
        held_back=True,
    ),
]


def _tags(spec: DemoSource) -> tuple[list[Programme], list[Country]]:
    locale = Locale.get_default()
    programmes = Programme.objects.filter(locale=locale, slug__in=spec.programmes)
    countries = Country.objects.filter(locale=locale, iso_code__in=spec.countries)
    return list(programmes), list(countries)


def _source_ensure(spec: DemoSource) -> tuple[NewsSource, bool]:
    fields = {
        "title": spec.title,
        "site_url": spec.site_url,
        "category": spec.category,
        "language": spec.language,
        "exclude_keywords": spec.exclude_keywords,
        "is_active": True,
    }
    source = NewsSource.objects.filter(feed_url=spec.feed_url).first()
    if source is None and spec.legacy_url:
        source = NewsSource.objects.filter(feed_url=spec.legacy_url).first()
        if source is not None:  # a demo made before the feeds were served
            source.feed_url = spec.feed_url
            source.is_active = True
            source.save(update_fields=["feed_url", "is_active"])
    if source is not None:
        return source, False
    return NewsSource.objects.create(feed_url=spec.feed_url, **fields), True


def news_demo_ensure() -> dict[str, int]:
    """The demo news sources and their items; returns what was added."""
    added = {"news sources": 0, "news items": 0}
    for spec in DEMO_SOURCES:
        source, created = _source_ensure(spec)
        if created:
            added["news sources"] += 1
            programmes, countries = _tags(spec)
            source.default_programmes.set(programmes)
            source.default_countries.set(countries)
        if spec.held_back or (spec.moved and not created):
            continue
        body = (DEMO_FEEDS_DIR / spec.file).read_bytes()
        report = source_body_ingest(source=source, body=body, url=spec.site_url)
        if report.outcome == FetchOutcome.CHANGED:
            added["news items"] += report.new
        if spec.moved and created:
            source_failure_record(source=source, error=MISSING_FEED_ERROR)
    return added
