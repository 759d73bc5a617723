"""Demo news sources, fed from files shipped in `demo_feeds/`, never the network.

Each file goes through the same parse, clean and store path as a fetched
feed (`source_body_ingest`). Running again adds nothing unless a file changed.
Call after the programmes and countries exist, so new sources get their tags.
The demo sources are inactive: their addresses (under the reserved `.example`
domain) are never polled.
"""

from dataclasses import dataclass
from pathlib import Path

from wagtail.models import Locale

from briefings.news.choices import FetchOutcome
from briefings.news.ingest.refresh import source_body_ingest
from briefings.news.models import NewsSource
from publications.models import Country, Programme

DEMO_FEEDS_DIR = Path(__file__).resolve().parent / "demo_feeds"


@dataclass(frozen=True)
class DemoSource:
    file: str
    title: str
    feed_url: str
    site_url: str
    category: str
    language: str = "en"
    programmes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    exclude_keywords: str = ""


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
]


def _tags(spec: DemoSource) -> tuple[list[Programme], list[Country]]:
    locale = Locale.get_default()
    programmes = Programme.objects.filter(locale=locale, slug__in=spec.programmes)
    countries = Country.objects.filter(locale=locale, iso_code__in=spec.countries)
    return list(programmes), list(countries)


def news_demo_ensure() -> dict[str, int]:
    """The demo news sources and their items; returns what was added."""
    added = {"news sources": 0, "news items": 0}
    for spec in DEMO_SOURCES:
        source, created = NewsSource.objects.get_or_create(
            feed_url=spec.feed_url,
            defaults={
                "title": spec.title,
                "site_url": spec.site_url,
                "category": spec.category,
                "language": spec.language,
                "exclude_keywords": spec.exclude_keywords,
                "is_active": False,
            },
        )
        if created:
            added["news sources"] += 1
            programmes, countries = _tags(spec)
            source.default_programmes.set(programmes)
            source.default_countries.set(countries)
        body = (DEMO_FEEDS_DIR / spec.file).read_bytes()
        report = source_body_ingest(source=source, body=body, url=spec.site_url)
        if report.outcome == FetchOutcome.CHANGED:
            added["news items"] += report.new
    return added
