"""Site search in a real browser: the header form, the results, small screens."""

import re

import pytest
from playwright.sync_api import expect

from site_config.models import HomePage
from tests.e2e.axe import assert_no_axe_violations
from tests.site_config.factories import StandardPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_SCREEN = {"width": 320, "height": 640}


def sideways_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_reader_searches_from_the_header_and_follows_a_result(site_url, page):
    page.goto(site_url + "/en/")

    search = page.get_by_role("search", name="Site")
    # With the script, the header's field is a combobox offering titles.
    box = search.get_by_role("combobox", name="Search the site")
    box.fill("arms trade")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/search/\?q=arms\+trade$"))
    expect(page.locator("h1")).to_have_text("Search results")
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text(
        "results for “arms trade”"
    )
    # Ranking differs between SQLite and PostgreSQL: take a title that matched.
    result = page.locator(".search-result__link:has(mark)").first
    expect(result.locator("mark").first).to_have_text(re.compile("^arms$", re.I))
    title = result.inner_text()
    href = result.get_attribute("href")
    result.click()

    expect(page).to_have_url(site_url + href)
    expect(page.locator("h1")).to_contain_text(title)


def test_search_works_in_french_without_javascript(site_url, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/fr/")
        page.get_by_role("search").get_by_role("searchbox").fill("paix")
        page.get_by_role("search").get_by_role("button").click()

        expect(page).to_have_url(re.compile(r"/fr/search/\?q=paix$"))
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator(".search-result mark").first).to_have_text(
            re.compile("paix", re.I)
        )
    finally:
        context.close()


def test_results_and_home_page_have_no_axe_violations(site_url, page):
    for path in ("/en/", "/en/search/?q=arms", "/en/search/", "/en/search/?q=zzzz"):
        page.goto(site_url + path)
        assert_no_axe_violations(page, context=f"{path} at 1280px")

    page.set_viewport_size(SMALL_SCREEN)
    for path in ("/en/", "/en/search/?q=arms"):
        page.goto(site_url + path)
        assert sideways_overflow(page) <= 0, f"{path} scrolls sideways at 320px"
        assert_no_axe_violations(page, context=f"{path} at 320px")


def test_header_search_fits_a_320px_screen(site_url, page):
    page.set_viewport_size(SMALL_SCREEN)
    page.goto(site_url + "/en/")

    form = page.get_by_role("search", name="Site")
    box = form.get_by_role("combobox")
    button = form.get_by_role("button", name="Search")
    expect(box).to_be_visible()
    expect(button).to_be_visible()
    for element in (box, button):
        bounds = element.bounding_box()
        assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 320
        assert bounds["height"] >= 44


def test_keyboard_reaches_the_header_search(site_url, page):
    page.goto(site_url + "/en/about/")

    box = page.get_by_role("combobox", name="Search the site")
    for _ in range(5):
        page.keyboard.press("Tab")
        if box.evaluate("element => element === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.type("team")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/search/\?q=team$"))
    results = page.locator("#main").get_by_role("link", name="Our team")
    expect(results.locator("mark")).to_have_text("team")


def test_reader_pages_through_many_results(site_url, page):
    home = HomePage.objects.get(locale__language_code="en")
    for number in range(25):
        StandardPageFactory(parent=home, title=f"Ceasefire monitoring {number}")
    page.goto(site_url + "/en/search/?q=ceasefire")

    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.locator("[aria-current=page]")).to_have_text("Page 1")
    pagination.get_by_role("link", name="Next page").click()

    expect(page).to_have_url(re.compile(r"\?q=ceasefire&page=2$"))
    expect(pagination.locator("[aria-current=page]")).to_have_text("Page 2")
    expect(page.locator(".search-result")).to_have_count(5)
    assert_no_axe_violations(page, context="second page of results")
    page.set_viewport_size(SMALL_SCREEN)
    assert sideways_overflow(page) <= 0
    assert_no_axe_violations(page, context="second page of results at 320px")


def test_header_suggests_titles_chosen_with_the_keyboard(site_url, page):
    page.goto(site_url + "/en/")
    box = page.get_by_role("combobox", name="Search the site")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("our te", delay=30)

    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option", name="Our team")
    expect(option).to_be_visible()
    expect(page.locator(".search-form [role=status]")).to_contain_text("Suggestions:")
    assert_no_axe_violations(page, context="header suggestions open")

    options = listbox.get_by_role("option")
    position = [text.strip() for text in options.all_inner_texts()].index("Our team")
    for _ in range(position + 1):
        box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")

    expect(page.locator("h1")).to_contain_text("Our team")


def test_escape_closes_the_suggestions_and_enter_still_searches(site_url, page):
    page.goto(site_url + "/en/")
    box = page.get_by_role("combobox", name="Search the site")
    box.press_sequentially("our te", delay=30)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()

    box.press("Escape")

    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=our\+te$"))
