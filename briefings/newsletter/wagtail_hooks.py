"""The newsletter in the Wagtail admin: lists, subscribers, sending, dispatches."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from briefings.newsletter import admin_views
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
    """Send test / Send to list on a published digest, for staff who may send."""
    if not page.live or not user.has_perm(admin_views.SEND_PERMISSION):
        return
    if not admin_views.is_digest(page):
        return
    yield Button(
        _("Send to list"),
        reverse("newsletter_digest_send", args=[page.pk]),
        icon_name="mail",
        priority=75,
    )
    yield Button(
        _("Send test to me"),
        reverse("newsletter_digest_send_test", args=[page.pk]),
        icon_name="mail",
        priority=76,
        attrs={"data-send-test": "true"},
    )


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
