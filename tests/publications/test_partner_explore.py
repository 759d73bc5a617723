import pytest
from django.urls import reverse
from tests.publications.partner_setup import voices  # noqa: F401

pytestmark = pytest.mark.django_db


def test_explore(voices, client):
    v = voices
    ts = v.review_a.current_workflow_task_state
    rev = v.draft_a.get_latest_revision()
    urls = {
        "edit": reverse("wagtailadmin_pages:edit", args=[v.draft_a.pk]),
        "view_draft": reverse("wagtailadmin_pages:view_draft", args=[v.draft_a.pk]),
        "preview_on_edit": reverse(
            "wagtailadmin_pages:preview_on_edit", args=[v.draft_a.pk]
        ),
        "history": reverse("wagtailadmin_pages:history", args=[v.draft_a.pk]),
        "revisions_index": reverse(
            "wagtailadmin_pages:revisions_index", args=[v.draft_a.pk]
        ),
        "revisions_view": reverse(
            "wagtailadmin_pages:revisions_view", args=[v.draft_a.pk, rev.pk]
        ),
        "revisions_compare": reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[v.draft_a.pk, "earliest", "latest"],
        ),
        "revisions_revert": reverse(
            "wagtailadmin_pages:revisions_revert", args=[v.draft_a.pk, rev.pk]
        ),
        "copy": reverse("wagtailadmin_pages:copy", args=[v.draft_a.pk]),
        "move": reverse("wagtailadmin_pages:move", args=[v.draft_a.pk]),
        "delete": reverse("wagtailadmin_pages:delete", args=[v.draft_a.pk]),
        "unpublish": reverse("wagtailadmin_pages:unpublish", args=[v.live_a.pk]),
        "wf_history": reverse(
            "wagtailadmin_pages:workflow_history", args=[v.review_a.pk]
        ),
        "wf_preview": reverse(
            "wagtailadmin_pages:workflow_preview", args=[v.review_a.pk, ts.task_id]
        ),
        "wf_action": reverse(
            "wagtailadmin_pages:workflow_action", args=[v.review_a.pk, "approve", ts.pk]
        ),
        "wf_collect": reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[v.review_a.pk, "approve", ts.pk],
        ),
        "translate": reverse(
            "simple_translation:submit_page_translation", args=[v.draft_a.pk]
        ),
        "api_detail": f"/admin/api/main/pages/{v.draft_a.pk}/",
        "api_docs": f"/admin/api/main/documents/{v.document_a.pk}/",
        "api_imgs": f"/admin/api/main/images/{v.image_a.pk}/",
        "doc_edit": reverse("wagtaildocs:edit", args=[v.document_a.pk]),
        "doc_serve": v.document_a.url,
        "img_edit": reverse("wagtailimages:edit", args=[v.image_a.pk]),
        "usage": reverse("wagtailadmin_pages:usage", args=[v.draft_a.pk]),
        "explore": reverse("wagtailadmin_explore", args=[v.congo_fr.pk]),
        "search": reverse("wagtailadmin_pages:search") + "?q=Misisi",
    }
    for actor in (v.author_a, v.author_b, v.editor, None):
        client.logout()
        if actor:
            client.force_login(actor)
        for name, url in urls.items():
            r = client.get(url)
            extra = r.get("Location", "")
            body = (
                r.content.decode(errors="ignore")
                if r.status_code == 200 and not r.streaming
                else ""
            )
            print(
                getattr(actor, "username", "anon"),
                name,
                r.status_code,
                extra[:60],
                "Misisi" in body,
            )
    assert 0
