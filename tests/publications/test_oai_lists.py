"""OAI-PMH lists across several answers: resumption tokens, a harvest while
records change, and a page of records costing the same queries at any size."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from publications.models import OaiTombstone, PublicationDownload, PublicationPage
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import PdfDocumentFactory
from tests.publications.oai_checks import NS, oai_parse

pytestmark = pytest.mark.django_db

URL = "/oai/"
DOMAIN = "localhost"


def ask(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return oai_parse(response.content)


def error_code(root) -> str:
    return root.find("oai:error", NS).get("code")


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


# Resumption tokens --------------------------------------------------------------


def harvest(client, verb="ListIdentifiers", on_page=None, **params):
    """Every header of a list, following tokens; with the tokens' attributes."""
    root = ask(client, verb=verb, metadataPrefix="oai_dc", **params)
    seen, tokens = [], []
    while True:
        seen += identifiers(root)
        token = root.find(f"oai:{verb}/oai:resumptionToken", NS)
        if token is None:
            return seen, tokens
        tokens.append(dict(token.attrib, text=token.text or ""))
        if not token.text:
            return seen, tokens
        if on_page is not None:
            on_page(len(tokens))
        root = ask(client, verb=verb, resumptionToken=token.text)


@pytest.fixture
def many(library, taxonomy, settings):
    settings.OAI_PAGE_SIZE = 4
    return publications_bulk_create(
        parent=library,
        count=10,
        programmes=[taxonomy.natural_resources, taxonomy.arms_trade],
        people=[taxonomy.merket],
    )


def test_resumption_tokens_walk_the_whole_list_once(client, many):
    for verb in ("ListIdentifiers", "ListRecords"):
        seen, tokens = harvest(client, verb=verb)
        assert seen == [f"oai:{DOMAIN}:publications/{pk}" for pk in many]
        assert [(t["cursor"], t["completeListSize"]) for t in tokens] == [
            ("0", "10"),
            ("4", "10"),
            ("8", "10"),
        ]
        assert tokens[-1]["text"] == ""


def test_a_token_keeps_the_set_and_dates(client, many):
    seen, tokens = harvest(
        client, set="programme:arms-trade-security", **{"from": "2000-01-01"}
    )
    assert seen == [f"oai:{DOMAIN}:publications/{pk}" for pk in many[1::2]]
    assert tokens[0]["completeListSize"] == "5"


def test_records_changing_during_a_harvest_are_neither_skipped_nor_repeated(
    client, many
):
    def change_some(page_number):
        if page_number == 1:
            # One already harvested and one still to come change now.
            stamp = timezone.now() + datetime.timedelta(minutes=page_number)
            PublicationPage.objects.filter(pk__in=[many[0], many[6]]).update(
                last_published_at=stamp, title="Changed"
            )

    seen, _tokens = harvest(client, on_page=change_some)
    assert seen == [f"oai:{DOMAIN}:publications/{pk}" for pk in many]


def test_tampered_or_foreign_tokens_are_refused(client, many):
    _seen, tokens = harvest(client)
    good = tokens[0]["text"]
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    for token in (tampered, "", "x" * 40):
        root = ask(client, verb="ListIdentifiers", resumptionToken=token)
        assert error_code(root) == "badResumptionToken", token
    # A token of ListIdentifiers is not one of ListRecords.
    root = ask(client, verb="ListRecords", resumptionToken=good)
    assert error_code(root) == "badResumptionToken"


# Query budget --------------------------------------------------------------------


def _records_page_queries(client, verb: str) -> int:
    params = {"verb": verb, "metadataPrefix": "oai_dc"}
    client.get(URL, params)  # warm the site root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert b"<resumptionToken" in response.content
    token = re.search(rb">([^<]+)</resumptionToken>", response.content).group(1)
    with CaptureQueriesContext(connection) as next_page:
        client.get(URL, {"verb": verb, "resumptionToken": token.decode()})

    return len(captured.captured_queries), len(next_page.captured_queries)


def test_a_page_of_records_costs_the_same_queries_at_any_size(
    client, library, taxonomy, settings
):
    settings.OAI_PAGE_SIZE = 20

    def fill(count):
        ids = publications_bulk_create(
            parent=library,
            count=count,
            programmes=[taxonomy.natural_resources, taxonomy.conflict_mapping],
            countries=[taxonomy.congo, taxonomy.car],
            people=[taxonomy.merket, taxonomy.mawala],
        )
        document = PdfDocumentFactory()
        PublicationDownload.objects.bulk_create(
            PublicationDownload(page_id=pk, document=document, sort_order=0)
            for pk in ids
        )
        OaiTombstone.objects.bulk_create(
            OaiTombstone(page_id=10_000_000 + pk, deleted_at=timezone.now())
            for pk in ids[:3]
        )

    fill(25)
    small = {
        verb: _records_page_queries(client, verb)
        for verb in ("ListRecords", "ListIdentifiers")
    }
    fill(100)
    large = {
        verb: _records_page_queries(client, verb)
        for verb in ("ListRecords", "ListIdentifiers")
    }
    assert large == small
    assert small["ListRecords"][0] <= 18
