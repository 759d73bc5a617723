"""The admin dashboard for the day's work: one panel per job, each for those
who may do it.

Panels join Wagtail's own through the `construct_homepage_panels` hook
(`wagtail_hooks.py`). Each checks its own permission and reads what it shows
in a fixed number of queries, whatever the amount of content.
"""

import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from briefings.models import digest_page_models
from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem, NewsSource
from briefings.newsletter.choices import DeliveryStatus
from briefings.newsletter.models import Dispatch
from publications.partners import REVIEWER_GROUP_NAMES, WORKFLOW_NAME

LATEST = 5
SENT = DeliveryStatus.SENT


class DashboardPanel(Component):
    """A panel shown only to those `is_shown_to` lets see it: by default,
    whoever holds any one of its `permissions`."""

    heading = ""
    permissions: tuple[str, ...] = ()

    @classmethod
    def is_shown_to(cls, user) -> bool:
        return any(user.has_perm(permission) for permission in cls.permissions)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["heading"] = self.heading
        context["panel_id"] = self.name
        return context


class NewsInboxPanel(DashboardPanel):
    name = "dashboard-news"
    heading = _("News inbox")
    template_name = "site_config/dashboard/news.html"
    order = 50

    permissions = ("news.view_newsitem", "news.change_newsitem")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        counts = NewsItem.objects.inbox().aggregate(
            new=Count("pk", filter=Q(status=NewsStatus.NEW)),
            shortlisted=Count("pk", filter=Q(status=NewsStatus.SHORTLISTED)),
        )
        context.update(
            counts,
            latest=NewsItem.objects.inbox()
            .filter(status__in=[NewsStatus.NEW, NewsStatus.SHORTLISTED])
            .select_related("source")
            .order_by("-first_seen_at", "-pk")[:LATEST],
        )
        return context


class FailingFeedsPanel(DashboardPanel):
    name = "dashboard-feeds"
    heading = _("Failing feeds")
    template_name = "site_config/dashboard/feeds.html"
    order = 55

    permissions = ("news.view_newssource", "news.change_newssource")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        failing = NewsSource.objects.active().filter(failure_count__gt=0)
        sources = list(failing.order_by("failing_since", "title")[:LATEST])
        context.update(
            failing_count=failing.count(),
            sources=[(source, source.state()) for source in sources],
            can_fetch=parent_context["request"].user.has_perm("news.change_newssource"),
        )
        return context


@dataclass
class DraftSummary:
    page: Page
    sections: int
    news: int
    publications: int


def _draft_summary(page) -> DraftSummary:
    """What the draft holds, read from its latest revision (no query)."""
    revision = page.latest_revision
    raw = revision.content.get("sections") if revision else None
    if raw is None:
        sections = list(page.sections.raw_data)
    else:
        sections = json.loads(raw) if isinstance(raw, str) else raw
    kinds = Counter(
        item.get("type")
        for section in sections
        for item in (section.get("value") or {}).get("items") or []
    )
    return DraftSummary(page, len(sections), kinds["news_item"], kinds["publication"])


class DigestDraftsPanel(DashboardPanel):
    name = "dashboard-drafts"
    heading = _("Next issues")
    template_name = "site_config/dashboard/drafts.html"
    order = 60

    permissions = ("news.change_newsitem",)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        drafts = []
        for model in digest_page_models():  # one query per kind of digest
            page = (
                model.objects.filter(live=False)
                .select_related("latest_revision")
                .order_by("issue_date", "pk")
                .first()
            )
            if page is not None:
                drafts.append(_draft_summary(page))
        context["drafts"] = drafts
        return context


class DispatchesPanel(DashboardPanel):
    name = "dashboard-dispatches"
    heading = _("Last dispatches")
    template_name = "site_config/dashboard/dispatches.html"
    order = 65

    permissions = ("newsletter.send_digest", "newsletter.view_dispatch")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["dispatches"] = (
            Dispatch.objects.select_related("page", "mailing_list")
            .annotate(
                sent=Count(
                    "deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)
                ),
                failed=Count(
                    "deliveries",
                    filter=Q(
                        deliveries__status__in=[
                            DeliveryStatus.FAILED,
                            DeliveryStatus.UNCERTAIN,
                        ]
                    ),
                ),
            )
            .order_by("-created_at", "-pk")[:LATEST]
        )
        return context


class VoicesReviewPanel(DashboardPanel):
    name = "dashboard-voices"
    heading = _("Voices studies waiting for review")
    template_name = "site_config/dashboard/voices.html"
    order = 70

    @classmethod
    def is_shown_to(cls, user) -> bool:
        return user.is_superuser or any(
            group.name in REVIEWER_GROUP_NAMES for group in user.groups.all()
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        states = list(
            WorkflowState.objects.active()
            .filter(workflow__name=WORKFLOW_NAME)
            .select_related("requested_by", "current_task_state__task")
            .order_by("created_at")[: LATEST * 2]
        )
        pages = Page.objects.in_bulk([int(state.object_id) for state in states])
        context["waiting"] = [
            (pages[int(state.object_id)], state)
            for state in states
            if int(state.object_id) in pages
        ]
        return context


PANELS = (
    NewsInboxPanel,
    FailingFeedsPanel,
    DigestDraftsPanel,
    DispatchesPanel,
    VoicesReviewPanel,
)


def dashboard_panels(user) -> list[Component]:
    """The panels this user may see."""
    return [panel() for panel in PANELS if panel.is_shown_to(user)]
