"""The partner hears how the review of their study ended: in their language,
"changes requested" (not "rejected") or "approved", by whom, at which step and
with the reviewer's comment, as text and HTML, once."""

from django.core import mail
from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from publications.partners import TASK_NAME
from publications.review_emails import (
    APPROVED,
    CHANGES_REQUESTED,
    recipient_language,
    review_email_render,
    review_study,
)
from tests.publications.partner_setup import study_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def voices(voices_shared):
    """The scenario built once for the module; each test's changes are undone."""
    return voices_shared


COMMENT = "Précisez la période couverte dans le résumé, s'il vous plaît."


def _review(client, voices, action: str, comment: str = COMMENT):
    """The editor takes `action` on A's study in review, from the admin."""
    task_state = voices.review_a.current_workflow_task_state
    client.force_login(voices.editor)
    mail.outbox.clear()
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[voices.review_a.pk, action, task_state.pk],
        ),
        {"comment": comment},
    )
    assert response.status_code in (200, 302), response.content[:500]
    return [message for message in mail.outbox if voices.author_a.email in message.to]


def _prefers(user, language: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_changes_requested_email_says_so_with_the_comment(voices, client):
    _prefers(voices.author_a, "fr")
    voices.editor.first_name, voices.editor.last_name = "Eda", "Editor"
    voices.editor.save()

    sent = _review(client, voices, "reject")

    assert len(sent) == 1  # ours, not Wagtail's "has been rejected" as well
    message = sent[0]
    # In the partner's language, French.
    assert message.subject == "Modifications demandées : « Kamituga review draft »"
    assert "rejected" not in message.subject + message.body
    assert COMMENT in message.body
    assert "Eda Editor" in message.body and f"« {TASK_NAME} »" in message.body
    assert f"/admin/pages/{voices.review_a.pk}/edit/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert "Précisez la période couverte dans le résumé, s&#x27;il vous plaît." in html


def test_approval_email_says_it_is_published(voices, client):
    sent = _review(client, voices, "approve", comment="Merci, c'est clair.")

    assert len(sent) == 1
    message = sent[0]
    assert message.subject == "Approuvée et publiée : « Kamituga review draft »"
    assert "Merci, c'est clair." in message.body
    voices.review_a.refresh_from_db()
    assert voices.review_a.live
    assert voices.review_a.get_full_url() in message.body


def test_email_language_is_the_author_s_else_the_study_s(voices):
    study = voices.review_a.specific
    # No admin language chosen: the study's, French.
    assert recipient_language(user=voices.author_a, study=study) == "fr"
    _prefers(voices.author_a, "en")
    voices.author_a.refresh_from_db()
    assert recipient_language(user=voices.author_a, study=study) == "en"
    workflow_state = voices.review_a.current_workflow_state
    email = review_email_render(
        workflow_state=workflow_state,
        study=study,
        outcome=CHANGES_REQUESTED,
        recipient=voices.author_a,
    )
    assert email.language == "en"
    assert '<html lang="en">' in email.html
    assert APPROVED != CHANGES_REQUESTED


def test_only_studies_of_a_voices_series_get_our_email(voices):
    state = voices.review_a.current_workflow_state
    assert review_study(workflow_state=state) == voices.review_a
    state.content_object = voices.library
    assert review_study(workflow_state=state) is None


def test_other_workflows_keep_wagtail_notification(voices):
    report = study_draft(
        parent=voices.library,
        owner=voices.author_b,
        organisation=voices.haki_org,
        title="Library report draft",
        slug="library-report-draft",
    )
    voices.workflow.start(report, voices.author_b)
    mail.outbox.clear()

    report.current_workflow_task_state.specific.reject(
        user=voices.editor, comment="Not for the library."
    )

    (message,) = [m for m in mail.outbox if voices.author_b.email in m.to]
    assert "has been rejected" in message.subject
    assert not message.subject.startswith("Changes requested")
