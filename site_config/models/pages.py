from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from briefings.models import BriefingPage
from bulletins.models import BulletinPage
from publications.cards import card_downloads
from publications.models import Programme, PublicationPage
from site_config.blocks import StandardStoryBlock
from site_config.models.programmes import ProgrammePage
from theme.i18n import pages_localized


class HomePage(Page):
    """The front page of one language tree."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences on what the institute does."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("featured publication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_text = models.TextField(
        _("why it matters"),
        blank=True,
        help_text=_("Shown beside the featured publication; its summary otherwise."),
    )
    programmes_heading = models.CharField(
        _("programmes heading"), max_length=120, default=_("Our research")
    )
    newsletter_heading = models.CharField(
        _("newsletter heading"), max_length=120, blank=True
    )
    newsletter_text = models.TextField(_("newsletter text"), blank=True)
    newsletter_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("newsletter sign-up page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [
                PageChooserPanel("featured_page", "publications.PublicationPage"),
                FieldPanel("featured_text"),
            ],
            heading=_("Featured"),
        ),
        FieldPanel("programmes_heading"),
        MultiFieldPanel(
            [
                FieldPanel("newsletter_heading"),
                FieldPanel("newsletter_text"),
                PageChooserPanel("newsletter_page"),
            ],
            heading=_("Newsletter call to action"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "site_config.StandardPage",
        "publications.PublicationIndexPage",
        "briefings.BriefingIndexPage",
        "bulletins.BulletinIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        programmes = list(
            Programme.objects.filter(locale_id=self.locale_id).select_related(
                "landing_page"
            )
        )
        landing = pages_localized(
            [programme.landing_page for programme in programmes], locale=self.locale
        )
        context["programmes"] = [
            (
                programme,
                landing[programme.landing_page_id].get_url(request=request)
                if programme.landing_page_id
                else None,
            )
            for programme in programmes
        ]
        context["featured"] = featured = self.featured_for_locale()
        self._pictures_fetch(featured)
        context["latest_digests"] = [
            issue
            for issue in (
                digest.latest_in_locale(self.locale_id)
                for digest in (BriefingPage, BulletinPage)
            )
            if issue is not None
        ]
        return context

    def route(self, request, path_components):
        """Find a page below this home in one lookup of its URL path.

        Wagtail walks the tree one level at a time (two queries per level);
        every page stores its full ``url_path``, so one query finds it. Paths
        that are not a page (a routable page's sub-route such as ``cite/ris/``
        or ``feed/``) fall back to Wagtail's walk. A page model can name the
        foreign keys its template always needs in ``route_select_related``.
        """
        if path_components:
            target = (
                Page.objects.filter(
                    url_path=f"{self.url_path}{'/'.join(path_components)}/",
                    depth=self.depth + len(path_components),
                )
                .order_by("path")
                .first()
            )
            if target is not None:
                model = target.specific_class or type(target)
                specific = model.objects.all()
                if related := getattr(model, "route_select_related", ()):
                    # Never select_related() bare: it would join every key.
                    specific = specific.select_related(*related)
                specific = specific.get(pk=target.pk)
                return specific.route(request, [])
        return super().route(request, path_components)

    def _pictures_fetch(self, featured: Page | None) -> None:
        """The hero image and the featured publication's cover in one query."""
        cover_id = getattr(featured, "cover_image_id", None)
        wanted = {self.hero_image_id, cover_id} - {None}
        if not wanted:
            return
        images = get_image_model().objects.in_bulk(wanted)
        if self.hero_image_id in images:
            self.hero_image = images[self.hero_image_id]
        if cover_id in images:
            featured.cover_image = images[cover_id]

    def featured_for_locale(self) -> Page | None:
        """The featured page in this home page's language where translated."""
        if self.featured_page is None:
            return None
        featured = pages_localized([self.featured_page], locale=self.locale)[
            self.featured_page_id
        ]
        if not featured.live:
            return None
        featured = featured.specific
        if isinstance(featured, PublicationPage) and not featured.cover_image_id:
            # Without a cover, its PDF's first page is shown beside it: one
            # query (the renditions come from the renditions cache).
            prefetch_related_objects([featured], "locale", card_downloads())
        return featured


class StandardPage(Page):
    """A plain content page: about, mission, team, contact."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StandardStoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["site_config.HomePage", "site_config.StandardPage"]
    subpage_types = ["site_config.StandardPage", "site_config.ProgrammePage"]

    class Meta:
        verbose_name = _("standard page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A research page lists its programmes as cards (one query).
        context["programme_pages"] = list(
            ProgrammePage.objects.child_of(self).live().order_by("path")
        )
        return context
