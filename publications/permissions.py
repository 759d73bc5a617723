"""What a partner author may see and do in the admin, on top of Wagtail's checks.

Wagtail's page permissions already confine an author to the series their group
has "add" on, and let them edit only the studies they own. Two things are
added here: other authors' drafts are hidden wherever the admin lists pages
(explorer, search, choosers, reports and the admin API all ask the page
permission policy), and authors may not copy, move or delete pages.
"""

from django.db.models import Q

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
