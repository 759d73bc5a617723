"""Who may open what in the admin: partner A, partner B, an editor, anonymous.

One row per admin view that takes a page, revision, document or image, with
the answer each person must get. `test_every_object_admin_view_is_in_the_matrix`
fails when Wagtail (or we) add such a view that is not in the table, so a
new view that leaks cannot slip in unnoticed.

Answers: OK (200, the page), DENIED (403, or Wagtail's redirect to the
dashboard with "Sorry, you do not have permission"), LOGIN (redirect to a
sign-in form), MISSING (404; under /admin/api/ the locale middleware turns the
404 into a redirect to /en/…, which is followed to check it is a 404 too),
or a path the view redirects to.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from tests.publications.partner_setup import Voices

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN, MISSING, NOT_ALLOWED = "ok", "denied", "login", "missing", "405"
ACTORS = ("author_a", "author_b", "editor", "anonymous")


def outcome(client, response, path: str) -> str:
    status = response.status_code
    if status == 200:
        return OK
    if status == 403:
        return DENIED
    if status == 404:
        return MISSING
    if status == 405:
        return NOT_ALLOWED
    if status in (301, 302):
        location = response["Location"]
        if location == reverse("wagtailadmin_home"):
            return DENIED
        if location.startswith(
            (reverse("wagtailadmin_login"), reverse("wagtailcore_login"))
        ):
            return LOGIN
        if location.startswith("/en" + path.split("?")[0]):
            return MISSING if client.get(location).status_code == 404 else location
        return location
    return str(status)


@dataclass(frozen=True)
class Row:
    name: str  # the URL name it covers
    url: Callable[[Voices], str]
    expected: tuple[str, str, str, str]  # author_a, author_b, editor, anonymous
    method: str = "get"
    data: Callable[[Voices], dict] | None = None


def _r(name, *args):
    return lambda v: reverse(name, args=[arg(v) for arg in args])


def draft(v):
    return v.draft_a.pk


def review(v):
    return v.review_a.pk


def live(v):
    return v.live_a.pk


def series(v):
    return v.congo_fr.pk


def revision(v):
    return v.draft_a.latest_revision_id


def task_state(v):
    return v.review_a.current_workflow_task_state.pk


def task(v):
    return v.review_a.current_workflow_task_state.task_id


def workflow_state(v):
    return v.review_a.current_workflow_state.pk


def document(v):
    return v.document_a.pk


def image(v):
    return v.image_a.pk


A_ONLY = (OK, DENIED, OK, LOGIN)  # the author's own page, and staff
STAFF = (DENIED, DENIED, OK, LOGIN)
NOBODY = (DENIED, DENIED, DENIED, LOGIN)  # superusers only
EVERY_USER = (OK, OK, OK, LOGIN)
REPORT = EVERY_USER
SENDERS = (DENIED, DENIED, MISSING, LOGIN)  # Editors may send; a study is no digest

ROWS = [
    # Pages: editing, previews, history and revisions.
    Row("wagtailadmin_pages:edit", _r("wagtailadmin_pages:edit", draft), A_ONLY),
    Row(
        "wagtailadmin_pages:view_draft",
        _r("wagtailadmin_pages:view_draft", draft),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:preview_on_edit",
        _r("wagtailadmin_pages:preview_on_edit", draft),
        A_ONLY,
    ),
    Row("wagtailadmin_pages:history", _r("wagtailadmin_pages:history", draft), A_ONLY),
    Row(
        "wagtailadmin_pages:history_results",
        _r("wagtailadmin_pages:history_results", draft),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:revisions_index",
        _r("wagtailadmin_pages:revisions_index", draft),
        # An old address that only redirects to the history (checked above).
        ("history", "history", "history", LOGIN),
    ),
    Row(
        "wagtailadmin_pages:revisions_view",
        _r("wagtailadmin_pages:revisions_view", draft, revision),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:revisions_compare",
        lambda v: reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[draft(v), "earliest", "latest"],
        ),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:revisions_revert",
        _r("wagtailadmin_pages:revisions_revert", draft, revision),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:revisions_unschedule",
        _r("wagtailadmin_pages:revisions_unschedule", draft, revision),
        STAFF,
    ),
    Row("wagtailadmin_pages:usage", _r("wagtailadmin_pages:usage", draft), A_ONLY),
    # Pages: what partners may never do, even to their own study.
    Row("wagtailadmin_pages:copy", _r("wagtailadmin_pages:copy", draft), STAFF),
    Row("wagtailadmin_pages:move", _r("wagtailadmin_pages:move", draft), STAFF),
    Row(
        "wagtailadmin_pages:move_confirm",
        _r("wagtailadmin_pages:move_confirm", draft, lambda v: v.fr_library.pk),
        STAFF,
    ),
    Row(
        "wagtailadmin_pages:set_page_position",
        _r("wagtailadmin_pages:set_page_position", draft),
        STAFF,
        method="post",
    ),
    # Sending digests: a study is no digest, and partners may not send at all.
    Row("newsletter_digest_send", _r("newsletter_digest_send", draft), SENDERS),
    Row(
        "newsletter_digest_send_test", _r("newsletter_digest_send_test", draft), SENDERS
    ),
    Row("wagtailadmin_pages:delete", _r("wagtailadmin_pages:delete", draft), STAFF),
    Row(
        "wagtailadmin_pages:delete (POST)",
        _r("wagtailadmin_pages:delete", draft),
        (DENIED, DENIED, "/admin/pages/{series}/", LOGIN),
        method="post",
    ),
    Row(
        "wagtailadmin_pages:unpublish", _r("wagtailadmin_pages:unpublish", live), STAFF
    ),
    Row(
        "wagtailadmin_pages:set_privacy",
        _r("wagtailadmin_pages:set_privacy", draft),
        STAFF,
    ),
    Row(
        "wagtailadmin_pages:lock",
        _r("wagtailadmin_pages:lock", draft),
        NOBODY,  # locking is not part of the review
        method="post",
    ),
    Row(
        "wagtailadmin_pages:unlock",
        _r("wagtailadmin_pages:unlock", draft),
        NOBODY,
        method="post",
    ),
    Row(
        "wagtailadmin_pages:convert_alias",
        _r("wagtailadmin_pages:convert_alias", draft),
        (MISSING, MISSING, MISSING, LOGIN),  # not an alias
    ),
    # Pages: the review workflow.
    Row(
        "wagtailadmin_pages:workflow_history",
        _r("wagtailadmin_pages:workflow_history", review),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:workflow_history_detail",
        _r("wagtailadmin_pages:workflow_history_detail", review, workflow_state),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:workflow_preview",
        _r("wagtailadmin_pages:workflow_preview", review, task),
        STAFF,
    ),
    Row(
        "wagtailadmin_pages:workflow_action",
        lambda v: reverse(
            "wagtailadmin_pages:workflow_action",
            args=[review(v), "approve", task_state(v)],
        ),
        STAFF,
    ),
    Row(
        "wagtailadmin_pages:workflow_action (POST approve)",
        lambda v: reverse(
            "wagtailadmin_pages:workflow_action",
            args=[review(v), "approve", task_state(v)],
        ),
        (DENIED, DENIED, "/admin/pages/{review}/edit/", LOGIN),
        method="post",
    ),
    Row(
        "wagtailadmin_pages:collect_workflow_action_data",
        lambda v: reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[review(v), "reject", task_state(v)],
        ),
        STAFF,
    ),
    Row(
        "wagtailadmin_pages:confirm_workflow_cancellation",
        _r("wagtailadmin_pages:confirm_workflow_cancellation", review),
        # Wagtail checks no permission here; the dialog names the workflow and
        # its task, never the page (the titles are checked not to appear).
        EVERY_USER,
    ),
    # Pages: creating in the series, listing it, choosing from it.
    # B is sent to the only part of the tree B may explore: B's own series.
    Row(
        "wagtailadmin_explore",
        _r("wagtailadmin_explore", series),
        (OK, "/admin/pages/{tanzania}/", OK, LOGIN),
    ),
    Row(
        "wagtailadmin_explore_results",
        _r("wagtailadmin_explore_results", series),
        (OK, "/admin/pages/{tanzania}/", OK, LOGIN),
    ),
    Row(
        "wagtailadmin_pages:add_subpage",
        _r("wagtailadmin_pages:add_subpage", series),
        # One page type is allowed, so the choice is skipped.
        ("create", DENIED, "create", LOGIN),
    ),
    Row(
        "wagtailadmin_pages:add",
        lambda v: reverse(
            "wagtailadmin_pages:add",
            args=["publications", "publicationpage", series(v)],
        ),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_pages:preview_on_add",
        lambda v: reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["publications", "publicationpage", series(v)],
        ),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_choose_page_child",
        _r("wagtailadmin_choose_page_child", series),
        EVERY_USER,  # B sees the live studies only (asserted below)
    ),
    Row(
        "wagtailadmin_pages:search",
        lambda v: "/admin/pages/search/?q=Misisi",
        EVERY_USER,
    ),
    # Translation (simple_translation): site administrators only.
    Row(
        "simple_translation:submit_page_translation",
        _r("simple_translation:submit_page_translation", draft),
        NOBODY,
    ),
    Row(
        "simple_translation:submit_snippet_translation",
        lambda v: reverse(
            "simple_translation:submit_snippet_translation",
            args=["publications", "organisation", v.apde_org.pk],
        ),
        NOBODY,
    ),
    # The admin API.
    Row(
        "wagtailadmin_api:pages:detail",
        lambda v: f"/admin/api/main/pages/{draft(v)}/",
        (OK, MISSING, OK, LOGIN),
    ),
    Row(
        "wagtailadmin_api:pages:listing",
        lambda v: f"/admin/api/main/pages/?child_of={series(v)}",
        (OK, "400", OK, LOGIN),  # B: "parent page doesn't exist"
    ),
    Row(
        "wagtailadmin_api:pages:action",
        lambda v: f"/admin/api/main/pages/{draft(v)}/action/copy/",
        (DENIED, MISSING, "201", LOGIN),
        method="post",
        data=lambda v: {"destination_page_id": series(v), "slug": "copied-study"},
    ),
    Row(
        "wagtailadmin_api:documents:detail",
        lambda v: f"/admin/api/main/documents/{document(v)}/",
        (OK, MISSING, OK, LOGIN),
    ),
    Row(
        "wagtailadmin_api:images:detail",
        lambda v: f"/admin/api/main/images/{image(v)}/",
        (OK, MISSING, OK, LOGIN),
    ),
    # Documents.
    Row("wagtaildocs:index", lambda v: reverse("wagtaildocs:index"), EVERY_USER),
    Row("wagtaildocs:edit", _r("wagtaildocs:edit", document), A_ONLY),
    # "change" on a collection lets its group delete the files in it too.
    Row("wagtaildocs:delete", _r("wagtaildocs:delete", document), A_ONLY),
    Row(
        "wagtaildocs:document_usage", _r("wagtaildocs:document_usage", document), A_ONLY
    ),
    Row(
        "wagtaildocs:edit_multiple",
        _r("wagtaildocs:edit_multiple", document),
        (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, LOGIN),
    ),
    Row(
        "wagtaildocs:edit_multiple (POST)",
        _r("wagtaildocs:edit_multiple", document),
        (OK, DENIED, OK, LOGIN),
        method="post",
        data=lambda v: {f"doc-{document(v)}-title": "Renamed"},
    ),
    Row(
        "wagtaildocs:delete_multiple",
        _r("wagtaildocs:delete_multiple", document),
        (OK, DENIED, OK, LOGIN),
        method="post",
    ),
    Row(
        "wagtaildocs_chooser:choose",
        lambda v: reverse("wagtaildocs_chooser:choose"),
        EVERY_USER,
    ),
    Row(
        "wagtaildocs_chooser:chosen",
        _r("wagtaildocs_chooser:chosen", document),
        A_ONLY,
    ),
    Row(
        "wagtaildocs_serve",
        lambda v: v.document_a.url,
        (OK, LOGIN, OK, LOGIN),  # the partner's collection is private
    ),
    # Images.
    Row("wagtailimages:index", lambda v: reverse("wagtailimages:index"), EVERY_USER),
    Row("wagtailimages:edit", _r("wagtailimages:edit", image), A_ONLY),
    Row("wagtailimages:delete", _r("wagtailimages:delete", image), A_ONLY),
    Row("wagtailimages:image_usage", _r("wagtailimages:image_usage", image), A_ONLY),
    Row(
        "wagtailimages:preview",
        lambda v: reverse("wagtailimages:preview", args=[image(v), "fill-10x10"]),
        A_ONLY,
    ),
    Row(
        # The site has no dynamic image serve view: Wagtail answers 404 to all.
        "wagtailimages:url_generator",
        _r("wagtailimages:url_generator", image),
        (MISSING, MISSING, MISSING, LOGIN),
    ),
    Row(
        "wagtailimages:url_generator_output",
        lambda v: (
            reverse("wagtailimages:url_generator_output", args=[image(v)])
            + "?filter_method=original"
        ),
        (MISSING, MISSING, MISSING, LOGIN),
    ),
    Row(
        "wagtailimages:edit_multiple",
        _r("wagtailimages:edit_multiple", image),
        (OK, DENIED, OK, LOGIN),
        method="post",
        data=lambda v: {f"image-{image(v)}-title": "Renamed"},
    ),
    Row(
        "wagtailimages:delete_multiple",
        _r("wagtailimages:delete_multiple", image),
        (OK, DENIED, OK, LOGIN),
        method="post",
    ),
    Row(
        "wagtailimages_chooser:choose",
        lambda v: reverse("wagtailimages_chooser:choose"),
        EVERY_USER,
    ),
    Row(
        "wagtailimages_chooser:chosen",
        _r("wagtailimages_chooser:chosen", image),
        A_ONLY,
    ),
    Row(
        "wagtailimages_chooser:select_format",
        _r("wagtailimages_chooser:select_format", image),
        A_ONLY,
    ),
    # The dashboard's panels (pages in review, recent edits) and the reports
    # list pages too: B must not find A's drafts there (checked below).
    Row("wagtailadmin_home", lambda v: reverse("wagtailadmin_home"), EVERY_USER),
    Row(
        "wagtailadmin_reports:locked_pages",
        lambda v: reverse("wagtailadmin_reports:locked_pages"),
        NOBODY,  # for those who may lock or unlock
    ),
    Row(
        "wagtailadmin_reports:workflow",
        lambda v: reverse("wagtailadmin_reports:workflow"),
        REPORT,
    ),
    Row(
        "wagtailadmin_reports:workflow_tasks",
        lambda v: reverse("wagtailadmin_reports:workflow_tasks"),
        REPORT,
    ),
    Row(
        "wagtailadmin_reports:site_history",
        lambda v: reverse("wagtailadmin_reports:site_history"),
        REPORT,
    ),
    Row(
        "wagtailadmin_reports:aging_pages",
        lambda v: reverse("wagtailadmin_reports:aging_pages"),
        REPORT,
    ),
    Row(
        "wagtailadmin_reports:page_types_usage",
        lambda v: reverse("wagtailadmin_reports:page_types_usage"),
        REPORT,
    ),
    # Staff screens partners must not reach.
    Row(
        "wagtailsnippets_publications_organisation:list",
        lambda v: reverse("wagtailsnippets_publications_organisation:list"),
        STAFF,  # Editors keep the taxonomy
    ),
    Row(
        "wagtailsnippetchoosers_publications_organisation:choose",
        lambda v: reverse("wagtailsnippetchoosers_publications_organisation:choose"),
        EVERY_USER,  # authors name their organisation on a study
    ),
    Row(
        "wagtailsettings:edit",
        lambda v: reverse(
            "wagtailsettings:edit", args=["site_config", "sitesettings", 1]
        ),
        NOBODY,
    ),
    Row(
        "news_newsitem_modeladmin_index",
        lambda v: reverse("news_newsitem_modeladmin_index"),
        STAFF,  # Editors curate the inbox
    ),
    Row(
        "news_newssource_modeladmin_index",
        lambda v: reverse("news_newssource_modeladmin_index"),
        STAFF,
    ),
    Row(
        "publications_partner_add",
        lambda v: reverse("publications_partner_add"),
        NOBODY,
    ),
]


def _expand(expected: str, v: Voices, path: str) -> str:
    if expected == "history":
        return reverse("wagtailadmin_pages:history", args=[draft(v)])
    if expected == "create":
        return reverse(
            "wagtailadmin_pages:add",
            args=["publications", "publicationpage", series(v)],
        )
    return expected.format(
        series=series(v), draft=draft(v), review=review(v), tanzania=v.tanzania.pk
    )


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_admin_view_answers_each_person_as_expected(row: Row, voices_shared, client):
    voices = voices_shared
    answers = {}
    for actor, expected in zip(ACTORS, row.expected, strict=True):
        client.logout()
        user = getattr(voices, actor, None)
        if user is not None:
            client.force_login(user)
        path = row.url(voices)
        data = row.data(voices) if row.data else {}
        # Each person meets the same state: what one POST changes is undone.
        with transaction.atomic():
            response = getattr(client, row.method)(path, data)
            got = outcome(client, response, path)
            transaction.set_rollback(True)
        answers[actor] = (got, _expand(expected, voices, path))
        if actor == "author_b" and got == OK and not response.streaming:
            # Whatever B may open must not show A's draft.
            content = response.content.decode()
            for title in (
                voices.draft_a.title,
                voices.review_a.title,
                voices.document_a.title,
                voices.image_a.title,
            ):
                assert title not in content
    assert {actor: got for actor, (got, _want) in answers.items()} == {
        actor: want for actor, (_got, want) in answers.items()
    }


# Which URL names count as "takes a page, revision, document or image".
OBJECT_ARGUMENTS = {
    "page_id",
    "parent_page_id",
    "page_to_move_id",
    "revision_id",
    "task_state_id",
    "document_id",
    "doc_id",
    "image_id",
}
OBJECT_NAMESPACES = (
    "wagtailadmin_pages:",
    "wagtaildocs:",
    "wagtaildocs_chooser:",
    "wagtailimages:",
    "wagtailimages_chooser:",
    "wagtailadmin_api:",
    "simple_translation:",
)
# Views that take such an object and are covered elsewhere or cannot leak one.
NOT_IN_MATRIX = {
    # Uploads in progress belong to their uploader (Wagtail checks the user).
    "wagtaildocs:create_multiple_from_uploaded_document",
    "wagtaildocs:delete_upload_multiple",
    "wagtailimages:create_multiple_from_uploaded_image",
    "wagtailimages:delete_upload_multiple",
    # Wagtail's password form for a restricted page or document, public by design.
    "wagtailcore_authenticate_with_password",
    "wagtaildocs_authenticate_with_password",
}


def _object_views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _object_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = namespace + pattern.name
            arguments = set(pattern.pattern.regex.groupindex)
            if arguments & OBJECT_ARGUMENTS or (
                name.startswith(OBJECT_NAMESPACES) and arguments & {"pk"}
            ):
                yield name


def test_every_object_admin_view_is_in_the_matrix():
    covered = {row.name.split(" (")[0] for row in ROWS} | {"wagtaildocs_serve"}
    views = set(_object_views(get_resolver().url_patterns))
    assert views - covered - NOT_IN_MATRIX == set()
