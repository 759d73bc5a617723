"""Reports → Downloads: the most downloaded publications, and one
publication's downloads month by month. For staff with the
`publications.view_downloadcount` permission (Editors, Moderators)."""

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from publications.downloads import downloads_by_month, downloads_ranking
from publications.models import DownloadCount, PublicationPage
from theme.admin_screen import AdminScreenMixin

DOWNLOADS_PERMISSION = "publications.view_downloadcount"
MONTHS_SHOWN = 24


class DownloadsReportView(ReportView):
    page_title = _("Downloads")
    header_icon = "download"
    index_url_name = "publications_downloads"
    index_results_url_name = "publications_downloads_results"
    permission_required = "view"
    paginate_by = 50
    columns = [
        TitleColumn(
            "title",
            label=_("Publication"),
            url_name="publications_downloads_publication",
        ),
        Column("language", label=_("Language"), accessor="locale.language_code"),
        Column("downloads_recent", label=_("Last 12 months")),
        Column("downloads_total", label=_("All time")),
    ]
    list_export = [
        "title",
        "locale.language_code",
        "downloads_recent",
        "downloads_total",
    ]
    export_headings = {
        "title": _("Publication"),
        "locale.language_code": _("Language"),
        "downloads_recent": _("Last 12 months"),
        "downloads_total": _("All time"),
    }
    export_filename = "downloads"

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(DownloadCount)

    def get_queryset(self):
        return downloads_ranking()


class PublicationDownloadsView(AdminScreenMixin, TemplateView):
    """One publication's downloads in each of the last 24 months."""

    template_name = "publications/admin/publication_downloads.html"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(DOWNLOADS_PERMISSION):
            return permission_denied(request)
        self.publication = get_object_or_404(
            PublicationPage.objects.defer_streamfields().select_related("locale"),
            pk=kwargs["page_id"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Downloads of “%(title)s”") % {"title": self.publication.title}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("publications_downloads"), "label": _("Downloads")},
            {"url": "", "label": self.publication.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        months = downloads_by_month(publication=self.publication, months=MONTHS_SHOWN)
        context.update(
            publication=self.publication,
            months=months[::-1],  # newest first
            months_total=sum(count for _month, count in months),
            all_time=DownloadCount.objects.filter(
                publication=self.publication
            ).aggregate(total=Sum("count", default=0))["total"],
        )
        return context
