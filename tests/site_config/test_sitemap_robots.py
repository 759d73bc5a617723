"""/sitemap.xml (every language, hreflang alternates) and /robots.txt."""

import xml.etree.ElementTree as ET

from django.urls import reverse

from wagtail.models import PageViewRestriction, Site

import pytest

from tests.site_config.factories import StandardPageFactory
from theme.address import page_public_url

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def _published(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _translate(page, locale, **fields):
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return _published(translated)


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """Each <loc> of /sitemap.xml mapped to its {hreflang: href} alternates."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
    return entries


@pytest.fixture
def translated_site(home_page, locales):
    """English home and About page, each with French and Swahili versions."""
    about = _published(
        StandardPageFactory(parent=home_page, title="About", slug="about")
    )
    homes = {"en": _published(home_page)}
    abouts = {"en": about}
    for code in ("fr", "sw"):
        homes[code] = _translate(home_page, locales[code], title=f"Home {code}")
        abouts[code] = _translate(about, locales[code], title=f"About {code}")
    return {"homes": homes, "abouts": abouts}


def test_sitemap_lists_live_pages_in_every_language(client, translated_site):
    entries = sitemap_entries(client)

    expected = {
        page_public_url(page)
        for group in translated_site.values()
        for page in group.values()
    }
    assert set(entries) == expected
    for code in ("en", "fr", "sw"):
        assert f"http://testserver/{code}/" in entries
        assert page_public_url(translated_site["abouts"][code]).startswith(
            f"http://testserver/{code}/"
        )


def test_sitemap_links_each_translation_and_an_x_default(client, translated_site):
    abouts = translated_site["abouts"]

    entries = sitemap_entries(client)

    expected = {code: page_public_url(page) for code, page in abouts.items()}
    expected["x-default"] = page_public_url(abouts["en"])
    for page in abouts.values():
        assert entries[page_public_url(page)] == expected


def test_page_without_translation_has_no_alternates(client, home_page):
    lonely = _published(StandardPageFactory(parent=home_page, title="Only English"))

    assert sitemap_entries(client)[page_public_url(lonely)] == {}


def test_sitemap_leaves_out_drafts_unpublished_and_private_pages(
    client, translated_site, locales
):
    home = translated_site["homes"]["en"]
    draft = StandardPageFactory(parent=home, title="Draft", live=False)
    unpublished = _published(StandardPageFactory(parent=home, title="Withdrawn"))
    unpublished.unpublish()
    private = _published(StandardPageFactory(parent=home, title="Staff only"))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    under_private = _published(StandardPageFactory(parent=private, title="Minutes"))
    # A private French translation is no alternate of its public English page.
    french_about = translated_site["abouts"]["fr"]
    PageViewRestriction.objects.create(
        page=french_about,
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )

    entries = sitemap_entries(client)
    listed = set(entries) | {
        href for links in entries.values() for href in links.values()
    }

    for page in (draft, unpublished, private, under_private, french_about):
        page.refresh_from_db()
        assert page_public_url(page) not in listed, page.title
    assert "fr" not in entries[page_public_url(translated_site["abouts"]["en"])]


def test_sitemap_query_count_does_not_grow_with_pages(
    client, translated_site, django_assert_max_num_queries
):
    home = translated_site["homes"]["en"]
    client.get("/sitemap.xml")  # warm the site root paths cache
    with django_assert_max_num_queries(10) as few:
        client.get("/sitemap.xml")
    for n in range(30):
        StandardPageFactory(parent=home, title=f"Page {n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        entries = sitemap_entries(client)

    assert len(entries) == 6 + 30


def test_sitemap_is_outside_the_language_prefix():
    assert reverse("sitemap") == "/sitemap.xml"


def test_robots_txt_allows_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    assert {
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /*/search/",
    } <= (set(lines))
    assert "Allow: /" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_the_public_address_whatever_the_request_host(
    client, settings
):
    settings.ALLOWED_HOSTS = ["research.example.org", "other.example.org"]
    settings.BASE_URL = "https://research.example.org"

    response = client.get("/robots.txt", HTTP_HOST="other.example.org")

    assert "Sitemap: https://research.example.org/sitemap.xml" in (
        response.content.decode()
    )


@pytest.mark.parametrize("path", ["/robots.txt", "/en/search/"])
def test_read_only_views_refuse_writes(client, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_sitemap_names_the_public_address_not_the_sites_hostname(
    client, translated_site, settings
):
    settings.BASE_URL = "https://research.example.org:8443"
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "internal.example", 80
    site.save()

    entries = sitemap_entries(client)

    assert entries
    assert all(
        loc.startswith("https://research.example.org:8443/")
        and all(
            href.startswith("https://research.example.org:8443/")
            for href in links.values()
        )
        for loc, links in entries.items()
    )
