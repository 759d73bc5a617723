"""The newsletter in the Wagtail admin: lists, subscribers, sending, dispatches."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from briefings.newsletter import admin_views, report_views
from briefings.newsletter.models import Dispatch
from briefings.newsletter.viewsets import MailingListViewSet, NewsletterMenuGroup
from theme.admin_urls import legacy_redirects

register_snippet(MailingListViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterMenuGroup()


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [
        path(
            "newsletter/send/<int:page_id>/",
            admin_views.digest_send_view,
            name="newsletter_digest_send",
        ),
        path(
            "newsletter/send/<int:page_id>/to/<int:list_id>/",
            admin_views.digest_send_confirm_view,
            name="newsletter_digest_send_confirm",
        ),
        path(
            "newsletter/send/<int:page_id>/test/",
            admin_views.digest_send_test_view,
            name="newsletter_digest_send_test",
        ),
        path(
            "newsletter/dispatches/",
            admin_views.dispatch_index_view,
            name="newsletter_dispatch_index",
        ),
        path(
            "newsletter/dispatches/<int:dispatch_id>/",
            admin_views.dispatch_progress_view,
            name="newsletter_dispatch_progress",
        ),
        path(
            "newsletter/dispatches/<int:dispatch_id>/progress.json",
            admin_views.dispatch_progress_json_view,
            name="newsletter_dispatch_progress_json",
        ),
        path(
            "newsletter/subscribers/<int:subscriber_id>/erase/",
            admin_views.subscriber_erase_view,
            name="newsletter_subscriber_erase",
        ),
        path(
            "newsletter/subscribers/import/",
            admin_views.subscribers_import_view,
            name="newsletter_subscribers_import",
        ),
        path(
            "newsletter/dispatches/<int:dispatch_id>/report/",
            report_views.dispatch_report_view,
            name="newsletter_dispatch_report",
        ),
        path(
            "newsletter/dispatches/<int:dispatch_id>/report.csv",
            report_views.dispatch_report_csv_view,
            name="newsletter_dispatch_report_csv",
        ),
        path(
            "newsletter/dispatches/<int:dispatch_id>/sent/<str:language>/",
            report_views.dispatch_archive_view,
            name="newsletter_dispatch_archive",
        ),
        path(
            "newsletter/dispatches/<int:dispatch_id>/sent/<str:language>/html/",
            report_views.dispatch_archive_html_view,
            name="newsletter_dispatch_archive_html",
        ),
        # Where these screens were before the newsletter had a label of its own.
        *legacy_redirects(
            {
                "briefings/send/": "newsletter/send/",
                "briefings/dispatches/": "newsletter/dispatches/",
                "briefings/subscribers/import/": "newsletter/subscribers/import/",
                "snippets/briefings/mailinglist/": "snippets/newsletter/mailinglist/",
            }
        ),
    ]


@hooks.register("register_page_header_buttons")
def digest_send_buttons(page, user, view_name, next_url=None):
    """Send to list on a published digest, Send a test on any digest (a draft
    too), for staff who may send."""
    if not user.has_perm(admin_views.SEND_PERMISSION):
        return
    if not admin_views.is_digest(page):
        return
    if page.live:
        yield Button(
            _("Send to list"),
            reverse("newsletter_digest_send", args=[page.pk]),
            icon_name="mail",
            priority=75,
        )
    yield Button(
        _("Send a test"),
        reverse("newsletter_digest_send_test", args=[page.pk]),
        icon_name="mail",
        priority=76,
        attrs={"data-send-test": "true"},
    )


class DigestSendMenuItem(ActionMenuItem):
    """“Send to list…” in the page's action menu (beside Publish)."""

    label = _("Send to list…")
    name = "action-newsletter-send"
    icon_name = "mail"

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and page is not None
            and page.live
            and context["request"].user.has_perm(admin_views.SEND_PERMISSION)
            and admin_views.is_digest(page)
        )

    def get_url(self, parent_context):
        return reverse("newsletter_digest_send", args=[parent_context["page"].pk])


class DigestSendTestMenuItem(ActionMenuItem):
    """“Send a test…” in the page's action menu, for a draft as well."""

    label = _("Send a test…")
    name = "action-newsletter-send-test"
    icon_name = "mail"

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and page is not None
            and context["request"].user.has_perm(admin_views.SEND_PERMISSION)
            and admin_views.is_digest(page)
        )

    def get_url(self, parent_context):
        return reverse("newsletter_digest_send_test", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def digest_send_menu_item():
    return DigestSendMenuItem(order=60)


@hooks.register("register_page_action_menu_item")
def digest_send_test_menu_item():
    return DigestSendTestMenuItem(order=61)


@hooks.register("register_page_header_buttons")
def digest_plan_send_button(page, user, view_name, next_url=None):
    """Plan a send on a digest that is scheduled to go live but not live yet."""
    if page.live or not user.has_perm(admin_views.SEND_PERMISSION):
        return
    if not admin_views.is_digest(page) or not page.approved_schedule:
        return
    yield Button(
        _("Plan sending to a list"),
        reverse("newsletter_digest_send", args=[page.pk]),
        icon_name="mail",
        priority=75,
    )


@hooks.register("register_page_header_buttons")
def dispatch_report_buttons(page, user, view_name, next_url=None):
    """A delivery report per list the issue went to, for staff who may send."""
    if not user.has_perm(report_views.SEND_PERMISSION) or not admin_views.is_digest(
        page
    ):
        return
    dispatches = Dispatch.objects.filter(
        page__translation_key=page.translation_key
    ).select_related("mailing_list")
    for number, dispatch in enumerate(dispatches):
        yield Button(
            _("Delivery report: %(list)s") % {"list": dispatch.mailing_list},
            reverse("newsletter_dispatch_report", args=[dispatch.pk]),
            icon_name="doc-full",
            priority=77 + number,
        )
