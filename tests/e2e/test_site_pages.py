"""The public pages in a real browser: accessibility, small screens, keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/en/",
    "/fr/",
    "/sw/",
    "/en/about/",
    "/en/team/",
    "/en/research/",
    "/en/briefing/",
    "/en/briefing/october-2019/",
    "/en/arms-trade-bulletin/",
]


def test_home_and_standard_pages_have_no_axe_violations(site_url, page):
    for path in PAGES:
        page.goto(site_url + path)
        assert_no_axe_violations(page, context=path)


def test_pages_fit_a_320px_screen_without_sideways_scrolling(site_url, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/en/", "/en/team/"):
        page.goto(site_url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        assert_no_axe_violations(page, context=f"{path} at 320px")


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(site_url, page):
    page.goto(site_url + "/en/about/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


def test_reader_switches_language_from_the_header(site_url, page):
    page.goto(site_url + "/en/")

    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="français"
    ).click()

    expect(page).to_have_url(site_url + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_contain_text("paix durable")


def test_main_navigation_leads_to_the_team(site_url, page):
    page.goto(site_url + "/en/")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Our team"
    ).click()

    expect(page.locator("h1")).to_have_text("Our team")
    expect(page.get_by_text("Filip Reyniers")).to_be_visible()
    current = page.get_by_role("navigation", name="Main").locator("[aria-current=page]")
    expect(current).to_have_text("Our team")


def test_a_programme_page_in_each_language_on_small_and_wide_screens(site_url, page):
    from site_config.models import ProgrammePage

    for code in ("en", "fr", "sw"):
        programme_page = (
            ProgrammePage.objects.live()
            .filter(locale__language_code=code)
            .order_by("path")
            .first()
        )
        assert programme_page is not None, f"no {code} programme page in the demo"
        path = programme_page.get_url()
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(site_url + path)
            expect(page.locator("html")).to_have_attribute("lang", code)
            expect(page.get_by_role("heading", level=1)).to_have_text(
                programme_page.title
            )
            overflow = page.evaluate(
                "document.documentElement.scrollWidth"
                " - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways at {width}px"
            assert_no_axe_violations(page, context=f"{path} at {width}px")
        # Its publications lead on to the library, filtered by the programme.
        page.locator(".programme__more a").click()
        expect(page).to_have_url(re.compile(r"[?&]programme="))
        expect(page.locator(".library-list__item").first).to_be_visible()
