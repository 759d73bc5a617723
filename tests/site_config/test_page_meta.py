"""Every public page of the demo tells search engines and social sites who it is.

The demo is lent to the module (tests/utils/demo_snapshot.py), every page is
read once, and the tests assert over what was read.
"""

import json
import re

from django.test import Client

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from publications.models import PublicationPage
from tests.utils.demo_snapshot import demo_lent
from theme.address import page_public_url

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
# JSON-LD type → (BibTeX entry type, RIS TY): the one table the formats share.
TYPES = {
    "Report": ("techreport", "RPRT"),
    "Map": ("misc", "MAP"),
    "Article": ("article", "JOUR"),
    "CreativeWork": ("misc", "GEN"),
}
MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]


def _head(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    head = soup.head

    def values(**attrs):
        return [tag.get("content") for tag in head.find_all("meta", attrs=attrs)]

    return {
        "description": values(name="description"),
        "canonical": [link["href"] for link in head.select("link[rel=canonical]")],
        "og": {
            tag["property"]: tag.get("content")
            for tag in head.find_all("meta", attrs={"property": re.compile("^og:")})
        },
        "og_locale_alternate": values(property="og:locale:alternate"),
        "twitter_card": values(name="twitter:card"),
        "published_time": values(property="article:published_time"),
        "json_ld": [
            json.loads(script.string)
            for script in head.find_all("script", type="application/ld+json")
        ],
        "highwire_date": values(name="citation_publication_date"),
    }


def _bibtex(text: str) -> dict:
    entry_type, key = re.match(r"@(\w+)\{([^,]+),", text).groups()
    fields = dict(re.findall(r"^\s+(\w+) = \{?(.*?)\}?,?$", text, re.M))
    return {**fields, "@type": entry_type, "@key": key}


def _ris(text: str) -> dict:
    fields = {}
    for line in text.split("\r\n"):
        if line:
            tag, _sep, value = line.partition("  - ")
            fields.setdefault(tag, value)
    return fields


@pytest.fixture(scope="module")
def demo_read(demo_copies, django_db_blocker):
    """The head of every live public page of the demo, plus the citations."""
    client = Client()
    read = {"pages": {}, "others": {}, "citations": {}}
    with django_db_blocker.unblock(), demo_lent():
        pages = Page.objects.live().public().filter(depth__gt=1).specific()
        for page in pages:
            url = page.get_url()
            response = client.get(url)
            read["pages"][url] = {
                "status": response.status_code,
                "expected": page_public_url(page),
                "type": type(page).__name__,
                "head": _head(response.content.decode()),
            }
        others = {
            "search": "/fr/search/?q=or",
            "subscribe": "/sw/newsletter/",
            "privacy": "/en/newsletter/privacy/",
            "confirm": "/en/newsletter/confirm/forged-token-abc/",
            "preferences": "/fr/newsletter/preferences/forged-token-abc/",
            "unsubscribe": "/en/newsletter/unsubscribe/forged-token-abc/",
            "404": "/en/no-such-page/<b>forged</b>/",
        }
        for name, url in others.items():
            response = client.get(url)
            read["others"][name] = {
                "status": response.status_code,
                "head": _head(response.content.decode()),
            }
        for publication in PublicationPage.objects.live().public():
            url = publication.get_url()
            read["citations"][url] = {
                "bibtex": _bibtex(client.get(url + "cite/bibtex/").content.decode()),
                "ris": _ris(client.get(url + "cite/ris/").content.decode()),
                "partner_study": publication.publication_type == "partner_study",
            }
    return read


def test_every_page_type_in_every_language_was_read(demo_read):
    types = {entry["type"] for entry in demo_read["pages"].values()}
    languages = {url.split("/")[1] for url in demo_read["pages"]}

    assert languages == {"en", "fr", "sw"}
    assert {
        "HomePage",
        "StandardPage",
        "PublicationIndexPage",
        "PublicationPage",
        "VoicesSeriesPage",
        "BriefingIndexPage",
        "BriefingPage",
        "BulletinIndexPage",
        "BulletinPage",
    } <= types


def test_every_public_page_has_description_canonical_and_cards(demo_read):
    for url, entry in demo_read["pages"].items():
        head = entry["head"]
        assert entry["status"] == 200, url
        assert len(head["description"]) == 1, url
        assert head["description"][0].strip(), url
        assert head["canonical"] == [entry["expected"]], url
        assert entry["expected"].startswith(BASE + "/"), url
        og = head["og"]
        assert og["og:url"] == entry["expected"], url
        for name in ("og:type", "og:title", "og:description", "og:site_name"):
            assert og.get(name), (url, name)
        assert og["og:locale"].startswith(url.split("/")[1] + "_"), url
        assert len(head["og_locale_alternate"]) == 2, url
        assert head["twitter_card"] in (["summary"], ["summary_large_image"]), url
        if "og:image" in og:
            assert og["og:image"].startswith(BASE + "/"), url
            assert og["og:image:width"] and og["og:image:height"], url


def test_content_pages_carry_their_own_date(demo_read):
    for url, entry in demo_read["pages"].items():
        if entry["type"] in {"PublicationPage", "BriefingPage", "BulletinPage"}:
            assert entry["head"]["og"]["og:type"] == "article", url
            assert re.fullmatch(
                r"\d{4}-\d\d-\d\d", entry["head"]["published_time"][0]
            ), url


def test_pages_that_are_no_wagtail_page_have_cards_too(demo_read):
    others = demo_read["others"]

    for name in ("search", "subscribe", "privacy"):
        head = others[name]["head"]
        assert others[name]["status"] == 200, name
        assert head["description"][0], name
        assert head["canonical"][0].startswith(BASE + "/"), name
        assert "?" not in head["canonical"][0], name
        assert head["og"]["og:url"] == head["canonical"][0], name


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe", "404"])
def test_token_and_error_pages_echo_no_address(demo_read, name):
    entry = demo_read["others"][name]
    head = entry["head"]

    assert entry["status"] in {200, 400, 404, 410}
    assert head["canonical"] == []
    assert "og:url" not in head["og"]
    assert head["description"][0]


def test_citation_types_and_dates_agree_across_formats(demo_read):
    for url, citation in demo_read["citations"].items():
        head = demo_read["pages"][url]["head"]
        (report,) = head["json_ld"]
        bibtex, ris = citation["bibtex"], citation["ris"]
        assert (bibtex["@type"], ris["TY"]) == TYPES[report["@type"]], url
        published = report["datePublished"]
        year, _sep, month = published.partition("-")
        assert bibtex["year"] == year, url
        assert ris["PY"] == year, url
        # The demo's sources give a month or a year, never the day.
        assert re.fullmatch(r"\d{4}(-\d\d)?", published), url
        if month:
            assert bibtex["month"] == MONTHS[int(month) - 1], url
            assert ris["DA"] == f"{year}/{month}//", url
            assert head["highwire_date"] == [f"{year}/{month}"], url
        else:
            assert "month" not in bibtex, url
            assert ris["DA"] == f"{year}///", url
        publisher = report["publisher"]["name"]
        assert ris["PB"] == publisher, url
        if citation["partner_study"]:
            assert publisher != "IPIS", url


def test_bibtex_keys_are_unique_across_the_library(demo_read):
    keys = [citation["bibtex"]["@key"] for citation in demo_read["citations"].values()]

    assert len(keys) == len(set(keys))
    assert "ipis2019artisanal" in keys
    assert "ipis2019artisanalb" in keys


def test_language_versions_of_a_publication_name_each_other(demo_read):
    linked = []
    for url in demo_read["citations"]:
        (report,) = demo_read["pages"][url]["head"]["json_ld"]
        for work in report.get("workTranslation", []):
            linked.append((url, work["url"]))
            (translation,) = demo_read["pages"][work["url"].removeprefix(BASE)]["head"][
                "json_ld"
            ]
            assert translation["translationOfWork"]["url"] == BASE + url
    assert linked


def test_social_image_of_the_site_settings_unless_the_page_has_its_own(
    client, home_page
):
    from wagtail.models import Site

    from wagtail_factories import ImageFactory

    from site_config.models import SiteSettings
    from tests.publications.factories import (
        PublicationIndexPageFactory,
        PublicationPageFactory,
    )
    from tests.site_config.factories import StandardPageFactory

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "IPIS"
    site_settings.social_image = ImageFactory(
        title="Logo card", file__width=1600, file__height=900
    )
    site_settings.save()
    about = StandardPageFactory(parent=home_page, title="Plain")

    head = _head(client.get(about.url).content.decode())

    assert head["og"]["og:image"].startswith(BASE + "/")
    assert (head["og"]["og:image:width"], head["og"]["og:image:height"]) == (
        "1200",
        "630",
    )
    assert head["og"]["og:image:alt"] == "Logo card"
    assert head["twitter_card"] == ["summary_large_image"]

    cover = ImageFactory(title="Gold pit", file__width=1400, file__height=1000)
    library = PublicationIndexPageFactory(parent=home_page)
    report = PublicationPageFactory(parent=library, cover_image=cover)
    head = _head(client.get(report.url).content.decode())

    assert (
        head["og"]["og:image"]
        != _head(client.get(about.url).content.decode())["og"]["og:image"]
    )
    assert head["og"]["og:image:alt"] == "Gold pit"
