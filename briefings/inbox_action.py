"""“Add to the draft digest chosen”: the digests' action in the news inbox.

The news app knows nothing of digests; it offers the actions that other apps
register through its `register_news_inbox_action` hook (`wagtail_hooks.py`).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from briefings.compose import digest_news_items_add, draft_digests
from briefings.models import digest_page_models
from briefings.news.inbox import InboxAction


class AddToDigestForm(forms.Form):
    """The draft issue to add the ticked items to, and the section heading."""

    digest = forms.ModelChoiceField(
        label=_("Draft digest"),
        queryset=Page.objects.none(),
        error_messages={
            "required": _("Choose the draft digest to add the items to."),
            "invalid_choice": _(
                "That digest is no longer a draft (or was deleted): choose a draft."
            ),
        },
    )
    section = forms.CharField(label=_("Section"), max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digest"].queryset = draft_digests()


def _fields_context(request) -> dict:
    suggestions = []
    for model in digest_page_models():
        for heading in model.section_suggestions:
            if heading not in suggestions:
                suggestions.append(heading)
    return {"digests": draft_digests(), "sections": suggestions}


def _perform(*, request, item_ids: list[int], form: AddToDigestForm) -> str:
    digest = form.cleaned_data["digest"].specific
    if not digest.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    count = digest_news_items_add(
        page=digest,
        item_ids=item_ids,
        section_heading=form.cleaned_data["section"],
        user=request.user,
    )
    return format_html(
        '{} <a href="{}">{}</a>',
        gettext(
            "%(count)d item(s) added to “%(digest)s” (%(skipped)d already "
            "in it). They are marked as used."
        )
        % {"count": count, "digest": digest.title, "skipped": len(item_ids) - count},
        reverse("wagtailadmin_pages:edit", args=[digest.pk]),
        gettext("Edit the draft"),
    )


def add_to_digest_action() -> InboxAction:
    return InboxAction(
        name="add_to_digest",
        label=_("Add to the draft digest chosen"),
        form_class=AddToDigestForm,
        fields_template="briefings/admin/inbox_digest_fields.html",
        fields_context=_fields_context,
        perform=_perform,
    )
