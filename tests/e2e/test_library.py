"""The library in a real browser: filter, open, download, cite; accessibility."""

import re

from wagtail.models import Locale

import pytest
from playwright.sync_api import expect

from publications.demo import library_demo_ensure
from site_config.models import HomePage
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import demo_site_ready

pytestmark = pytest.mark.django_db(transaction=True)

LIBRARY = "/en/publications/"
REPORT_TITLE = "Mapping artisanal and small-scale mining in northwest Tanzania"


@pytest.fixture
def site_url(live_server) -> str:
    # A flushed database: the builders recreate the tree, the site and the
    # library. Cached site root paths would be stale.
    demo_site_ready()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    library_demo_ensure(
        home=HomePage.objects.get(locale=locales["en"]), locales=locales
    )
    return live_server.url


def _result_count(page) -> int:
    heading = page.locator("#library-results-title").inner_text()
    return int(re.match(r"(\d+) publications?", heading).group(1))


def _option_count(page, name: str) -> int:
    label = page.locator("label.facet__label", has_text=name).inner_text()
    return int(re.search(r"\((\d+)", label).group(1))


def test_reader_filters_opens_a_report_downloads_it_and_cites_it(site_url, page):
    page.goto(site_url + LIBRARY)
    everything = _result_count(page)
    tanzania = page.get_by_role("checkbox", name=re.compile(r"^Tanzania \(\d+"))
    expected = _option_count(page, "Tanzania")
    maps_before = _option_count(page, "Map or webmap")
    tanzania.check()
    page.get_by_role("button", name="Show publications").click()

    expect(page).to_have_url(re.compile(r"[?&]country=TZ(&|$)"))
    assert _result_count(page) == expected < everything
    expect(page.get_by_role("checkbox", name=re.compile(r"^Tanzania"))).to_be_checked()
    expect(
        page.get_by_role(
            "link", name="Remove this filter: Country: Tanzania", exact=True
        )
    ).to_be_visible()
    # The other facets now count within Tanzania.
    assert _option_count(page, "Map or webmap") < maps_before

    page.get_by_role("link", name=REPORT_TITLE).click()

    expect(page.locator("h1")).to_have_text(REPORT_TITLE)
    with page.expect_download() as pdf_download:
        page.locator(".downloads__link").first.click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"

    with page.expect_download() as bibtex_download:
        page.get_by_role("link", name="BibTeX citation file").click()
    bibtex = bibtex_download.value
    assert bibtex.suggested_filename == "mapping-asm-northwest-tanzania.bib"
    with open(bibtex.path(), encoding="utf-8") as downloaded:
        text = downloaded.read()
    assert text.startswith("@techreport{merket2019mapping,")
    assert "author = {Merket, Hans and Mawala, Elard}" in text

    # The author's name leads to their page, which lists this report.
    page.locator(".publication__byline").get_by_role("link", name="Hans Merket").click()
    expect(page).to_have_url(site_url + LIBRARY + "people/hans-merket/")
    expect(page.locator("h1")).to_have_text("Hans Merket")
    expect(page.get_by_role("link", name=REPORT_TITLE)).to_be_visible()


def test_library_pages_are_accessible_at_any_width(site_url, page):
    for path in (
        LIBRARY,
        LIBRARY + "?programme=conflict-mapping&language=en&language=fr",
        LIBRARY + "mapping-asm-northwest-tanzania/",
        LIBRARY + "voices-from-tanzania/",
        "/fr/publications/voix-du-congo/misisi-incidents-chaine-approvisionnement-or/",
        LIBRARY + "people/hans-merket/",
        "/sw/publications/people/hans-merket/",
    ):
        page.goto(site_url + path)
        assert_no_axe_violations(page, context=path)

    # A removed filter brings its results back.
    page.goto(site_url + LIBRARY + "?type=map&country=CF")
    filtered = _result_count(page)
    page.get_by_role(
        "link", name="Remove this filter: Type: Map or webmap", exact=True
    ).click()
    expect(page).to_have_url(site_url + LIBRARY + "?country=CF")
    assert _result_count(page) > filtered

    # Keyboard users see where they are: the checkboxes take the focus ring.
    page.goto(site_url + LIBRARY)
    checkbox = page.locator(".facet__checkbox").first
    checkbox.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(checkbox).to_be_focused()
    assert checkbox.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"

    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        LIBRARY,
        LIBRARY + "mapping-asm-northwest-tanzania/",
        LIBRARY + "people/hans-merket/",
    ):
        page.goto(site_url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        assert_no_axe_violations(page, context=f"{path} at 320px")
