"""A partner author never reads the title of a draft that is not theirs.

Author A gives their live study a new, unpublished title; an editor renames the
institute's home page without publishing. Wagtail's admin names a page by its
draft title wherever it lists it (choosers, explorer, search, breadcrumbs,
reports, the admin API's `admin_display_title`). Partner B and A's fellow
author A2 open each of those: the new titles never appear, the live ones do,
and the page shows no draft state. A (for their own study) and the editor
still see the draft titles.
"""

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from publications.permissions import draft_hidden, partner_viewing
from tests.publications.partner_setup import Voices

pytestmark = pytest.mark.django_db

STUDY_DRAFT_TITLE = "Shabunda renamed before publication"
HOME_DRAFT_TITLE = "Institute renamed before the launch"


@pytest.fixture(scope="module")
def renamed(voices_shared, django_db_blocker) -> Voices:
    """The shared scenario, with A's live study and the home page given new
    titles in unpublished revisions (rolled back with the scenario)."""
    voices = voices_shared
    with django_db_blocker.unblock():
        study = voices.live_a.specific
        study.title = STUDY_DRAFT_TITLE
        study.save_revision(user=voices.author_a, log_action=True)
        home = voices.library.get_parent().specific
        home.title = HOME_DRAFT_TITLE
        home.save_revision(user=voices.editor, log_action=True)
    return voices


def _live_study_title(voices) -> str:
    return Page.objects.get(pk=voices.live_a.pk).title


def _live_home_title(voices) -> str:
    return Page.objects.get(pk=voices.library.get_parent().pk).title


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# Where A's study is listed for A2 (who writes in the same series); B may open
# the choosers only (B's explorer and search stay in B's series).
STUDY_VIEWS = {
    "page chooser (browse)": lambda v: reverse(
        "wagtailadmin_choose_page_child", args=[v.congo_fr.pk]
    ),
    "page chooser (search)": lambda v: (
        reverse("wagtailadmin_choose_page_search") + "?q=Shabunda"
    ),
    "page chooser (chosen)": lambda v: (
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={v.live_a.pk}"
    ),
    "explorer": lambda v: reverse("wagtailadmin_explore", args=[v.congo_fr.pk]),
    "explorer (results)": lambda v: reverse(
        "wagtailadmin_explore_results", args=[v.congo_fr.pk]
    ),
    "explorer (the study)": lambda v: reverse(
        "wagtailadmin_explore", args=[v.live_a.pk]
    ),
    "admin search": lambda v: reverse("wagtailadmin_pages:search") + "?q=Shabunda",
    "admin search (results)": lambda v: (
        reverse("wagtailadmin_pages:search_results") + "?q=Shabunda"
    ),
    "admin API (listing)": lambda v: f"/admin/api/main/pages/?child_of={v.congo_fr.pk}",
    "admin API (detail)": lambda v: f"/admin/api/main/pages/{v.live_a.pk}/",
    "admin API (search)": lambda v: "/admin/api/main/pages/?search=Shabunda",
}
OPEN_TO_B = ("page chooser (browse)", "page chooser (search)", "page chooser (chosen)")
# Screens that may or may not list the study, but never its draft's title.
QUIET_VIEWS = {
    "dashboard": lambda v: reverse("wagtailadmin_home"),
    "site history": lambda v: reverse("wagtailadmin_reports:site_history"),
    "site history (CSV)": lambda v: (
        reverse("wagtailadmin_reports:site_history") + "?export=csv"
    ),
    "site history (searching the draft title)": lambda v: (
        reverse("wagtailadmin_reports:site_history_results") + "?label=renamed"
    ),
    "aging pages (CSV)": lambda v: (
        reverse("wagtailadmin_reports:aging_pages") + "?export=csv"
    ),
    "workflows report": lambda v: reverse("wagtailadmin_reports:workflow"),
}


@pytest.mark.parametrize(
    ("actor", "view"),
    [("author_a2", view) for view in STUDY_VIEWS]
    + [("author_b", view) for view in OPEN_TO_B],
)
def test_partners_see_others_studies_under_their_live_title(
    renamed, client, actor, view
):
    client.force_login(getattr(renamed, actor))
    response = client.get(STUDY_VIEWS[view](renamed))
    assert response.status_code == 200
    text = _text(response)
    assert STUDY_DRAFT_TITLE not in text
    assert _live_study_title(renamed) in text
    assert "live + draft" not in text


@pytest.mark.parametrize("actor", ["author_a2", "author_b"])
@pytest.mark.parametrize("view", list(QUIET_VIEWS))
def test_no_report_or_history_names_a_draft_title(renamed, client, actor, view):
    client.force_login(getattr(renamed, actor))
    response = client.get(QUIET_VIEWS[view](renamed))
    assert response.status_code == 200
    text = _text(response)
    assert STUDY_DRAFT_TITLE not in text
    assert HOME_DRAFT_TITLE not in text


@pytest.mark.parametrize("actor", ["author_a", "editor"])
@pytest.mark.parametrize(
    "view",
    ["page chooser (browse)", "explorer", "admin search", "admin API (listing)"],
)
def test_the_author_and_staff_still_see_the_draft_title(renamed, client, actor, view):
    client.force_login(getattr(renamed, actor))
    response = client.get(STUDY_VIEWS[view](renamed))
    assert response.status_code == 200
    assert STUDY_DRAFT_TITLE in _text(response)


def test_admin_api_names_the_live_title_and_no_draft_state(renamed, client):
    url = f"/admin/api/main/pages/?child_of={renamed.congo_fr.pk}&fields=status"
    seen = {}
    for actor in ("author_a2", "author_a", "editor"):
        client.force_login(getattr(renamed, actor))
        items = client.get(url).json()["items"]
        study = next(item for item in items if item["id"] == renamed.live_a.pk)
        seen[actor] = (study["admin_display_title"], study["meta"]["status"])
    live = _live_study_title(renamed)
    assert seen["author_a2"] == (
        live,
        {"status": "live", "live": True, "has_unpublished_changes": False},
    )
    for actor in ("author_a", "editor"):
        assert seen[actor] == (
            STUDY_DRAFT_TITLE,
            {"status": "live + draft", "live": True, "has_unpublished_changes": True},
        )


def test_a_scheduled_revision_is_not_announced(renamed, client):
    """An editor schedules A's new title: A2 sees a live page, nothing more."""
    study = renamed.live_a.specific.get_latest_revision_as_object()
    study.go_live_at = timezone.now() + datetime.timedelta(days=3)
    study.save_revision(user=renamed.editor).publish(user=renamed.editor)
    url = f"/admin/api/main/pages/{renamed.live_a.pk}/"
    client.force_login(renamed.author_a2)
    meta = client.get(url).json()["meta"]
    assert meta["status"]["status"] == "live"
    explorer = client.get(reverse("wagtailadmin_explore", args=[renamed.congo_fr.pk]))
    assert "scheduled" not in explorer.content.decode().lower()
    client.force_login(renamed.editor)
    assert client.get(url).json()["meta"]["status"]["status"] == "live + scheduled"


def test_an_editors_renaming_stays_with_staff(renamed, client):
    """B browses the chooser from the top and the explorer's breadcrumbs: the
    home page keeps its live title until the editor publishes."""
    home_live = _live_home_title(renamed)
    client.force_login(renamed.author_b)
    chooser = client.get(reverse("wagtailadmin_choose_page")).content.decode()
    assert HOME_DRAFT_TITLE not in chooser
    assert home_live in chooser
    explorer = client.get(reverse("wagtailadmin_explore", args=[renamed.tanzania.pk]))
    assert HOME_DRAFT_TITLE not in explorer.content.decode()
    client.force_login(renamed.editor)
    chooser = client.get(reverse("wagtailadmin_choose_page")).content.decode()
    assert HOME_DRAFT_TITLE in chooser


def test_external_link_chooser_names_the_live_title(renamed, client):
    """Pasting the site's address makes the chooser offer a link to the home
    page, which it names by `draft_title` unless the guard steps in."""
    data = {"external-link-chooser-url": "http://localhost/"}
    url = reverse("wagtailadmin_choose_page_external_link")
    client.force_login(renamed.author_b)
    response = client.post(url, data)
    assert response.status_code == 200
    answer = response.json()
    assert answer["internal"]["adminTitle"] == _live_home_title(renamed)
    assert HOME_DRAFT_TITLE not in json.dumps(answer)
    client.force_login(renamed.editor)
    assert client.post(url, data).json()["internal"]["adminTitle"] == HOME_DRAFT_TITLE


def test_draft_titles_outside_a_partners_request(renamed):
    """Code run for staff, commands and mail (no partner request) is unchanged;
    inside a partner's request only their own pages show a draft title."""
    study = Page.objects.get(pk=renamed.live_a.pk)
    assert study.get_admin_display_title() == STUDY_DRAFT_TITLE
    with partner_viewing(renamed.author_a2):
        assert draft_hidden(study)
        assert study.get_admin_display_title() == _live_study_title(renamed)
        assert study.status_string == "live"
    with partner_viewing(renamed.author_a):
        assert study.get_admin_display_title() == STUDY_DRAFT_TITLE
    with partner_viewing(renamed.editor):
        assert not draft_hidden(study)
        assert study.get_admin_display_title() == STUDY_DRAFT_TITLE
    assert study.get_admin_display_title() == STUDY_DRAFT_TITLE
