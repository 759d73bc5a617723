"""The site runs under its Content-Security-Policy without a single violation.

Chromium reports what a policy blocks twice: on the console ("Refused to ...
because it violates the following Content Security Policy directive") and as
a `securitypolicyviolation` event. Both are collected, in every frame, while
a reader opens one live page of every page type and an administrator opens
the dashboard, the explorer, a page editor with its preview, the image and
document choosers, the image library and the unlock screen.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.images.models import Image
from wagtail.models import Page, Site

import pytest
from playwright.sync_api import expect
from wagtail_factories import ImageFactory

from briefings.news.models import NewsItem
from publications.models import PublicationPage
from tests.e2e.conftest import demo_site_ready, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "csp-e2e-password-7"  # noqa: S105
# Runs before any script of the page, in every frame, outside the page's CSP.
LISTEN = """
window.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}` +
    ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""
CONSOLE_MARKS = ("Content Security Policy", "CSP violation", "Permissions-Policy")


@pytest.fixture
def site_url(live_server) -> str:
    demo_site_ready()
    ImageFactory(title="Kamituga market")
    get_user_model().objects.create_superuser(
        "csp-admin", "csp-admin@example.org", PASSWORD
    )
    return live_server.url


@pytest.fixture
def violations(context) -> list[str]:
    found: list[str] = []
    context.add_init_script(LISTEN)

    def on_console(message):
        if any(mark in message.text for mark in CONSOLE_MARKS):
            found.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return found


def _public_urls() -> list[str]:
    """One live page of each page type, in every language tree."""
    seen = set()
    urls = []
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        key = (type(page), page.locale_id)
        if key in seen:
            continue
        seen.add(key)
        if url := page.get_url():
            urls.append(url)
    return urls


def _sign_in(page, site_url: str) -> None:
    sign_in(page, site_url, "csp-admin", PASSWORD)


def test_public_pages_run_under_the_strict_policy(site_url, page, violations):
    urls = [
        *_public_urls(),
        "/en/search/?q=gold",
        reverse("newsletter:subscribe"),
    ]
    assert len(urls) >= 8
    for url in urls:
        response = page.goto(site_url + url)
        assert response is not None and response.ok, url
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    assert violations == [], "\n".join(violations)


def test_admin_screens_run_under_the_admin_policy(site_url, page, violations):
    # One without a cover: its editor offers "Choose an image" for one.
    study = (
        PublicationPage.objects.live()
        .filter(cover_image__isnull=True)
        .order_by("path")
        .first()
    )
    image = Image.objects.get(title="Kamituga market")
    news_item = NewsItem.objects.exclude(summary_html="").first()
    default_site = Site.objects.get(is_default_site=True)
    _sign_in(page, site_url)

    for path in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[study.get_parent().pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("site_config_locked_sign_ins"),
        reverse("wagtailusers_users:index"),
        reverse("admin:index"),
        reverse("wagtailimages:edit", args=[image.pk]),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtaildocs:add_multiple"),
        reverse("wagtailadmin_pages:history", args=[study.pk]),
        reverse(
            "wagtailadmin_pages:add",
            args=["publications", "publicationpage", study.get_parent().pk],
        ),
        reverse(
            "wagtailsettings:edit",
            args=["site_config", "sitesettings", default_site.pk],
        ),
        reverse("news_newsitem_modeladmin_index"),
        reverse("news_newsitem_modeladmin_inspect", args=[news_item.pk]),
        reverse("wagtailadmin_reports:site_history"),
    ):
        response = page.goto(site_url + path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("networkidle")

    # The page editor, its live preview and the image chooser.
    page.goto(site_url + reverse("wagtailadmin_pages:edit", args=[study.pk]))
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    expect(preview.locator("h1").first).to_be_visible()
    page.get_by_role("button", name="Toggle preview").click()
    page.get_by_role("button", name="Choose an image").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Choose an image")).to_be_visible()
    expect(dialog.get_by_role("link", name="Kamituga market")).to_be_visible()
    dialog.get_by_role("tab", name="Upload").click()
    expect(dialog.get_by_label("Title")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Escape")

    # A signed-in editor's view of a public page carries Wagtail's user bar.
    page.goto(site_url + study.get_url())
    expect(page.locator("wagtail-userbar")).to_be_attached()
    page.wait_for_load_state("networkidle")

    assert violations == [], "\n".join(violations)
