"""The admin screen that onboards a Voices partner: a thin form over
`publications.partners.partner_ensure`."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin.auth import permission_denied

from publications.models import VoicesPartner, VoicesSeriesPage
from publications.partners import PartnerError, partner_ensure
from theme.admin_screen import AdminScreenMixin

# Making groups is site administration: the same permission Wagtail's own
# group screens ask for.
PARTNER_ADMIN_PERMISSION = "auth.add_group"


class PartnerForm(forms.Form):
    name = forms.CharField(
        label=_("Partner's name"),
        max_length=130,
        help_text=_("As the organisation calls itself, e.g. APDE."),
    )
    series = forms.ModelChoiceField(
        label=_("Voices series"),
        queryset=VoicesSeriesPage.objects.none(),
        help_text=_("The partner may write in every language version of it."),
    )
    email = forms.EmailField(
        label=_("First author's email"),
        required=False,
        help_text=_("Optional: we send this person a link to choose a password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = VoicesSeriesPage.objects.select_related(
            "locale"
        ).order_by("title")
        self.fields["series"].label_from_instance = lambda page: (
            f"{page.title} ({page.locale.get_display_name()})"
        )


class PartnerAddView(AdminScreenMixin, FormView):
    form_class = PartnerForm
    template_name = "publications/admin/partner_add.html"
    page_title = _("Voices partners")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PARTNER_ADMIN_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = VoicesPartner.objects.select_related(
            "group", "collection"
        ).order_by("name")
        return context

    def form_valid(self, form):
        try:
            report = partner_ensure(
                name=form.cleaned_data["name"],
                series_slug=form.cleaned_data["series"].slug,
                email=form.cleaned_data["email"],
            )
        except PartnerError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if report.created:
            messages.success(
                self.request,
                _("Partner “%(name)s” can now write in %(count)s series page(s).")
                % {"name": report.partner.name, "count": len(report.series)},
            )
        else:
            messages.info(
                self.request,
                _("Partner “%(name)s” already had all of this; nothing changed.")
                % {"name": report.partner.name},
            )
        if report.invited:
            messages.success(
                self.request,
                _("An invitation was sent to %(email)s.")
                % {"email": report.user.email},
            )
        return redirect(reverse("publications_partner_add"))
