"""The emails a partner author gets when an editor reviews their study.

Wagtail's own notifications ("The page … has been rejected during …") go out
in the recipient's admin language only when one is set, say "rejected" when an
editor asked for changes, and have no HTML part unless a setting asks for one.
For a study in a Voices series we send our own instead: in the author's admin
language (else the study's), saying what happened ("Changes requested", or
"Approved"), who decided, at which step and with which comment, as text and
HTML. Every other workflow keeps Wagtail's notification.

`publications.apps` connects `review_rejected_notify` and
`review_approved_notify` under the `dispatch_uid`s Wagtail uses for its own
handlers: the app is listed before `wagtail.admin`, so Wagtail's are then not
connected a second time (a test checks one email goes out).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.admin.mail import send_mail
from wagtail.admin.signal_handlers import (
    workflow_approval_email_notifier,
    workflow_rejection_email_notifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.users.models import UserProfile

logger = logging.getLogger(__name__)

CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
# Wagtail's notification preferences on the user's profile, per outcome.
PROFILE_PREFERENCE = {
    CHANGES_REQUESTED: "rejected_notifications",
    APPROVED: "approved_notifications",
}
# As Wagtail names its handlers (wagtail.admin.signal_handlers).
REJECTED_DISPATCH_UID = "workflow_state_rejected_email_notification"
APPROVED_DISPATCH_UID = "workflow_state_approved_email_notification"


@dataclass
class ReviewEmail:
    subject: str
    text: str
    html: str
    language: str


def review_study(*, workflow_state: WorkflowState):
    """The Voices study a workflow reviews, or None for anything else."""
    from publications.models import PublicationPage, VoicesSeriesPage

    content = workflow_state.content_object
    if content is None or not hasattr(content, "get_parent"):
        return None
    study = content.specific
    if not isinstance(study, PublicationPage):
        return None
    parent = study.get_parent()
    if parent is None or not issubclass(parent.specific_class, VoicesSeriesPage):
        return None
    return study


def recipient_language(*, user, study) -> str:
    """The author's admin language, else the study's."""
    try:
        preferred = user.wagtail_userprofile.preferred_language
    except ObjectDoesNotExist:
        preferred = ""
    languages = {code for code, _name in settings.LANGUAGES}
    if preferred in languages:
        return preferred
    return study.locale.language_code


def _decisive_task_state(workflow_state: WorkflowState, outcome: str):
    if outcome == CHANGES_REQUESTED and workflow_state.current_task_state_id:
        return workflow_state.current_task_state.specific
    return (
        TaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
        )
        .select_related("task", "finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def review_email_render(
    *, workflow_state: WorkflowState, study, outcome: str, recipient
) -> ReviewEmail:
    """The email telling `recipient` how the review of `study` ended."""
    from wagtail.admin.templatetags.wagtailadmin_tags import user_display_name

    task_state = _decisive_task_state(workflow_state, outcome)
    base_url = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    language = recipient_language(user=recipient, study=study)
    reviewer = getattr(task_state, "finished_by", None)
    context = {
        "outcome": outcome,
        "title": study.get_admin_display_title(),
        "reviewer": user_display_name(reviewer) if reviewer else "",
        "step": task_state.task.name if task_state else "",
        "comment": (getattr(task_state, "comment", "") or "").strip(),
        "edit_url": base_url + reverse("wagtailadmin_pages:edit", args=[study.pk]),
        "live_url": study.get_full_url() if study.live else "",
        "recipient": recipient,
        "language": language,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with translation.override(language):
        if outcome == CHANGES_REQUESTED:
            subject = _("Changes requested: “%(title)s”") % {"title": context["title"]}
        elif study.live:
            subject = _("Approved and published: “%(title)s”") % {
                "title": context["title"]
            }
        else:
            subject = _("Approved: “%(title)s”") % {"title": context["title"]}
        context["subject"] = subject
        text = render_to_string("publications/emails/review_outcome.txt", context)
        html = render_to_string("publications/emails/review_outcome.html", context)
    return ReviewEmail(subject=subject, text=text.strip(), html=html, language=language)


def review_email_send(*, workflow_state: WorkflowState, outcome: str, user=None) -> int:
    """Tell the author who submitted a Voices study how its review ended; how
    many emails were sent (0 or 1)."""
    study = review_study(workflow_state=workflow_state)
    recipient = workflow_state.requested_by
    if (
        study is None
        or recipient is None
        or recipient == user
        or not recipient.is_active
        or not recipient.email
        or not getattr(UserProfile.get_for_user(recipient), PROFILE_PREFERENCE[outcome])
    ):
        return 0
    email = review_email_render(
        workflow_state=workflow_state, study=study, outcome=outcome, recipient=recipient
    )
    try:
        send_mail(email.subject, email.text, [recipient.email], html_message=email.html)
    except Exception:  # noqa: BLE001 - a failed email must not undo the review
        logger.exception("Could not send the review email to %s", recipient.email)
        return 0
    return 1


def review_rejected_notify(sender=None, instance=None, user=None, **kwargs):
    """`workflow_rejected`: our email for a Voices study, Wagtail's otherwise."""
    if review_study(workflow_state=instance) is None:
        return workflow_rejection_email_notifier(instance=instance, user=user, **kwargs)
    return review_email_send(
        workflow_state=instance, outcome=CHANGES_REQUESTED, user=user
    )


def review_approved_notify(sender=None, instance=None, user=None, **kwargs):
    """`workflow_approved`: our email for a Voices study, Wagtail's otherwise."""
    if review_study(workflow_state=instance) is None:
        return workflow_approval_email_notifier(instance=instance, user=user, **kwargs)
    return review_email_send(workflow_state=instance, outcome=APPROVED, user=user)


def review_emails_connect() -> None:
    """Connect our handlers in place of Wagtail's (see the module)."""
    from wagtail.signals import workflow_approved, workflow_rejected

    workflow_rejected.connect(
        review_rejected_notify, sender=WorkflowState, dispatch_uid=REJECTED_DISPATCH_UID
    )
    workflow_approved.connect(
        review_approved_notify, sender=WorkflowState, dispatch_uid=APPROVED_DISPATCH_UID
    )


__all__ = [
    "APPROVED",
    "CHANGES_REQUESTED",
    "ReviewEmail",
    "recipient_language",
    "review_email_render",
    "review_email_send",
    "review_emails_connect",
    "review_study",
]
