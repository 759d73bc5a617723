"""Small (375 px) and wide (1280 px) screens: the library in three languages,
the menu by keyboard, a publication's files near the top; no script needed."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 800}


def _nothing_ticked(page) -> None:
    assert page.locator(".facet__checkbox:checked").count() == 0
    expect(page.locator(".active-filter")).to_have_count(0)


def _library_in(page, site_url: str, language: str) -> None:
    """Nothing ticked; on a small screen the count comes first and the filters
    open from "Filter"; tick the page's language, a chip appears, clear it."""
    page.set_viewport_size(SMALL)
    page.goto(f"{site_url}/{language}/publications/")
    _nothing_ticked(page)
    count = page.locator("#library-results-title")
    summary = page.locator(".library-filters-disclosure__summary")
    checkbox = page.locator(f'input[name="language"][value="{language}"]')
    total = count.inner_text()
    assert count.bounding_box()["y"] < summary.bounding_box()["y"]
    expect(checkbox).to_be_hidden()

    summary.click()
    checkbox.check()
    page.locator(".library-filters__submit").click()

    chip = page.locator(".active-filter")
    expect(chip).to_have_count(1)
    expect(page.locator(f'input[name="language"][value="{language}"]')).to_be_checked()
    expect(summary).to_contain_text("1")
    assert_no_axe_violations(page, context=f"{language}, 375 px, one filter")

    # Cleared on a wide screen: the page loads with its disclosures closed,
    # yet the filters and the menu stand open, with no "Filter" or "Menu".
    page.set_viewport_size(WIDE)
    chip.click()
    _nothing_ticked(page)
    expect(count).to_have_text(total)
    expect(summary).to_be_hidden()
    expect(page.locator(".library-filters__submit")).to_be_visible()
    expect(page.locator(".main-nav__toggle")).to_be_hidden()
    expect(page.locator(".main-nav__link").first).to_be_visible()
    assert_no_axe_violations(page, context=f"{language}, 1280 px, no filter")


def test_library_menu_and_publication_on_small_and_wide_screens(site_url, page):
    for language in ("en", "fr", "sw"):
        _library_in(page, site_url, language)

    # The menu, by keyboard, on a small screen.
    page.set_viewport_size(SMALL)
    page.goto(site_url + "/en/publications/annual-report-2019/")
    toggle = page.locator(".main-nav__toggle")
    first_link = page.locator(".main-nav__link").first
    expect(first_link).to_be_hidden()
    for _ in range(12):
        page.keyboard.press("Tab")
        if toggle.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tabbing never reached the Menu button")
    page.keyboard.press("Enter")
    expect(first_link).to_be_visible()
    page.keyboard.press("Tab")
    expect(first_link).to_be_focused()
    assert_no_axe_violations(page, context="375 px, menu open")

    # A publication: its files within a screen and a half.
    download = page.locator(".downloads__link").first
    box = download.bounding_box()
    assert box["y"] + box["height"] <= 1.5 * SMALL["height"], box
    assert_no_axe_violations(page, context="publication, 375 px")

    page.set_viewport_size(WIDE)
    assert_no_axe_violations(page, context="publication, 1280 px")
