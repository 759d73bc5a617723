"""Forms of the news inbox admin: validate, nothing more."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from briefings.news.choices import NewsStatus
from briefings.news.inbox import inbox_actions
from briefings.news.inbox_listing import inbox_filters_clean, news_items_filter
from briefings.news.models import NewsItem, NewsSource
from publications.models import Country, Programme


class NewsBulkActionForm(forms.Form):
    """An action on the items ticked in the inbox listing.

    Besides the news app's own actions, the form offers those other apps
    register (`inbox.InboxAction`); their fields are validated by their form.
    """

    ACTIONS = [
        ("shortlist", _("Shortlist")),
        ("dismiss", _("Dismiss")),
        ("used", _("Mark as used")),
        ("new", _("Mark as new")),
        ("tag", _("Tag with the programmes and countries chosen")),
    ]
    STATUS_OF_ACTION = {
        "shortlist": NewsStatus.SHORTLISTED,
        "dismiss": NewsStatus.DISMISSED,
        "used": NewsStatus.USED,
        "new": NewsStatus.NEW,
    }

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    item = forms.ModelMultipleChoiceField(
        queryset=NewsItem.objects.all(), required=False
    )
    # "Select all N matching items": the listing's filters, as a query string,
    # resolved here by the listing's own filter function.
    select_all = forms.BooleanField(required=False)
    filters = forms.CharField(required=False, widget=forms.HiddenInput)
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"), queryset=Programme.objects.all(), required=False
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.all(), required=False
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.other_actions = {action.name: action for action in inbox_actions()}
        self.fields["action"].choices = self.action_choices(self.other_actions.values())
        self.action_form = None
        self.item_ids: list[int] = []

    @classmethod
    def action_choices(cls, other_actions) -> list[tuple[str, str]]:
        """The news app's actions, then those other apps offer."""
        return [
            *cls.ACTIONS,
            *((action.name, action.label) for action in other_actions),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("select_all"):
            filters = inbox_filters_clean(QueryDict(cleaned.get("filters") or ""))
            self.item_ids = list(
                news_items_filter(filters=filters).values_list("pk", flat=True)
            )
        else:
            self.item_ids = [item.pk for item in cleaned.get("item") or []]
        if not self.item_ids:
            self.add_error(None, _("Tick at least one news item."))
        action = self.other_actions.get(cleaned.get("action"))
        if action is not None:
            self.action_form = action.form_class(self.data, user=self.user)
            if not self.action_form.is_valid():
                for errors in self.action_form.errors.values():
                    for error in errors:
                        self.add_error(None, error)
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
