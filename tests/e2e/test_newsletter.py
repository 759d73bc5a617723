"""Subscribing and managing preferences in a real browser, with axe checks."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from briefings.newsletter.choices import SubscriberStatus
from briefings.newsletter.models import MailingList, Subscriber
from tests.e2e.axe import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_subscribe_confirm_and_change_preferences(site_url, page):
    mail.outbox.clear()
    page.goto(site_url + "/en/newsletter/")
    assert_no_axe_violations(page, context="subscribe form")

    # Sending the form empty shows the errors, accessibly.
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Choose at least one list.")).to_be_visible()
    assert_no_axe_violations(page, context="subscribe form with errors")

    page.get_by_label("Email address").fill("zawadi@example.org")
    page.get_by_label("Name (optional)").fill("Zawadi")
    page.get_by_label("Monthly Briefing").check()
    page.get_by_label("Language of the emails").select_option("sw")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert_no_axe_violations(page, context="check your inbox")

    (message,) = mail.outbox
    confirm_url = re.search(r"http://\S+/confirm/\S+/", message.body).group(0)
    path = confirm_url.split("://", 1)[1].split("/", 1)[1]
    page.goto(f"{site_url}/{path}")
    assert_no_axe_violations(page, context="confirm page")
    page.get_by_role("button").filter(has_text=re.compile(".")).last.click()
    expect(page.get_by_role("main").locator("[role=status]")).to_be_visible()
    subscriber = Subscriber.objects.get(email="zawadi@example.org")
    assert subscriber.status == SubscriberStatus.CONFIRMED

    # Links in emails and on this page use the configured base URL, not the
    # live server's: follow the path on the live server.
    href = page.locator("a[href*='/newsletter/preferences/']").get_attribute("href")
    page.goto(site_url + "/" + href.split("://", 1)[1].split("/", 1)[1])
    assert_no_axe_violations(page, context="preferences page")
    # The page is in Zawadi's language, Swahili: the list by its checkbox.
    bulletin = MailingList.objects.get(name="Arms Trade Bulletin")
    page.locator(f"input[name=lists][value='{bulletin.pk}']").check()
    page.locator("button[name=save]").click()
    expect(page.get_by_role("main").locator("[role=status]")).to_be_visible()
    assert_no_axe_violations(page, context="preferences saved")
    assert set(
        subscriber.lists.filter(subscriptions__active=True).values_list(
            "slug", flat=True
        )
    ) == {"monthly-briefing", "arms-trade-bulletin"}
