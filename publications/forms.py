"""Admin form rules for publication pages that depend on where the page sits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from publications.choices import PublicationType


def _is_voices_series(page) -> bool:
    from publications.models import VoicesSeriesPage

    return page is not None and issubclass(page.specific_class, VoicesSeriesPage)


class PublicationPageForm(WagtailAdminPageForm):
    """A study in a Voices series is a partner study with a partner organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (
            _is_voices_series(self.parent_page)
            and not self.is_bound
            and self.instance.pk is None
        ):
            self.initial["publication_type"] = PublicationType.PARTNER_STUDY

    def clean(self):
        cleaned_data = super().clean()
        if not _is_voices_series(self.parent_page):
            return cleaned_data
        if cleaned_data.get("publication_type") not in (
            None,
            PublicationType.PARTNER_STUDY,
        ):
            self.add_error(
                "publication_type",
                forms.ValidationError(
                    _("A study in a Voices series is a partner study."),
                    code="voices_type",
                ),
            )
        organisations = self.formsets.get("organisations")
        # The inline rows are validated after this form; validating them here
        # (it is done once and kept) tells which rows will be saved.
        if (
            organisations is not None
            and organisations.is_valid()
            and not any(
                form.cleaned_data.get("organisation")
                and not form.cleaned_data.get("DELETE")
                for form in organisations.forms
            )
        ):
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Name the partner organisation that wrote this study "
                        "under “Organisations”."
                    ),
                    code="voices_partner",
                ),
            )
        return cleaned_data
