"""Forms of the news inbox admin: validate, nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from briefings.choices import NewsStatus
from briefings.models import BriefingPage, NewsItem, NewsSource
from publications.models import Country, Programme


def draft_digests():
    """Briefings and Bulletins never published yet, newest first."""
    from bulletins.models import BulletinPage

    return (
        Page.objects.type(BriefingPage, BulletinPage)
        .filter(live=False)
        .specific()
        .order_by("-latest_revision_created_at", "-pk")
    )


class NewsBulkActionForm(forms.Form):
    """An action on the items ticked in the inbox listing."""

    ACTIONS = [
        ("shortlist", _("Shortlist")),
        ("dismiss", _("Dismiss")),
        ("used", _("Mark as used")),
        ("new", _("Mark as new")),
        ("tag", _("Tag with the programmes and countries chosen")),
        ("add_to_digest", _("Add to the draft digest chosen")),
    ]
    STATUS_OF_ACTION = {
        "shortlist": NewsStatus.SHORTLISTED,
        "dismiss": NewsStatus.DISMISSED,
        "used": NewsStatus.USED,
        "new": NewsStatus.NEW,
    }

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    item = forms.ModelMultipleChoiceField(
        queryset=NewsItem.objects.all(),
        error_messages={"required": _("Tick at least one news item.")},
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"), queryset=Programme.objects.all(), required=False
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.all(), required=False
    )
    digest = forms.ModelChoiceField(
        label=_("Draft digest"),
        queryset=Page.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "That digest is no longer a draft (or was deleted): choose a draft."
            )
        },
    )
    section = forms.CharField(label=_("Section"), max_length=255, required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digest"].queryset = draft_digests()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "add_to_digest" and not cleaned.get("digest"):
            raise forms.ValidationError(
                _("Choose the draft digest to add the items to.")
            )
        if (
            cleaned.get("action") == "tag"
            and not cleaned.get("programmes")
            and not cleaned.get("countries")
        ):
            raise forms.ValidationError(
                _("Choose at least one programme or country to tag with.")
            )
        return cleaned


class OpmlImportForm(forms.Form):
    file = forms.FileField(
        label=_("OPML file"),
        help_text=_(
            "Only feed addresses, titles and categories are read. Feeds already "
            "in the list are left as they are."
        ),
    )


class SourceRulesForm(forms.ModelForm):
    """Keyword rules of a source, tested on recent items before saving."""

    class Meta:
        model = NewsSource
        fields = ["include_keywords", "exclude_keywords"]
        widgets = {
            "include_keywords": forms.Textarea(attrs={"rows": 4}),
            "exclude_keywords": forms.Textarea(attrs={"rows": 4}),
        }
