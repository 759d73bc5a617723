from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from site_config.blocks import StandardStoryBlock


class ProgrammePage(Page):
    """A research programme's landing page, filled in from the library and inbox.

    Its latest publications, the digests and news that featured it, its
    countries and people are found through the programme it presents, in the
    page's language (site_config.programmes).
    """

    programme = models.ForeignKey(
        "publications.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Any language's version: the page shows it in its own."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StandardStoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    route_select_related = ("programme",)

    parent_page_types = ["site_config.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("programme page")

    def get_context(self, request, *args, **kwargs):
        from site_config.programmes import programme_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(programme_page_context(page=self, request=request))
        return context
