"""The translations report and "mark up to date" (thin: see services)."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_type_label
from wagtail.models import Locale, Page, get_page_content_types

import django_filters

from site_config.models import TranslationRecord
from theme.admin_screen import AdminScreenMixin

from .services import (
    MISSING,
    NEVER_CHECKED,
    OUT_OF_DATE,
    PERMISSION,
    translation_mark_up_to_date,
    translation_source_default,
    translation_state,
    translations_report_filter,
    translations_report_pages,
    translations_report_states,
)

NEEDS_WORK = "needs_work"


def _locales() -> list[Locale]:
    """Every language of the site, the default first."""
    default = Locale.get_default()
    return sorted(Locale.objects.all(), key=lambda locale: locale.pk != default.pk)


class TranslationsReportFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("Translations"),
        choices=[
            (NEEDS_WORK, gettext_lazy("Needing work")),
            (OUT_OF_DATE, gettext_lazy("Out of date")),
            (MISSING, gettext_lazy("Missing")),
            (NEVER_CHECKED, gettext_lazy("Never checked")),
        ],
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
        method="filter_state",
    )
    content_type = ContentTypeFilter(
        label=gettext_lazy("Type"),
        queryset=lambda request: get_page_content_types(include_base_page_type=False),
    )

    class Meta:
        model = Page
        fields = ["content_type"]

    def filter_state(self, queryset, name, value):
        states = (value,)
        if value == NEEDS_WORK:
            states = (MISSING, OUT_OF_DATE, NEVER_CHECKED)
        return translations_report_filter(queryset, locales=_locales(), states=states)


class TranslationsReportView(ReportView):
    """One row per source page, one column per language (Reports → Translations)."""

    template_name = "site_config/admin/translations_report.html"
    results_template_name = "site_config/admin/translations_report_results.html"
    page_title = gettext_lazy("Translations")
    header_icon = "globe"
    filterset_class = TranslationsReportFilterSet
    index_url_name = "site_config_translations:report"
    index_results_url_name = "site_config_translations:report_results"
    model = Page
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def locales(self) -> list[Locale]:
        return _locales()

    @property
    def list_export(self):
        return [
            "draft_title",
            "language_code",
            "content_type",
            "url_path",
            *(f"status_{locale.language_code}" for locale in self.locales),
        ]

    @property
    def export_headings(self):
        return {
            "draft_title": _("Title"),
            "language_code": _("Source language"),
            "content_type": _("Type"),
            "url_path": _("Path"),
            **{
                f"status_{locale.language_code}": locale.get_display_name()
                for locale in self.locales
            },
        }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "content_type": {
                self.FORMAT_CSV: get_content_type_label,
                self.FORMAT_XLSX: get_content_type_label,
            },
        }

    def get_queryset(self):
        return (
            translations_report_pages(locales=self.locales)
            .select_related("locale", "content_type")
            .order_by("path")
        )

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.language_code = page.locale.language_code
            page.translation_states = translations_report_states(
                page, locales=self.locales
            )
            for state in page.translation_states:
                setattr(page, f"status_{state.language}", state.label)
        return object_list

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locales"] = self.locales
        context["can_translate"] = self.request.user.has_perm(
            "simple_translation.submit_translation"
        )
        context["report_url"] = self.request.get_full_path()
        return context


class MarkUpToDateView(AdminScreenMixin, TemplateView):
    """Ask, then record that a translation was checked against its source."""

    template_name = "site_config/admin/translation_mark_up_to_date.html"
    page_title = gettext_lazy("Mark translation up to date")
    header_icon = "globe"

    def dispatch(self, request, *args, **kwargs):
        # The permission first: nobody else learns whether the page exists.
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        self.translation = get_object_or_404(
            Page.objects.select_related("locale"), pk=kwargs["page_id"]
        )
        if not self.translation.permissions_for_user(request.user).can_edit():
            return permission_denied(request)
        self.source = self._source(request)
        if self.source is None:
            raise Http404("This page is not a translation.")
        return super().dispatch(request, *args, **kwargs)

    def _source(self, request) -> Page | None:
        """The source named by the report (same translation group), the
        recorded one, or the page in the default language."""
        translation = self.translation
        chosen = request.POST.get("source") or request.GET.get("source")
        if chosen and chosen.isdigit():
            return (
                Page.objects.filter(
                    pk=int(chosen), translation_key=translation.translation_key
                )
                .exclude(pk=translation.pk)
                .select_related("locale")
                .first()
            )
        record = getattr(translation, "translation_record", None)
        if record is not None:
            return Page.objects.select_related("locale").get(pk=record.source_id)
        return translation_source_default(translation=translation)

    def get_page_subtitle(self):
        return self.translation.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = translation_state(translation=self.translation)
        context.update(
            translation=self.translation,
            record=TranslationRecord.objects.filter(translation=self.translation)
            .select_related("checked_by")
            .first(),
            source=self.source,
            state=state,
            next_url=get_valid_next_url_from_request(self.request),
            cancel_url=get_valid_next_url_from_request(self.request)
            or reverse("wagtailadmin_pages:edit", args=[self.translation.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        translation_mark_up_to_date(
            translation=self.translation, user=request.user, source=self.source
        )
        messages.success(
            request,
            _("“%(title)s” is marked up to date with its %(language)s source.")
            % {
                "title": self.translation.get_admin_display_title(),
                "language": self.source.locale.get_display_name(),
            },
        )
        return redirect(
            get_valid_next_url_from_request(request)
            or reverse("wagtailadmin_pages:edit", args=[self.translation.pk])
        )
