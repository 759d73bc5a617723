"""The report page after a send with a few clicks, in Chromium, with axe."""

import os
import re
from pathlib import Path

from django.core import mail
from django.test import Client

import pytest
from playwright.sync_api import expect, sync_playwright

from briefings.newsletter.dispatch import dispatch_create, dispatch_send
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEAD_PROXY,
    VIEWPORT,
    is_local_url,
)
from tests.utils.tools import tool_missing

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

CLICK = re.compile(r'href="http://testserver(/[a-z]{2}/newsletter/r/[^"/]+/)"')
SCREENSHOTS = os.environ.get("REPORT_SCREENSHOTS", "")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        tool_missing("Chromium is needed: apt-get install chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, proxy=DEAD_PROXY
            )
            yield launched
            launched.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_the_report_page_after_a_send_with_clicks(
    browser, live_server, tx_issue, django_user_model
):
    from django.contrib.auth.models import Group, Permission

    mailing_list = MailingListFactory(briefing=True)
    for n in range(4):
        SubscriberFactory(
            email=f"reader{n}@example.org",
            language="fr" if n == 0 else "en",
            lists=[mailing_list],
        )
    dispatch = dispatch_create(page=tx_issue, mailing_list=mailing_list)
    dispatch_send(dispatch=dispatch)
    links = CLICK.findall(mail.outbox[-1].alternatives[0][0])
    for path in (links[0], links[0], links[1]):
        assert Client().get(path).status_code == 302

    editor = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    # A transactional test may run after another has flushed the groups that
    # migrations made: the editors' group is made again with what it needs.
    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        Permission.objects.get(
            content_type__app_label="newsletter", codename="send_digest"
        ),
    )
    editor.groups.add(editors)
    staff = Client()
    staff.force_login(editor)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route(
        "**/*",
        lambda route: (
            route.fallback()
            if is_local_url(route.request.url)
            else route.abort("blockedbyclient")
        ),
    )
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": staff.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/newsletter/dispatches/{dispatch.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delivery report")
    expect(page.get_by_role("link", name="Dispatches")).to_be_visible()
    expect(page.locator("[data-clicks-total]")).to_have_text("3")
    expect(page.locator('[data-count="sent"]')).to_have_text("4")
    assert_no_axe_violations(page, context="delivery report")
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "report-1280.png"), full_page=True)

        page.get_by_role("link", name="Download as CSV").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SCREENSHOTS) / "report-1280-end.png"))
    page.get_by_role("link", name=re.compile(r"^FR:")).click()
    expect(page.locator("iframe")).to_be_visible()
    assert_no_axe_violations(page, context="sent issue")
    if SCREENSHOTS:
        page.screenshot(
            path=str(Path(SCREENSHOTS) / "archive-1280.png"), full_page=True
        )
    context.close()
