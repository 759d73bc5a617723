"""What a partner author may see and do in the admin, on top of Wagtail's checks.

Wagtail's page permissions already confine an author to the series their group
has "add" on, and let them edit only the studies they own. Three things are
added here: other authors' drafts are hidden wherever the admin lists pages
(explorer, search, choosers, reports and the admin API all ask the page
permission policy), authors may not copy, move or delete pages, and a live
page someone else is changing shows its live title to partner authors, never
the draft's (`partner_viewing`, `install`).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

PARTNER_AUTHOR_CACHE = "_voices_partner_author"


def is_partner_author(user) -> bool:
    """A member of a Voices partner's group who is not staff (nor superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return False
    cached = getattr(user, PARTNER_AUTHOR_CACHE, None)
    if cached is None:
        from publications.partners import REVIEWER_GROUP_NAMES

        groups = list(user.groups.values_list("name", "voices_partner__pk"))
        cached = any(partner for _name, partner in groups) and not any(
            name in REVIEWER_GROUP_NAMES for name, _partner in groups
        )
        setattr(user, PARTNER_AUTHOR_CACHE, cached)
    return cached


def partner_visible_pages(pages, user):
    """`pages` less the drafts a partner author does not own."""
    if not is_partner_author(user):
        return pages
    return pages.filter(Q(live=True) | Q(owner=user))


class VoicesPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, hiding other authors' drafts from partner authors."""

    def explorable_instances(self, user):
        return partner_visible_pages(super().explorable_instances(user), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return partner_visible_pages(
            super().instances_user_has_any_permission_for(user, actions), user
        )


class StudyPermissionTester(PagePermissionTester):
    """Partner authors write and submit; copying, moving, deleting is staff work."""

    def can_copy(self):
        return not is_partner_author(self.user) and super().can_copy()

    def can_delete(self, ignore_bulk=False):
        return not is_partner_author(self.user) and super().can_delete(ignore_bulk)

    def can_move(self):
        return not is_partner_author(self.user) and super().can_move()

    def can_move_to(self, destination):
        return not is_partner_author(self.user) and super().can_move_to(destination)

    def can_copy_to(self, destination, recursive=False):
        return not is_partner_author(self.user) and super().can_copy_to(
            destination, recursive
        )


# Draft titles ------------------------------------------------------------------
#
# A live page with unpublished changes carries its draft's title in
# `draft_title`, and Wagtail's admin shows `Page.get_admin_display_title()`
# (that draft title) wherever it names a page: choosers, explorer, search,
# breadcrumbs, reports, the admin API's `admin_display_title`. A partner author
# must not read the new title of a study another author is writing, nor of an
# institute page an editor is renaming. `admin_guards.partner_admin_guard` runs
# each admin view of a partner author (and its rendering) inside
# `partner_viewing(user)`; while it does, pages the author does not own are
# named by their live title and show no draft state ("live + draft",
# "scheduled", "in moderation" read "live"). Staff and reviewers never enter
# it: they see draft titles as before.

_partner_viewer: ContextVar = ContextVar("voices_partner_viewer", default=None)


@contextmanager
def partner_viewing(user):
    """Within it, pages not owned by `user` (a partner author) hide their drafts."""
    token = _partner_viewer.set(user if is_partner_author(user) else None)
    try:
        yield
    finally:
        _partner_viewer.reset(token)


def draft_hidden(page) -> bool:
    """Whether the partner author being served may not see `page`'s draft."""
    viewer = _partner_viewer.get()
    return viewer is not None and page.owner_id != viewer.pk


_originals: dict = {}


def _admin_display_title(self):
    if draft_hidden(self):
        return self.title or self.draft_title
    return _originals["get_admin_display_title"](self)


def _status_string(self):
    if self.live and draft_hidden(self):
        return _("live")
    return _originals["status_string"].fget(self)


def _approved_schedule(self):
    if draft_hidden(self):
        return False
    return _originals["approved_schedule"].fget(self)


def _api_page_status(self, page):
    status = _originals["PageStatusField.to_representation"](self, page)
    if page.live and draft_hidden(page):
        status["has_unpublished_changes"] = False
    return status


def _page_log_entries_viewable(self, user):
    # The site history names pages by the title they had when logged: a draft
    # title for every "edited" entry. A partner author reads the history of
    # their own pages and of their own actions only.
    entries = _originals["PageLogEntryManager.viewable_by_user"](self, user)
    if is_partner_author(user):
        entries = entries.filter(Q(page__owner=user) | Q(user=user))
    return entries


def install() -> None:
    """Patch Wagtail's `Page` (and the two places that read draft state around
    it) once, for `partner_viewing`; run by `publications.apps`. Idempotent.

    A page model overriding `get_admin_display_title` must call `super()` (or
    ask `draft_hidden`) to keep this. The one other reader of `draft_title`,
    the external-link chooser, is handled in `admin_guards`.
    """
    if _originals:
        return
    from wagtail.admin.api.serializers import PageStatusField
    from wagtail.models import Page, PageLogEntryManager

    _originals.update(
        {
            "get_admin_display_title": Page.get_admin_display_title,
            "status_string": Page.status_string,
            "approved_schedule": Page.approved_schedule,
            "PageStatusField.to_representation": PageStatusField.to_representation,
            "PageLogEntryManager.viewable_by_user": (
                PageLogEntryManager.viewable_by_user
            ),
        }
    )
    Page.get_admin_display_title = _admin_display_title
    Page.status_string = property(_status_string)
    Page.approved_schedule = property(_approved_schedule)
    PageStatusField.to_representation = _api_page_status
    PageLogEntryManager.viewable_by_user = _page_log_entries_viewable
