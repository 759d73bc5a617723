"""Translations that stay in step: recorded when made, out of date once the
source is published again, marked up to date by Editors, listed in a report."""

import csv
import io

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page, PageLogEntry

import pytest

from site_config.models import TranslationRecord
from site_config.translations.services import (
    ALIAS,
    MISSING,
    NEVER_CHECKED,
    OUT_OF_DATE,
    SOURCE,
    UP_TO_DATE,
    translation_state,
    translations_mark_all_up_to_date,
)
from tests.site_config.factories import (
    StandardPageFactory,
    home_page_make,
    locales_ensure,
)
from tests.utils.shared import rows_again

pytestmark = pytest.mark.django_db

REPORT = "site_config_translations:report"
MARK = "site_config_translations:mark_up_to_date"


def _published(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _user(django_user_model, name, group=None, **extra):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    if group:
        user.groups.add(Group.objects.get(name=group))
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    return user


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "editor", "Editors")


@pytest.fixture
def moderator(django_user_model):
    """Staff without the permission: Moderators review content only."""
    return _user(django_user_model, "moderator", "Moderators")


@pytest.fixture
def admin_user(django_user_model):
    return _user(django_user_model, "root", is_superuser=True, is_staff=True)


def rows_build():
    """An English home with a French translation, and an English page under it."""
    locales = locales_ensure()
    home_page = _published(home_page_make(locales))
    fr_home = _published(home_page.copy_for_translation(locales["fr"]))
    about = _published(StandardPageFactory(parent=home_page, title="About us"))
    return {"home": home_page, "fr_home": fr_home, "about": about, **locales}


@pytest.fixture
def site(module_rows, db):
    return rows_again(module_rows)


def _translate(client, page, locale):
    """Translate `page` as an editor does: simple_translation's form."""
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[page.pk]),
        {"locales": [locale.pk]},
    )
    assert response.status_code == 302, response.content[:500]
    return page.get_translation(locale)


def test_translating_a_page_records_its_source_revision_and_who(
    client, site, admin_user
):
    client.force_login(admin_user)
    about = site["about"]

    french = _translate(client, about, site["fr"])

    record = TranslationRecord.objects.get(translation=french)
    assert record.source_id == about.pk
    assert record.source_revision_id == about.live_revision_id
    assert record.checked_by == admin_user
    assert record.is_alias is False
    assert translation_state(translation=french).state == UP_TO_DATE


def test_an_alias_is_recorded_as_alias(site):
    alias = site["about"].copy_for_translation(site["fr"], alias=True)

    assert TranslationRecord.objects.get(translation=alias).is_alias
    assert translation_state(translation=alias).state == ALIAS


def test_a_source_draft_does_not_date_the_translation_a_publish_does(site):
    about = site["about"]
    french = _published(about.copy_for_translation(site["fr"]))

    about.title = "About the institute"
    about.save_revision()  # a draft only
    assert translation_state(translation=french).state == UP_TO_DATE

    revision = about.save_revision()
    revision.publish()
    state = translation_state(translation=french)
    assert state.state == OUT_OF_DATE
    about.refresh_from_db()
    assert state.live_revision_id == revision.pk
    published = PageLogEntry.objects.get(action="wagtail.publish", revision=revision)
    assert state.since == published.timestamp
    assert state.compare_url == reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[
            about.pk,
            TranslationRecord.objects.get(translation=french).source_revision_id,
            revision.pk,
        ],
    )


def test_a_translation_made_from_a_source_draft_is_current_once_it_is_published(
    site,
):
    page = StandardPageFactory(parent=site["home"], title="Not yet live", live=False)
    draft = page.save_revision()
    french = page.copy_for_translation(site["fr"])  # copies the draft

    draft.publish()
    assert TranslationRecord.objects.get(translation=french).source_revision == draft
    assert translation_state(translation=french).state == UP_TO_DATE

    page.refresh_from_db()
    page.save_revision().publish()
    assert translation_state(translation=french).state == OUT_OF_DATE


def test_translations_made_elsewhere_are_never_checked(site):
    french = site["about"].copy_for_translation(site["fr"])
    TranslationRecord.objects.filter(translation=french).delete()

    assert translation_state(translation=french).state == NEVER_CHECKED
    assert translation_state(translation=site["about"]).state == SOURCE


@pytest.fixture
def stale(site):
    """A French translation whose English source was published again since."""
    french = _published(site["about"].copy_for_translation(site["fr"]))
    about = site["about"]
    about.title = "About the institute"
    _published(about)
    return french


def test_the_edit_screen_warns_of_a_changed_source(client, editor, stale, site):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[stale.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The English source has changed since this translation" in html
    state = translation_state(translation=stale)
    assert state.compare_url in html
    assert reverse(MARK, args=[stale.pk]) in html
    # The comparison it links to opens for the editor.
    assert client.get(state.compare_url).status_code == 200


def test_the_edit_screen_says_nothing_of_a_current_translation(client, editor, site):
    french = _published(site["about"].copy_for_translation(site["fr"]))
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[french.pk]))

    assert "source has changed" not in response.content.decode()


def test_staff_without_the_permission_get_no_notice(client, moderator, stale):
    client.force_login(moderator)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[stale.pk]))

    assert response.status_code == 200
    assert "source has changed" not in response.content.decode()


def test_an_editor_marks_a_translation_up_to_date_after_confirming(
    client, editor, stale
):
    client.force_login(editor)
    url = reverse(MARK, args=[stale.pk])
    report = reverse(REPORT) + "?state=out_of_date"

    asked = client.get(url, {"next": report})
    assert asked.status_code == 200
    assert "Yes, mark up to date" in asked.content.decode()
    # Asking changes nothing.
    assert translation_state(translation=stale).state == OUT_OF_DATE

    done = client.post(url, {"next": report})

    assert done.status_code == 302 and done.url == report
    record = TranslationRecord.objects.get(translation=stale)
    assert record.checked_by == editor
    assert record.source.live_revision_id == record.source_revision_id
    assert translation_state(translation=stale).state == UP_TO_DATE


def test_marking_goes_back_only_to_an_address_of_the_site(client, editor, stale):
    client.force_login(editor)

    done = client.post(
        reverse(MARK, args=[stale.pk]), {"next": "https://elsewhere.example/"}
    )

    assert done.url == reverse("wagtailadmin_pages:edit", args=[stale.pk])


def test_marking_needs_the_csrf_token(editor, stale):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(reverse(MARK, args=[stale.pk]))

    assert response.status_code == 403
    assert translation_state(translation=stale).state == OUT_OF_DATE


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_without_the_permission_cannot_mark(client, moderator, stale, method):
    client.force_login(moderator)

    response = getattr(client, method)(reverse(MARK, args=[stale.pk]))

    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert translation_state(translation=stale).state == OUT_OF_DATE


def test_the_permission_is_checked_before_the_page_is_looked_up(client, moderator):
    client.force_login(moderator)

    response = client.get(reverse(MARK, args=[987654]))

    # "No permission", not "no such page": nothing is told about the page.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_an_original_page_cannot_be_marked(client, editor, site):
    client.force_login(editor)

    response = client.get(reverse(MARK, args=[site["about"].pk]), follow=True)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "url_name", [REPORT, "site_config_translations:report_results"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_anonymous_visitors_cannot_mark(client, stale):
    response = client.post(reverse(MARK, args=[stale.pk]))

    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert translation_state(translation=stale).state == OUT_OF_DATE


def test_the_report_is_for_editors_only(client, moderator, editor, site):
    client.force_login(moderator)
    refused = client.get(reverse(REPORT))
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(REPORT) not in menu

    client.force_login(editor)
    assert client.get(reverse(REPORT)).status_code == 200
    assert reverse(REPORT) in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.fixture
def report_site(site, stale):
    """English pages whose French and Swahili versions are in every state."""
    home, fr, sw = site["home"], site["fr"], site["sw"]
    _published(home.copy_for_translation(sw))
    current = _published(StandardPageFactory(parent=home, title="Current page"))
    _published(current.copy_for_translation(fr))
    aliased = _published(StandardPageFactory(parent=home, title="Aliased page"))
    aliased.copy_for_translation(fr, alias=True)
    unchecked = _published(StandardPageFactory(parent=home, title="Unchecked page"))
    french = unchecked.copy_for_translation(fr)
    TranslationRecord.objects.filter(translation=french).delete()
    return {"stale": stale, "current": current, "aliased": aliased, **site}


def _cells(response, title):
    """The states of a row of the report, per language, by the page's title."""
    page = next(p for p in response.context["object_list"] if p.draft_title == title)
    return {state.language: state.state for state in page.translation_states}


def test_the_report_shows_each_language_of_each_source_page(
    client, editor, report_site
):
    client.force_login(editor)

    response = client.get(reverse(REPORT))

    assert response.status_code == 200
    titles = [page.draft_title for page in response.context["object_list"]]
    # Translations are not rows: each group appears once, by its source.
    assert sorted(titles) == sorted(
        [
            "Research for durable peace",
            "About the institute",
            "Current page",
            "Aliased page",
            "Unchecked page",
        ]
    )
    assert _cells(response, "About the institute") == {
        "en": SOURCE,
        "fr": OUT_OF_DATE,
        "sw": MISSING,
    }
    assert _cells(response, "Current page")["fr"] == UP_TO_DATE
    assert _cells(response, "Aliased page")["fr"] == ALIAS
    assert _cells(response, "Unchecked page")["fr"] == NEVER_CHECKED
    html = response.content.decode()
    assert "Out of date since" in html
    assert "See what changed" in html


@pytest.mark.parametrize(
    ("state", "titles"),
    [
        (OUT_OF_DATE, {"About the institute"}),
        (NEVER_CHECKED, {"Unchecked page"}),
        (
            "needs_work",
            {"About the institute", "Current page", "Aliased page", "Unchecked page"},
        ),
    ],
)
def test_the_report_filters_by_state(client, editor, report_site, state, titles):
    client.force_login(editor)

    response = client.get(reverse(REPORT), {"state": state})

    assert {p.draft_title for p in response.context["object_list"]} == titles


def test_the_report_exports_csv_with_a_column_per_language(client, editor, report_site):
    about = report_site["about"]
    about.title = "=HYPERLINK(1)"
    about.save_revision()  # a draft title: shown, and never read as a formula
    client.force_login(editor)

    response = client.get(reverse(REPORT), {"export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Title",
        "Source language",
        "Type",
        "Path",
        "English",
        "French",
        "Swahili",
    ]  # noqa: E501
    by_title = {row[0]: row for row in rows[1:]}
    stale = by_title["'=HYPERLINK(1)"]
    assert stale[1] == "en"
    assert stale[5].startswith("Out of date since")
    assert stale[6] == "Missing"
    assert by_title["Aliased page"][5] == "Alias"


def test_the_report_exports_xlsx(client, editor, report_site):
    client.force_login(editor)

    response = client.get(reverse(REPORT), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def _report_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(REPORT))
    assert response.status_code == 200
    return len(queries), len(response.context["object_list"])


def test_the_report_query_count_does_not_grow_with_its_rows(client, editor, site):
    client.force_login(editor)
    home = site["home"]
    _published(site["about"].copy_for_translation(site["fr"]))
    # Once first: what the first request caches (site root paths, content
    # types) is not the report's rows. The site is built before the test's
    # cache is emptied (module_rows), so nothing is warm yet.
    _report_queries(client)
    few, rows = _report_queries(client)
    assert rows == 2

    for number in range(12):
        page = _published(StandardPageFactory(parent=home, title=f"Page {number}"))
        if number % 2:
            _published(page.copy_for_translation(site["fr"]))
    many, rows = _report_queries(client)

    assert rows == 14
    assert many == few


def test_the_demo_marks_its_translations_up_to_date(site):
    about = site["about"]
    french = _published(about.copy_for_translation(site["fr"]))
    _published(about)  # the source moved on during the build
    started = TranslationRecord.objects.get(translation=french).made_at

    assert translations_mark_all_up_to_date(made_since=started) >= 1

    assert translation_state(translation=french).state == UP_TO_DATE
    # A second run marks nothing: what changed since stays out of date.
    _published(about)
    later = TranslationRecord.objects.get(translation=french).checked_at
    assert translations_mark_all_up_to_date(made_since=later) == 0
    assert translation_state(translation=french).state == OUT_OF_DATE
    assert Page.objects.filter(pk=french.pk).exists()


def test_editors_review_translations_moderators_do_not(editor, moderator):
    assert editor.has_perm("site_config.review_translations")
    assert not moderator.has_perm("site_config.review_translations")


def test_the_permission_is_offered_in_the_group_editor(client, admin_user):
    client.force_login(admin_user)
    editors = Group.objects.get(name="Editors")

    response = client.get(reverse("wagtailusers_groups:edit", args=[editors.pk]))

    assert "Can review translations" in response.content.decode()


def test_who_may_translate_gets_a_link_where_a_translation_is_missing(
    client, admin_user, editor, report_site
):
    translate = reverse(
        "simple_translation:submit_page_translation", args=[report_site["about"].pk]
    )
    client.force_login(editor)  # Editors do not translate with simple_translation
    assert translate not in client.get(reverse(REPORT)).content.decode()

    client.force_login(admin_user)
    assert translate in client.get(reverse(REPORT)).content.decode()
