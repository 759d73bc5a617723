"""An editor finds a translation whose English source was published again,
sees what changed and marks it up to date; axe on the report and the notice."""

import os
import re
from pathlib import Path

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Locale
from wagtail.models import Page as WagtailPage

import pytest
from playwright.sync_api import expect

from site_config.models import StandardPage, TranslationRecord
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Screenshots for a person to look at, when asked for (never in CI by default).
SHOTS = os.environ.get("TRANSLATION_SCREENSHOTS", "")


def _shoot(page, name: str, url: str = "") -> None:
    if not SHOTS:
        return
    if url:
        page.goto(url)
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_report_see_what_changed_and_mark_up_to_date(site_url, page, django_user_model):
    about = StandardPage.objects.get(locale__language_code="en", slug="about")
    french = about.get_translation(Locale.objects.get(language_code="fr"))
    about.intro = "What the institute does, in a few words more."
    about.save_revision().publish()
    editor = django_user_model.objects.create_user("translator", password="pw")
    editors = Group.objects.get(name="Editors")
    editor.groups.add(editors)
    # Granted to Editors by data migrations, which a flushed test database
    # (after an earlier browser test) no longer holds: the report, and editing.
    editor.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="site_config", codename="review_translations"
        )
    )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=WagtailPage.get_first_root_node(),
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    sign_in(page, site_url, "translator", "pw")

    page.goto(f"{site_url}/admin/translations/?state=out_of_date")
    # Cells after the page's own: type, English (the source), French, Swahili.
    french_cell = page.get_by_role("row", name=about.title).get_by_role("cell").nth(2)
    expect(french_cell).to_contain_text("Out of date since")
    # The demo's other translations were recorded up to date: one row only.
    expect(page.locator(".translations-report tbody tr")).to_have_count(1)
    assert_no_axe_violations(page, context="translations report")
    _shoot(page, "translations-report-filtered")
    _shoot(page, "translations-report", f"{site_url}/admin/translations/")
    if SHOTS:
        page.go_back()

    french_cell.get_by_role("link", name="See what changed").click()
    # Wagtail's comparison of the two English revisions: the new words marked.
    expect(page).to_have_url(re.compile(r"/revisions/compare/\d+\.\.\.\d+/$"))
    expect(page.locator(".addition", has_text="words").first).to_be_visible()

    page.go_back()
    french_cell.get_by_role("link", name="Edit translation").click()
    notice = page.get_by_text("The English source has changed since this translation")
    expect(notice).to_be_visible()
    assert_no_axe_violations(
        page,
        context="translation's edit screen",
        # Wagtail's Draftail editor names its textbox by a placeholder only;
        # the notice and everything of ours on the screen are checked.
        disable_rules=["aria-input-field-name"],
    )
    _shoot(page, "translation-edit-notice")

    page.get_by_role("link", name="Mark up to date").click()
    _shoot(page, "translation-mark-up-to-date")
    page.get_by_role("button", name="Yes, mark up to date").click()

    expect(
        page.get_by_text("is marked up to date with its English source")
    ).to_be_visible()
    expect(notice).to_have_count(0)
    record = TranslationRecord.objects.get(translation=french)
    assert record.checked_by == editor
    about.refresh_from_db()
    assert record.source_revision_id == about.live_revision_id
