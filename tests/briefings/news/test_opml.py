"""OPML import (only URLs, titles, categories; hostile XML refused) and export."""

import pytest

from briefings.news.ingest.opml import OpmlError, opml_export, opml_import, opml_parse
from briefings.news.models import NewsSource
from tests.briefings.news.factories import NewsSourceFactory

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Feeds</title></head>
  <body>
    <outline text="Great Lakes press" title="Great Lakes press">
      <outline type="rss" text="Minerals Desk" xmlUrl="https://desk.example/rss"
               htmlUrl="https://desk.example/" language="fr" poll_interval="1"
               is_active="false" etag="forged" include_keywords="x"/>
      <outline type="rss" title="Conflict Notes" xmlUrl="https://notes.example/feed"
               category="Conflict/Africa"/>
    </outline>
    <outline type="rss" text="" xmlUrl="https://untitled.example/atom.xml"/>
    <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Creds" xmlUrl="https://user:pw@creds.example/rss"/>
    <outline type="rss" text="Loopback" xmlUrl="http://127.0.0.1/feed"/>
    <outline type="rss" text="Again" xmlUrl="https://desk.example/rss"/>
  </body>
</opml>"""


@pytest.fixture(autouse=True)
def empty_allow_list(settings):
    settings.FEEDS_ALLOWED_NETWORKS = []


def test_only_feed_urls_titles_and_categories_are_read():
    feeds, skipped = opml_parse(data=OPML)

    assert [(f.title, f.feed_url, f.category) for f in feeds] == [
        ("Minerals Desk", "https://desk.example/rss", "Great Lakes press"),
        ("Conflict Notes", "https://notes.example/feed", "Conflict/Africa"),
        ("untitled.example", "https://untitled.example/atom.xml", ""),
    ]
    assert len(skipped) == 3
    assert any("Only http and https" in message for message in skipped)
    assert any("user name or password" in message for message in skipped)
    assert any("loopback" in message for message in skipped)


@pytest.mark.django_db
def test_import_creates_new_sources_and_keeps_existing_ones():
    existing = NewsSourceFactory(feed_url="https://desk.example/rss", title="Mine")

    report = opml_import(data=OPML)

    assert [s.feed_url for s in report.created] == [
        "https://notes.example/feed",
        "https://untitled.example/atom.xml",
    ]
    assert report.existing == ["https://desk.example/rss"]
    existing.refresh_from_db()
    assert existing.title == "Mine"
    notes = NewsSource.objects.get(feed_url="https://notes.example/feed")
    assert notes.is_active and notes.poll_interval == 60 and notes.etag == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "b">]><opml/>',
            "DOCTYPE or ENTITY",
        ),
        (
            b'<!DOCTYPE opml SYSTEM "http://127.0.0.1/evil.dtd"><opml/>',
            "DOCTYPE or ENTITY",
        ),
        (
            '<?xml version="1.0" encoding="UTF-16"?><!doctype opml><opml/>'.encode(
                "utf-16"
            ),
            "DOCTYPE or ENTITY",
        ),
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss/>", "not OPML"),
        (b"<opml version='2.0'/>", "no <body>"),
        (b'<?xml version="1.0" encoding="ebcdic-cp-us"?><opml/>', "save it as UTF-8"),
        (b"\xff\xfe\x00", "not valid"),
        (b"<opml>" + b" " * (3 * 1024 * 1024) + b"</opml>", "larger than 2 MB"),
    ],
)
def test_malformed_or_dangerous_opml_is_refused_with_a_clear_message(data, message):
    with pytest.raises(OpmlError, match=message):
        opml_parse(data=data)


def test_a_latin1_opml_is_read():
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body>'
        '<outline text="Caf\xe9" xmlUrl="https://cafe.example/rss"/></body></opml>'
    ).encode("iso-8859-1")

    feeds, _ = opml_parse(data=data)

    assert feeds[0].title == "Café"


@pytest.mark.django_db
def test_export_round_trips_through_import():
    NewsSourceFactory(
        title="A & B <news>",
        feed_url="https://ab.example/rss?x=1&y=2",
        category="Press",
        site_url="https://ab.example/",
        language="fr",
    )
    NewsSourceFactory(title="Plain", feed_url="https://plain.example/rss")

    document = opml_export()
    NewsSource.objects.all().delete()
    report = opml_import(data=document)

    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'xmlUrl="https://ab.example/rss?x=1&amp;y=2"' in document
    assert {(s.title, s.feed_url, s.category) for s in report.created} == {
        ("A & B <news>", "https://ab.example/rss?x=1&y=2", "Press"),
        ("Plain", "https://plain.example/rss", ""),
    }
