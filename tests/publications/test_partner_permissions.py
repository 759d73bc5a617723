"""Who may open what in the admin: partner A, a second author of A, partner B,
an editor, anonymous.

One row per admin view a partner can reach, with the answer each person must
get; whatever B (or A's fellow author) may open must not show A's drafts,
files, tags, comments or authors. Staff screens are checked to refuse every
partner. `test_every_admin_view_is_in_the_matrix` fails when Wagtail (or we)
add an admin URL that is in neither table nor in the commented allow-list, so
a new view that leaks cannot slip in unnoticed.

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

from tests.publications.partner_setup import DOCUMENT_A_TAG, REVIEW_A_COMMENT, Voices

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN, MISSING, NOT_ALLOWED = "ok", "denied", "login", "missing", "405"
ACTORS = ("author_a", "author_a2", "author_b", "editor", "anonymous")


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
            (
                reverse("wagtailadmin_login"),
                reverse("wagtailcore_login"),
                reverse("admin:login"),
            )
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
    # A's fellow author: as A for A's files (one collection), else as B.
    a2: str | None = None

    def answers(self) -> tuple[str, ...]:
        author_a, author_b, editor, anonymous = self.expected
        a2 = self.a2
        if a2 is None:
            a2 = author_a if self.name.startswith(FILE_VIEWS) else author_b
        return (author_a, a2, author_b, editor, anonymous)


FILE_VIEWS = (
    "wagtaildocs",
    "wagtailimages",
    "wagtailadmin_api:documents",
    "wagtailadmin_api:images",
)


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
        ("history", DENIED, "history", LOGIN),
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
        (MISSING, DENIED, MISSING, LOGIN),  # not an alias; B may not see it
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
        # Wagtail checks no permission here; only those who may see the page
        # get the dialog.
        A_ONLY,
    ),
    # Pages: creating in the series, listing it, choosing from it.
    # B is sent to the only part of the tree B may explore: B's own series.
    Row(
        "wagtailadmin_explore",
        _r("wagtailadmin_explore", series),
        (OK, "/admin/pages/{tanzania}/", OK, LOGIN),
        a2=OK,  # their own series
    ),
    Row(
        "wagtailadmin_explore_results",
        _r("wagtailadmin_explore_results", series),
        (OK, "/admin/pages/{tanzania}/results/", OK, LOGIN),
        a2=OK,
    ),
    Row(
        "wagtailadmin_pages:add_subpage",
        _r("wagtailadmin_pages:add_subpage", series),
        # One page type is allowed, so the choice is skipped.
        ("create", DENIED, "create", LOGIN),
        a2="create",
    ),
    Row(
        "wagtailadmin_pages:add",
        lambda v: reverse(
            "wagtailadmin_pages:add",
            args=["publications", "publicationpage", series(v)],
        ),
        A_ONLY,
        a2=OK,  # a new study in their series
    ),
    Row(
        "wagtailadmin_pages:preview_on_add",
        lambda v: reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["publications", "publicationpage", series(v)],
        ),
        A_ONLY,
        a2=OK,  # a new study in their series
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
    # Translations kept in step with their source: Editors review them.
    Row(
        "site_config_translations:report",
        lambda v: reverse("site_config_translations:report"),
        STAFF,
    ),
    Row(
        "site_config_translations:report_results",
        lambda v: reverse("site_config_translations:report_results"),
        STAFF,
    ),
    Row(
        "site_config_translations:mark_up_to_date",
        _r("site_config_translations:mark_up_to_date", lambda v: v.congo_en.pk),
        STAFF,  # the English series is a translation of the French one
    ),
    Row(
        "site_config_translations:mark_up_to_date (POST)",
        _r("site_config_translations:mark_up_to_date", lambda v: v.congo_en.pk),
        (DENIED, DENIED, "/admin/pages/{series_en}/edit/", LOGIN),
        method="post",
    ),
    Row(
        "site_config_translations:mark_up_to_date (another partner's draft)",
        _r("site_config_translations:mark_up_to_date", draft),
        # Editors: a study that is nobody's translation has nothing to mark.
        (DENIED, DENIED, MISSING, LOGIN),
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
        a2=OK,
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
        STAFF,  # counts and names every page of a type
    ),
    # Listings' result fragments, choosers, finders and autocomplete (leak 4):
    # B and A's fellow author see nothing of A's drafts, files, tags or names.
    Row(
        "wagtailadmin_explore_root",
        lambda v: reverse("wagtailadmin_explore_root"),
        ("/admin/pages/{series_en}/", "/admin/pages/{tanzania}/", OK, LOGIN),
        a2="/admin/pages/{series_en}/",
    ),
    Row(
        "wagtailadmin_explore (another partner's draft)",
        lambda v: reverse("wagtailadmin_explore", args=[v.draft_b.pk]),
        (DENIED, OK, OK, LOGIN),
        a2=DENIED,
    ),
    Row(
        "wagtailadmin_explore (the tree's root)",
        lambda v: reverse("wagtailadmin_explore", args=[v.library.get_parent().pk]),
        ("/admin/pages/{series_en}/", "/admin/pages/{tanzania}/", OK, LOGIN),
        a2="/admin/pages/{series_en}/",
    ),
    Row(
        "wagtailadmin_explore (the English series)",
        lambda v: reverse("wagtailadmin_explore", args=[v.congo_en.pk]),
        (OK, "/admin/pages/{tanzania}/", OK, LOGIN),
        a2=OK,
    ),
    Row(
        "wagtailadmin_pages:search_results",
        lambda v: reverse("wagtailadmin_pages:search_results") + "?q=draft",
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_choose_page",
        lambda v: reverse("wagtailadmin_choose_page"),
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_choose_page_search",
        lambda v: reverse("wagtailadmin_choose_page_search") + "?q=draft",
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_choose_page_chosen_multiple",
        lambda v: (
            reverse("wagtailadmin_choose_page_chosen_multiple")
            + f"?id={v.draft_a.pk}&id={v.review_a.pk}"
        ),
        A_ONLY,
    ),
    Row(
        "wagtailadmin_choose_page_chosen_multiple (live)",
        lambda v: (
            reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={v.live_a.pk}"
        ),
        EVERY_USER,
    ),
    Row(
        "wagtail_bulk_action (pages)",
        lambda v: (
            reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
            + f"?id={v.draft_a.pk}"
        ),
        STAFF,
    ),
    Row(
        "wagtail_bulk_action (publish pages)",
        lambda v: (
            reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
            + f"?id={v.draft_a.pk}&id={v.review_a.pk}"
        ),
        STAFF,
    ),
    Row(
        "wagtail_bulk_action (documents)",
        lambda v: (
            reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"])
            + f"?id={v.document_a.pk}"
        ),
        A_ONLY,
        a2=OK,
    ),
    Row(
        "wagtail_bulk_action (tag documents)",
        lambda v: (
            reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "add_tags"])
            + f"?id={v.document_a.pk}"
        ),
        A_ONLY,
        a2=OK,
    ),
    Row(
        "wagtail_bulk_action (images)",
        lambda v: (
            reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"])
            + f"?id={v.image_a.pk}"
        ),
        A_ONLY,
        a2=OK,
    ),
    Row(
        "wagtail_bulk_action (users)",
        lambda v: (
            reverse("wagtail_bulk_action", args=["auth", "user", "delete"])
            + f"?id={v.author_a.pk}"
        ),
        NOBODY,
    ),
    Row(
        "wagtaildocs_chooser:chosen_multiple",
        lambda v: (
            reverse("wagtaildocs_chooser:chosen_multiple") + f"?id={v.document_a.pk}"
        ),
        A_ONLY,
    ),
    Row(
        "wagtailimages_chooser:chosen_multiple",
        lambda v: (
            reverse("wagtailimages_chooser:chosen_multiple") + f"?id={v.image_a.pk}"
        ),
        A_ONLY,
    ),
    Row(
        "wagtaildocs_chooser:choose_results",
        lambda v: reverse("wagtaildocs_chooser:choose_results"),
        EVERY_USER,
    ),
    Row(
        "wagtailimages_chooser:choose_results",
        lambda v: reverse("wagtailimages_chooser:choose_results"),
        EVERY_USER,
    ),
    Row(
        "wagtaildocs:index_results",
        lambda v: reverse("wagtaildocs:index_results"),
        EVERY_USER,
    ),
    Row(
        "wagtailimages:index_results",
        lambda v: reverse("wagtailimages:index_results"),
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_pages:workflow_preview (a task the page is not in)",
        _r("wagtailadmin_pages:workflow_preview", draft, task),
        # The refusal names the page: only for those who may see it.
        (DENIED, DENIED, DENIED, LOGIN),
    ),
    Row(
        "wagtailadmin_tag_autocomplete",
        lambda v: reverse("wagtailadmin_tag_autocomplete") + "?term=kam",
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_tag_model_autocomplete",
        lambda v: (
            reverse("wagtailadmin_tag_model_autocomplete", args=["taggit", "tag"])
            + "?term=kam"
        ),
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_api:pages:find",
        lambda v: f"/admin/api/main/pages/find/?id={draft(v)}",
        (
            "http://localhost/admin/api/main/pages/{draft}/?",
            MISSING,
            "http://localhost/admin/api/main/pages/{draft}/?",
            LOGIN,
        ),
    ),
    Row(
        "wagtailadmin_api:documents:listing",
        lambda v: "/admin/api/main/documents/",
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_api:documents:find",
        lambda v: f"/admin/api/main/documents/find/?id={document(v)}",
        (
            "http://localhost/admin/api/main/documents/{document}/?",
            MISSING,
            "http://localhost/admin/api/main/documents/{document}/?",
            LOGIN,
        ),
    ),
    Row(
        "wagtailadmin_api:images:listing",
        lambda v: "/admin/api/main/images/",
        EVERY_USER,
    ),
    Row(
        "wagtailadmin_api:images:find",
        lambda v: f"/admin/api/main/images/find/?id={image(v)}",
        (
            "http://localhost/admin/api/main/images/{image}/?",
            MISSING,
            "http://localhost/admin/api/main/images/{image}/?",
            LOGIN,
        ),
    ),
    *(
        Row(
            f"wagtailadmin_reports:{report}_results",
            lambda v, report=report: reverse(f"wagtailadmin_reports:{report}_results"),
            REPORT,
        )
        for report in ("workflow", "workflow_tasks", "site_history", "aging_pages")
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
    # Download counts: Editors and Moderators (view_downloadcount), no partner.
    Row(
        "publications_downloads",
        lambda v: reverse("publications_downloads"),
        STAFF,
    ),
    Row(
        "publications_downloads (CSV)",
        lambda v: reverse("publications_downloads") + "?export=csv",
        STAFF,
    ),
    Row(
        "publications_downloads_results",
        lambda v: reverse("publications_downloads_results"),
        STAFF,
    ),
    Row(
        "publications_downloads_publication",
        lambda v: reverse("publications_downloads_publication", args=[live(v)]),
        STAFF,
    ),
    # Staff choosers: digests' news items and mailing lists, workflow tasks,
    # embeds. Refused to partners, even where Wagtail asks for no permission.
    Row(
        "news_item_chooser:choose",
        lambda v: reverse("news_item_chooser:choose"),
        STAFF,
    ),
    Row(
        "wagtailsnippetchoosers_newsletter_mailinglist:choose",
        lambda v: reverse("wagtailsnippetchoosers_newsletter_mailinglist:choose"),
        STAFF,
    ),
    Row(
        "wagtailadmin_workflows:task_chooser",
        lambda v: reverse("wagtailadmin_workflows:task_chooser"),
        STAFF,
    ),
    Row(
        "wagtailadmin_workflows:task_chosen",
        _r("wagtailadmin_workflows:task_chosen", task),
        STAFF,
    ),
    Row(
        "wagtailadmin_workflows:task_chooser_create (POST)",
        lambda v: (
            reverse("wagtailadmin_workflows:task_chooser_create")
            + "?create_model=wagtailcore.groupapprovaltask"
        ),
        # Only who may add tasks gets the form; Editors may not (Wagtail: 400).
        (DENIED, DENIED, "400", LOGIN),
        method="post",
        data=lambda v: {
            "create-task-name": "Partner's own approval",
            "create-task-groups": [v.apde.group.pk],
        },
    ),
    Row(
        "wagtailembeds:chooser",
        lambda v: reverse("wagtailembeds:chooser"),
        STAFF,
    ),
    Row(
        "wagtailembeds:chooser_upload (POST)",
        lambda v: reverse("wagtailembeds:chooser_upload"),
        STAFF,
        method="post",
        data=lambda v: {"embed-chooser-url": "http://127.0.0.1:9/video"},
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
        series=series(v),
        series_en=v.congo_en.pk,
        draft=draft(v),
        review=review(v),
        tanzania=v.tanzania.pk,
        document=document(v),
        image=image(v),
    )


def secrets_of_a(voices: Voices, actor: str) -> tuple[str, ...]:
    """What `actor` must never read of A's work."""
    drafts = (
        voices.draft_a.title,
        voices.review_a.title,
        REVIEW_A_COMMENT,
    )
    if actor == "author_a2":  # shares A's collection, not A's drafts
        return drafts
    return (
        *drafts,
        voices.author_a.last_name,
        voices.document_a.title,
        voices.image_a.title,
        DOCUMENT_A_TAG,
        voices.author_a2.last_name,
    )


def response_text(response) -> str:
    if response.streaming:
        return ""
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_admin_view_answers_each_person_as_expected(row: Row, voices_shared, client):
    voices = voices_shared
    answers = {}
    for actor, expected in zip(ACTORS, row.answers(), strict=True):
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
            if got == OK and actor in ("author_b", "author_a2"):
                content = response_text(response)
                leaked = [s for s in secrets_of_a(voices, actor) if s in content]
                assert leaked == [], (actor, leaked)
            transaction.set_rollback(True)
        answers[actor] = (got, _expand(expected, voices, path))
    assert {actor: got for actor, (got, _want) in answers.items()} == {
        actor: want for actor, (_got, want) in answers.items()
    }


# Screens for staff (or site administrators) only: every partner is refused
# (DENIED, or MISSING where Wagtail looks the object up first). The URLs are
# built from the pattern, an id of A's draft for every number: whatever the
# view, a partner gets nothing from it.
STAFF_SCREENS = (
    "wagtailadmin_collections:",
    "wagtailadmin_workflows:",
    "wagtailadmin_reports:locked_pages_results",
    "wagtailadmin_reports:page_types_usage_results",
    "wagtailadmin_pages:type_use",
    "wagtailadmin_pages:type_use_results",
    "wagtailadmin_pages:choose_parent",
    "wagtailredirects:",
    "wagtailusers_users:",
    "wagtailusers_groups:",
    "wagtailsites:",
    "wagtaillocales:",
    "wagtailsettings:",
    "subscriber:",
    "news_",
    "newsletter_",
    "wagtailsnippets_",
    "wagtailadmin_editing_sessions:",
    # Choosers no partner form uses (Wagtail opens them to any admin user).
    "news_item_chooser:",
    "wagtailsnippetchoosers_newsletter_mailinglist:",
    "wagtailembeds:",  # a study's body has no embed feature
    "site_config_locked_sign_ins",  # unlocking sign-ins: site administrators
    "admin:",  # Django's admin: staff status (is_staff), which no partner has
)
# Admin views that are not in the matrix because they cannot leak, with why.
ALLOWED_WITHOUT_ROW = {
    # Sign-in, sign-out, password reset, the account form: the person's own.
    "wagtailadmin_login": "the sign-in form",
    "wagtailadmin_logout": "signs out",
    "wagtailadmin_password_reset": "asks for an email address",
    "wagtailadmin_password_reset_done": "a fixed message",
    "wagtailadmin_password_reset_confirm": "needs the emailed token",
    "wagtailadmin_password_reset_complete": "a fixed message",
    "wagtailadmin_account": "the person's own settings",
    "wagtailadmin_dismissibles": "the person's own dismissed hints",
    # Static assets of the admin.
    "wagtailadmin_sprite": "icons",
    "wagtailadmin_javascript_catalog": "translations of the admin's scripts",
    "wagtail_modeladmin:javascript_catalog": "translations of the admin's scripts",
    "wagtailadmin_error_test": "raises an error on purpose (a 500 page)",
    # Link choosers that take no object: forms for a URL, email, phone, anchor.
    # It turns an address of the site into a page link, named by its live
    # title for a partner (tests/publications/test_partner_titles.py).
    "wagtailadmin_choose_page_external_link": "a form for a URL",
    "wagtailadmin_choose_page_email_link": "a form for an address",
    "wagtailadmin_choose_page_phone_link": "a form for a number",
    "wagtailadmin_choose_page_anchor_link": "a form for an anchor",
    "wagtailadmin_block_preview": "renders a block's preview value, no object",
    # Uploads in progress belong to their uploader (Wagtail checks the user).
    "wagtaildocs:create_multiple_from_uploaded_document": "the uploader's own",
    "wagtaildocs:delete_upload_multiple": "the uploader's own",
    "wagtailimages:create_multiple_from_uploaded_image": "the uploader's own",
    "wagtailimages:delete_upload_multiple": "the uploader's own",
    "wagtaildocs:add": "an upload form to the person's own collection",
    "wagtaildocs:add_multiple": "an upload form to the person's own collection",
    "wagtailimages:add": "an upload form to the person's own collection",
    "wagtailimages:add_multiple": "an upload form to the person's own collection",
    "wagtaildocs_chooser:create": "an upload form to the person's own collection",
    "wagtailimages_chooser:create": "an upload form to the person's own collection",
    # Choosers of the public taxonomy (programmes, countries, organisations,
    # people): the same names the public site shows.
    "wagtailsnippetchoosers_publications_programme:": "public taxonomy",
    "wagtailsnippetchoosers_publications_country:": "public taxonomy",
    "wagtailsnippetchoosers_publications_organisation:": "public taxonomy",
    "wagtailsnippetchoosers_publications_person:": "public taxonomy",
    "wagtailsnippets:index": "lists snippet types, not snippets",
    "admin:login": "Django admin's sign-in form",
    "admin:logout": "signs out",
    "legacy_": "a permanent redirect to the new address, which is checked",
    # Wagtail's password form for a restricted page or document, public by design.
    "wagtailcore_authenticate_with_password": "public by design",
    "wagtaildocs_authenticate_with_password": "public by design",
}


def _admin_views(patterns, namespace="", prefix=""):
    """(name, pattern) of every named view under /admin/ and /django-admin/."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _admin_views(
                pattern.url_patterns, inner, prefix + str(pattern.pattern)
            )
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and (prefix + str(pattern.pattern)).startswith(("admin/", "django-admin/"))
        ):
            yield namespace + pattern.name, pattern


def _staff_screen_url(name: str, pattern: URLPattern, voices: Voices) -> str:
    number = voices.draft_a.pk
    arguments = {}
    for argument in pattern.pattern.regex.groupindex:
        if argument in ("app_label", "app_name", "content_type_app_name"):
            arguments[argument] = "publications"
        elif argument in ("model_name", "content_type_model_name"):
            arguments[argument] = "publicationpage"
        elif argument == "rest":
            arguments[argument] = ""
        else:
            arguments[argument] = number
    if name == "admin:app_list":
        arguments["app_label"] = "auth"
    if name.startswith("wagtailsettings:"):
        arguments.update(app_name="site_config", model_name="sitesettings")
    try:
        return reverse(name, kwargs=arguments)
    except Exception:  # noqa: BLE001 - a pattern with positional groups
        return reverse(name, args=list(arguments.values()))


def _staff_screens():
    views = {}
    for name, pattern in _admin_views(get_resolver().url_patterns):
        if (
            name.startswith(STAFF_SCREENS)
            and name not in ROW_NAMES
            and not name.startswith(tuple(ALLOWED_WITHOUT_ROW))
        ):
            views.setdefault(name, pattern)
    return sorted(views.items())


ROW_NAMES = {row.name.split(" (")[0] for row in ROWS}
REFUSED = {DENIED, MISSING, NOT_ALLOWED, LOGIN}


@pytest.mark.parametrize(
    ("name", "pattern"), _staff_screens(), ids=[n for n, _p in _staff_screens()]
)
def test_partners_are_refused_staff_screens(name, pattern, voices_shared, client):
    voices = voices_shared
    path = _staff_screen_url(name, pattern, voices)
    for actor in ("author_a", "author_a2", "author_b"):
        client.force_login(getattr(voices, actor))
        with transaction.atomic():
            response = client.get(path)
            got = outcome(client, response, path)
            transaction.set_rollback(True)
        assert got in REFUSED or got.startswith(reverse("wagtailadmin_home")), (
            actor,
            path,
            got,
        )


def test_every_admin_view_is_in_the_matrix():
    """A new admin URL fails here until it has a row, is a staff screen
    (checked above) or is allowed with a reason."""
    allowed = tuple(ALLOWED_WITHOUT_ROW)
    names = {name for name, _pattern in _admin_views(get_resolver().url_patterns)}
    missing = {
        name
        for name in names
        if name not in ROW_NAMES
        and not name.startswith(STAFF_SCREENS)
        and not name.startswith(allowed)
    }
    assert missing == set()
