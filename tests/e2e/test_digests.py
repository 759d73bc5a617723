"""Composing a Briefing as an editor would, and the email at phone and desktop width."""

import re

import pytest
from playwright.sync_api import expect

from briefings.email.render import render_digest_email
from briefings.models import BriefingIndexPage, BriefingPage
from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem
from tests.briefings.factories import item_raw, section_raw, sections_json
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

INBOX = "/admin/news/newsitem/"


def _sign_in(page, site_url, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    sign_in(page, site_url, "editor", "pw")
    expect(page).to_have_url(f"{site_url}/admin/")


def _tick_and_apply(page, titles, action, **fields):
    for title in titles:
        page.get_by_role("checkbox", name=f"Select “{title}”").check()
    page.locator("#news-bulk-action").select_option(action)
    if "digest" in fields:
        page.locator("#news-bulk-digest").select_option(str(fields["digest"]))
    if "section" in fields:
        page.locator("#news-bulk-section").fill(fields["section"])
    page.locator("#news-bulk").get_by_role("button", name="Apply").click()


def test_editor_composes_previews_and_publishes_a_briefing(
    site_url, page, django_user_model
):
    archive = BriefingIndexPage.objects.get(locale__language_code="en")
    draft = archive.add_child(
        instance=BriefingPage(
            title="Briefing January 2020",
            slug="january-2020",
            issue_date="2020-01-15",
            focus_title="Gold from eastern DR Congo",
            standfirst="Where the gold goes.",
            editorial="<p>Our view on gold this month.</p>",
            live=False,
        )
    )
    draft.save_revision()
    titles = [
        item.title
        for item in NewsItem.objects.inbox()
        .filter(status=NewsStatus.NEW)
        .order_by("-published_at", "-pk")[:2]
    ]
    _sign_in(page, site_url, django_user_model)

    page.goto(f"{site_url}{INBOX}?status=new")
    _tick_and_apply(page, titles, "shortlist")
    expect(page.get_by_text("Shortlist: 2 item(s).")).to_be_visible()

    page.goto(f"{site_url}{INBOX}?status=shortlisted")
    _tick_and_apply(
        page, titles, "add_to_digest", digest=draft.pk, section="Natural resources"
    )
    expect(
        page.get_by_text(re.compile(r"2 item\(s\) added to “Briefing January 2020”"))
    ).to_be_visible()

    page.goto(f"{site_url}/admin/pages/{draft.pk}/edit/")
    first, second = (
        page.locator("input[name$='-title']").nth(index).input_value()
        for index in range(2)
    )
    assert {first, second} == set(titles)
    # The section's own arrows are disabled (one section): the first enabled
    # "Move down" belongs to the first item.
    page.locator(
        "button[data-streamfield-action='MOVE_DOWN']:not([disabled])"
    ).first.click()
    assert page.locator("input[name$='-title']").first.input_value() == second
    page.locator("button[name='action-publish']").evaluate("button => button.click()")
    expect(page.get_by_text("published", exact=False).first).to_be_visible()

    page.goto(f"{site_url}/admin/pages/{draft.pk}/view_draft/")
    expect(page.get_by_role("navigation", name="In this issue")).to_be_visible()
    page.goto(f"{site_url}/admin/pages/{draft.pk}/view_draft/?mode=email")
    expect(
        page.get_by_role("heading", name="Gold from eastern DR Congo")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Unsubscribe")).to_have_attribute(
        "href", "%%unsubscribe_url%%"
    )

    published = BriefingPage.objects.get(pk=draft.pk)
    assert published.live
    items = [item.value["title"] for item in published.sections[0].value["items"]]
    assert items == [second, first]
    # Read as a reader does: signed out, without the editor's userbar.
    page.context.clear_cookies()
    page.goto(site_url + published.url)
    expect(
        page.get_by_role("heading", name="Natural resources", level=2)
    ).to_be_visible()
    expect(page.get_by_role("link", name=second)).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )
    page.goto(site_url + archive.url)
    expect(page.get_by_role("heading", name="2020")).to_be_visible()
    assert_no_axe_violations(page)


def test_december_email_fits_phone_and_desktop_widths(site_url, page, tmp_path):
    december = BriefingPage.objects.get(
        slug="december-2019", locale__language_code="en"
    )
    email = render_digest_email(december, base_url=site_url)

    for width in (600, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.set_content(email.html)
        page.screenshot(path=str(tmp_path / f"december-{width}.png"), full_page=True)

        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{overflow}px too wide at {width}px"
        heading = page.get_by_role("heading", name="Defence-related companies")
        expect(heading).to_be_visible()
        assert heading.bounding_box()["width"] <= width


def test_awkward_issue_fits_a_phone_on_the_web_and_by_email(site_url, page):
    archive = BriefingIndexPage.objects.get(locale__language_code="en")
    awkward = archive.add_child(
        instance=BriefingPage(
            title="Briefing awkward",
            slug="awkward",
            issue_date="2020-02-15",
            focus_title="Minerals 💎 and arms ⚔️ " + "Z" * 200,
            editorial=f"<h3>{'W' * 5000}</h3><p>שלום עולם — مرحبا بالعالم</p>",
            sections=sections_json(
                section_raw(
                    "تجارة الأسلحة",
                    [item_raw(title="🚀 " + "Y" * 300, url="https://x.example/")],
                ),
                section_raw(""),
            ),
        )
    )
    awkward.save_revision().publish()
    page.set_viewport_size({"width": 375, "height": 800})
    fits = "() => document.documentElement.scrollWidth <= window.innerWidth"

    page.goto(site_url + awkward.url)
    assert page.evaluate(fits)
    # A mail client shows the email as its own document, not under the site's
    # Content-Security-Policy (which would refuse the email's inline styles).
    page.goto("about:blank")
    page.set_content(render_digest_email(awkward, base_url=site_url).html)
    assert page.evaluate(fits)
