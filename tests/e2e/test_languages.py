"""Switching language in a real browser; the French and Swahili pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from publications.models import PublicationPage
from tests.e2e.axe import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _switcher(page):
    return page.get_by_role("navigation", name="Language")


def test_reader_switches_language_from_a_publication_and_from_a_briefing(
    site_url, page
):
    study = PublicationPage.objects.get(slug="voices-from-tanzania-volume-1")
    swahili = PublicationPage.objects.get(
        locale__language_code="sw", translation_key=study.translation_key
    )

    # A publication with a Swahili translation: the switcher goes straight to it.
    page.goto(site_url + study.url)
    _switcher(page).get_by_role("link", name="Kiswahili", exact=True).click()

    expect(page).to_have_url(site_url + swahili.url)
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    expect(page.locator("h1")).to_contain_text("Sauti kutoka Tanzania")
    expect(page.get_by_role("link", name="Nenda kwenye maudhui makuu")).to_be_attached()
    assert_no_axe_violations(page, context=swahili.url)

    # A briefing with no French translation: the link says so and leads home.
    page.goto(site_url + "/en/briefing/october-2019/")
    french = _switcher(page).get_by_role(
        "link", name=re.compile(r"^français \(home page, no translation")
    )
    expect(french).to_have_attribute("href", "/fr/")
    french.click()

    expect(page).to_have_url(site_url + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(
        _switcher_fr(page).get_by_role("link", name="français", exact=True)
    ).to_have_attribute("aria-current", "true")
    assert_no_axe_violations(page, context="/fr/")

    for path in ("/sw/", "/fr/bulletin-commerce-des-armes/septembre-octobre-2019/"):
        page.goto(site_url + path)
        assert_no_axe_violations(page, context=path)


def _switcher_fr(page):
    return page.get_by_role("navigation", name="Langue")
