"""Where a partner author starts in the admin: the "Pages" menu opens at their
own series (in their admin language, where they write in several), and the
dashboard counts the studies they may see there, not the site's pages.

Wagtail starts both at the closest common ancestor of the pages a group has
rights on; a partner's series exists in several language trees, so that is the
tree's root ("Root", with its notice that pages there have no URL) and the
count is every page of the site.
"""

from django.db.models import Count, Q
from django.urls import reverse

from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem
from wagtail.models import Page

from publications.permissions import is_partner_author, partner_visible_pages


def partner_series_counts(*, user) -> list[tuple[Page, int]]:
    """(series, studies the author may see in it) for each series they write
    in, the admin language's first. Two queries, whatever the studies."""
    from publications.admin_guards import partner_series

    series = partner_series(user)
    if not series:
        return []
    studies = partner_visible_pages(Page.objects.all(), user)
    counts = studies.aggregate(
        **{
            f"series_{page.pk}": Count(
                "pk",
                filter=Q(path__startswith=page.path, depth=page.depth + 1),
            )
            for page in series
        }
    )
    return [(page, counts[f"series_{page.pk}"]) for page in series]


class PartnerStudiesSummaryItem(SummaryItem):
    """“3 studies in Voix du Congo (French)”, one line per language version."""

    order = 100
    template_name = "publications/admin/partner_summary.html"

    def get_context_data(self, parent_context):
        return {
            "rows": [
                {
                    "series": page,
                    "language": page.locale.get_display_name(),
                    "count": count,
                }
                for page, count in partner_series_counts(user=self.request.user)
            ]
        }


def summary_items_for_partner(request, summary_items: list) -> None:
    """On a partner author's dashboard, their studies instead of the site's pages."""
    if not is_partner_author(request.user):
        return
    summary_items[:] = [
        item for item in summary_items if not isinstance(item, PagesSummaryItem)
    ]
    summary_items.append(PartnerStudiesSummaryItem(request))


# Wagtail's "Pages" menu item (wagtail.admin.wagtail_hooks.ExplorerMenuItem).
EXPLORER_MENU_NAME = "explorer"


class PartnerExplorerMenuItem(MenuItem):
    """The "Pages" menu of a partner author, opening at their own series."""

    def __init__(self, series: Page, original: MenuItem):
        super().__init__(
            original.label,
            reverse("wagtailadmin_explore", args=[series.pk]),
            name=original.name,
            icon_name=original.icon_name,
            classname=original.classname,
            order=original.order,
        )
        self.series = series

    def render_component(self, request):
        from wagtail.admin.ui.sidebar import PageExplorerMenuItem

        return PageExplorerMenuItem(
            self.name,
            self.label,
            self.url,
            self.series.pk,
            icon_name=self.icon_name,
            classname=self.classname,
        )


def main_menu_for_partner(request, menu_items: list) -> None:
    """A partner author's "Pages" menu opens at their series, not at "Root"."""
    from publications.admin_guards import partner_series

    if not is_partner_author(request.user):
        return
    for position, item in enumerate(menu_items):
        if item.name == EXPLORER_MENU_NAME:
            series = partner_series(request.user)
            if series:
                menu_items[position] = PartnerExplorerMenuItem(series[0], item)
            return


__all__ = [
    "PartnerExplorerMenuItem",
    "PartnerStudiesSummaryItem",
    "main_menu_for_partner",
    "partner_series_counts",
    "summary_items_for_partner",
]
