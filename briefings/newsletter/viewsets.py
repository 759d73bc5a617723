"""Subscribers and mailing lists in the admin: listing, search, filters, export."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from briefings.newsletter.admin_views import ERASE_PERMISSION, SEND_PERMISSION
from briefings.newsletter.forms import SubscriberAdminForm
from briefings.newsletter.models import (
    MailingList,
    Subscriber,
    Subscription,
    normalize_email,
)
from briefings.newsletter.subscriptions import subscriber_address_change


class MailingListViewSet(SnippetViewSet):
    model = MailingList
    icon = "mail"
    list_display = ["name", "slug", "digest_type", "from_email", "is_public"]
    search_fields = ["name", "slug"]
    search_backend_name = None


class SubscriberFilterSet(WagtailFilterSet):
    mailing_list = django_filters.ModelChoiceFilter(
        label=_("List"),
        field_name="subscriptions__mailing_list",
        queryset=MailingList.objects.all(),
        method="filter_list",
    )

    class Meta:
        model = Subscriber
        fields = ["status", "language"]

    def filter_list(self, queryset, name, value):
        return queryset.filter(
            subscriptions__mailing_list=value, subscriptions__active=True
        ).distinct()


class SubscriberIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .prefetch_related(
                Prefetch(
                    "subscriptions",
                    queryset=Subscription.objects.filter(active=True).select_related(
                        "mailing_list"
                    ),
                    to_attr="active_subscriptions",
                )
            )
        )

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.request.user.has_perm("newsletter.add_subscriber"):
            buttons.append(
                Button(
                    _("Import from CSV"),
                    url=reverse("newsletter_subscribers_import"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(ERASE_PERMISSION):
            buttons.append(_erase_button(instance))
        return buttons


def _erase_button(instance):
    # In the row's ⋯ menu beside Edit and Delete, not as a button of its own.
    return Button(
        _("Erase on request"),
        url=reverse("newsletter_subscriber_erase", args=[instance.pk]),
        icon_name="bin",
        priority=90,
    )


class SubscriberEditView(EditView):
    """Consent follows the address: a changed address must confirm anew."""

    def save_instance(self):
        old_email = normalize_email(self.form.initial.get("email", ""))
        instance = super().save_instance()
        if normalize_email(instance.email) != old_email:
            subscriber_address_change(
                subscriber=instance,
                old_email=old_email,
                source=f"admin: changed by {self.request.user.get_username()}",
            )
        return instance

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.request.user.has_perm(ERASE_PERMISSION):
            buttons.append(_erase_button(self.object))
        return buttons


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Subscribers")
    index_view_class = SubscriberIndexView
    edit_view_class = SubscriberEditView
    list_display = ["email", "name", "language", "status", "list_names", "created_at"]
    list_export = [
        "email",
        "name",
        "language",
        "status",
        "list_slugs",
        "created_at",
        "confirmed_at",
    ]
    export_filename = "subscribers"
    filterset_class = SubscriberFilterSet
    search_fields = ["email", "name"]
    search_backend_name = None
    form_fields = ["email", "name", "language", "status"]

    def get_form_class(self, for_update=False):
        return SubscriberAdminForm

    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "name",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "status_changed_at",
        "list_names",
        "consent_history",
    ]


class DispatchMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(SEND_PERMISSION)


class NewsletterMenuGroup(ViewSetGroup):
    menu_label = _("Newsletter")
    menu_icon = "mail"
    menu_order = 250
    items = [SubscriberViewSet]

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            DispatchMenuItem(
                _("Dispatches"),
                reverse("newsletter_dispatch_index"),
                icon_name="mail",
                order=900,
            ),
        ]
