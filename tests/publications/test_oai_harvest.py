"""A real OAI-PMH client (Sickle) harvests the library over HTTP from a live
server on 127.0.0.1, page by page through resumption tokens."""

from urllib.parse import urlsplit

from django.core.cache import cache

from wagtail.models import PageViewRestriction

import pytest
from sickle import Sickle

from publications.models import PublicationPage
from publications.oai.records import public_publications
from site_config.demo.build import DemoReport, home_pages_ensure, locales_ensure
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import ProgrammeFactory, PublicationIndexPageFactory

PAGE_SIZE = 7


@pytest.fixture
def harvested_site(transactional_db, settings):
    """40 live publications, 3 of them withdrawn and 1 put behind a login (both
    deleted records now), and 3 drafts, on a database that other live-server
    tests may have flushed."""
    settings.OAI_PAGE_SIZE = PAGE_SIZE
    cache.clear()
    report = DemoReport()
    home = home_pages_ensure(locales=locales_ensure(report=report), report=report)
    library = PublicationIndexPageFactory(parent=home)
    mining = ProgrammeFactory(slug="natural-resources", name="Natural Resources")
    arms = ProgrammeFactory(slug="arms-trade-security", name="Arms Trade")
    ids = publications_bulk_create(parent=library, count=40, programmes=[mining, arms])
    publications_bulk_create(parent=library, count=3, live=False)
    withdrawn = ids[5], ids[17], ids[30]
    for pk in withdrawn:
        PublicationPage.objects.get(pk=pk).unpublish()
    PageViewRestriction.objects.create(
        page_id=ids[11], restriction_type=PageViewRestriction.LOGIN
    )
    return (*withdrawn, ids[11])


def _client(live_server) -> Sickle:
    """A harvester aimed at the live server, by its loopback address only."""
    port = urlsplit(live_server.url).port
    return Sickle(f"http://127.0.0.1:{port}/oai/", max_retries=0, timeout=30)


def _identifier(pk: int) -> str:
    return f"oai:localhost:publications/{pk}"


def test_sickle_harvests_every_public_publication_once(harvested_site, live_server):
    sickle = _client(live_server)

    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))

    live = [r.header.identifier for r in records if not r.header.deleted]
    deleted = [r.header.identifier for r in records if r.header.deleted]
    expected = {
        _identifier(pk) for pk in public_publications().values_list("pk", flat=True)
    }
    assert len(expected) == 36
    assert len(live) == len(set(live))
    assert set(live) == expected
    assert sorted(deleted) == sorted(_identifier(pk) for pk in harvested_site)
    # Several answers were needed: 40 records at 7 per answer.
    assert len(records) > PAGE_SIZE
    first = next(r for r in records if not r.header.deleted)
    assert first.metadata["title"][0].startswith("Bulk publication")
    assert first.metadata["identifier"][0].startswith(
        "http://localhost/en/publications/"
    )


def test_sickle_harvests_one_set_by_identifiers(harvested_site, live_server):
    sickle = _client(live_server)

    headers = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc", set="programme:arms-trade-security"
        )
    )

    identifiers = [h.identifier for h in headers]
    # Every second one; two withdrawn and one behind a login are deleted.
    assert len(identifiers) == len(set(identifiers)) == 20
    assert sum(h.deleted for h in headers) == 3
    assert all("programme:arms-trade-security" in h.setSpecs for h in headers)
    assert {s.setSpec for s in sickle.ListSets()} >= {
        "programme:natural-resources",
        "type:report",
    }
    assert sickle.Identify().granularity == "YYYY-MM-DDThh:mm:ssZ"
