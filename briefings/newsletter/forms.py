"""The newsletter's forms: the public ones, then the staff's."""

import datetime
import re

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefings.newsletter.choices import SendWhen, SubscriberStatus
from briefings.newsletter.models import MailingList, Subscriber
from briefings.newsletter.schedule import (
    WallClockError,
    local_input_value,
    local_text,
    wall_clock_to_utc,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

CONSENT_TEXT = _(
    "We will email you the lists you choose, in the language you choose, and "
    "nothing else. Every email has a link to change your choices, download "
    "your data, unsubscribe or erase your data at once. We keep your address "
    "while you are subscribed; after you leave we keep only a coded form of "
    "it, so that we never email you again without your consent, and the "
    "record of your consent for a limited time stated in our privacy notice."
)


def public_lists():
    return MailingList.objects.filter(is_public=True).with_translations()


def lists_preselected(lists: list[MailingList], params: QueryDict) -> list:
    """The lists a link asks to tick: `?list=` by slug or id (repeatable), or
    `?digest=` every list carrying that digest (its model label, e.g.
    `briefings.briefingpage`). Unknown values are ignored."""
    wanted = set(params.getlist("list")[:20])
    digests = set(params.getlist("digest")[:5])
    return [
        mailing_list
        for mailing_list in lists
        if mailing_list.slug in wanted
        or str(mailing_list.pk) in wanted
        or (mailing_list.digest_type and mailing_list.digest_type in digests)
    ]


class ListsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.local_name


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    lists = ListsField(
        label=_("Lists"),
        queryset=MailingList.objects.none(),
        error_messages={"required": _("Choose at least one list.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=settings.LANGUAGES
    )
    # A field people never see: only robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args,
        language: str | None = None,
        preselect: QueryDict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        queryset = public_lists()
        self.fields["lists"].queryset = queryset
        if language:
            self.fields["language"].initial = language
        if not self.is_bound:
            lists = list(queryset)
            if len(lists) == 1:
                self.fields["lists"].initial = lists
            elif preselect is not None:
                self.fields["lists"].initial = lists_preselected(lists, preselect)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if _CONTROL.search(name):
            raise forms.ValidationError(_("A name fits on one line."))
        return name

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class PreferencesForm(forms.Form):
    lists = ListsField(
        label=_("Lists"), queryset=MailingList.objects.none(), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        current = MailingList.objects.filter(
            subscriptions__subscriber=subscriber, subscriptions__active=True
        )
        # Lists the person is on stay offered even when no longer public.
        self.fields["lists"].queryset = (
            (MailingList.objects.filter(is_public=True) | current)
            .distinct()
            .with_translations()
        )
        if not self.is_bound:
            self.fields["lists"].initial = list(current)
            self.fields["language"].initial = subscriber.language


# --- Staff ---------------------------------------------------------------------


class SubscriberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, lists (slugs separated by ;), consent (yes/no); "
            "optional: name, language (en/fr/sw), consent_text. Rows without "
            "consent are recorded but get no email; people who left are kept out."
        ),
    )


class SubscriberAdminForm(forms.ModelForm):
    """Staff may record a bounce, a complaint or a departure, never a consent."""

    class Meta:
        model = Subscriber
        fields = ["email", "name", "language", "status"]
        help_texts = {
            "email": _(
                "A new address must confirm: the subscriber goes back to "
                "waiting for confirmation and the new address gets a "
                "confirmation email. Nothing is sent to it until then."
            )
        }

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else SubscriberStatus.PENDING
        if (
            status == SubscriberStatus.CONFIRMED
            and before != SubscriberStatus.CONFIRMED
        ):
            raise forms.ValidationError(
                _(
                    "Only the person can confirm, with the link in the confirmation "
                    "email, or a CSV import that records their consent."
                )
            )
        return status

    def save(self, commit=True):
        if "status" in self.changed_data:
            self.instance.status_changed_at = timezone.now()
        return super().save(commit=commit)


class InstituteDateTimeField(forms.DateTimeField):
    """A date and time typed in the institute's time zone, cleaned to UTC.

    Not the current time zone: a staff member whose admin profile names
    another zone still types and reads the institute's time.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            parsed = value
        else:
            try:
                parsed = datetime.datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        if timezone.is_aware(parsed):
            return parsed
        try:
            return wall_clock_to_utc(parsed)
        except WallClockError as error:
            raise forms.ValidationError(str(error), code=error.code) from None

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return local_input_value(value)
        return value


class DigestSendForm(forms.Form):
    """Which list, and when: now, at a time, or when the page goes live."""

    mailing_list = forms.TypedChoiceField(
        label=_("List"),
        coerce=int,
        error_messages={
            "required": _("Choose a list."),
            "invalid_choice": _("Choose a list."),
        },
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=SendWhen.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    send_at = InstituteDateTimeField(label=_("Date and time"), required=False)

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = {mailing_list.pk: mailing_list for mailing_list in lists}
        self.fields["mailing_list"].choices = [
            (pk, mailing_list.name) for pk, mailing_list in self.lists.items()
        ]

    def clean_mailing_list(self):
        return self.lists[self.cleaned_data["mailing_list"]]

    def clean_when(self):
        return self.cleaned_data.get("when") or SendWhen.NOW

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == SendWhen.AT and "send_at" not in self.errors:
            send_at = cleaned.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Choose the date and time to send at."))
            elif send_at <= timezone.now():
                self.add_error(
                    "send_at",
                    _(
                        "This time is in the past (it is now %(now)s). Choose a "
                        "later time."
                    )
                    % {"now": local_text(timezone.now())},
                )
        return cleaned


class DigestSendConfirmForm(forms.Form):
    """The deliberate step: the staff member types the list's name."""

    confirm_name = forms.CharField(
        label=_("Type the name of the list to confirm"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Type the name of the list to confirm.")},
    )

    def __init__(self, *args, mailing_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.mailing_list = mailing_list

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.mailing_list.name.split()).casefold():
            raise forms.ValidationError(
                _(
                    "The name typed is not “%(list)s”: nothing was sent. Type "
                    "the list's name exactly to send."
                )
                % {"list": self.mailing_list.name}
            )
        return typed


class DigestTestForm(forms.Form):
    """A test to a few typed addresses, in one of the issue's languages."""

    MAX_ADDRESSES = 10

    addresses = forms.CharField(
        label=_("Send to"),
        help_text=_(
            "One or more addresses, separated by commas, spaces or new lines "
            "(at most 10)."
        ),
        max_length=2600,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"required": _("Type at least one address.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        help_text=_("The translation in this language, as last saved (a draft too)."),
    )

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)

    def clean_addresses(self) -> list[str]:
        addresses = []
        for address in re.split(r"[\s,;]+", self.cleaned_data["addresses"]):
            if address and address.lower() not in (a.lower() for a in addresses):
                addresses.append(address)
        if not addresses:
            raise forms.ValidationError(_("Type at least one address."))
        if len(addresses) > self.MAX_ADDRESSES:
            raise forms.ValidationError(
                _("At most %(max)d addresses for a test.") % {"max": self.MAX_ADDRESSES}
            )
        wrong = []
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError:
                wrong.append(address)
        if wrong:
            raise forms.ValidationError(
                _("Not a valid address: %(addresses)s")
                % {"addresses": ", ".join(wrong)}
            )
        return addresses
