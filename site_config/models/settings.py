from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Site

from publications.choices import Licence

SOCIAL_NETWORKS = (
    ("bluesky_url", "Bluesky"),
    ("mastodon_url", "Mastodon"),
    ("twitter_url", "X (Twitter)"),
    ("facebook_url", "Facebook"),
    ("linkedin_url", "LinkedIn"),
    ("youtube_url", "YouTube"),
)


@register_setting(icon="site")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """Contact details, social links, footer text and the main navigation."""

    organisation_name = models.CharField(_("organisation name"), max_length=255)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown at the top of the emails. A PNG or JPEG at least 96 pixels high "
            "and wide enough to read; without one, the emails show the name."
        ),
    )
    social_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when a page without an image of its own is shared on social "
            "media; cropped to 1200×630 pixels. Its description is the text "
            "alternative."
        ),
    )
    address = models.TextField(
        _("postal address"), blank=True, help_text=_("One line per address line.")
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    default_licence = models.CharField(
        _("default licence of publications"),
        max_length=30,
        choices=Licence.choices,
        blank=True,
        help_text=_(
            "Chosen for each new publication, which editors may change. "
            "Publications already out keep their own licence."
        ),
    )
    bluesky_url = models.URLField("Bluesky", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)
    twitter_url = models.URLField("X (Twitter)", blank=True)
    facebook_url = models.URLField("Facebook", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation_name"),
                    FieldPanel("tagline"),
                    FieldPanel("logo"),
                    FieldPanel("social_image"),
                    MultiFieldPanel(
                        [
                            FieldPanel("address"),
                            FieldPanel("email"),
                            FieldPanel("phone"),
                        ],
                        heading=_("Contact"),
                    ),
                    FieldPanel("footer_text"),
                    FieldPanel("default_licence"),
                ],
                heading=_("Contact and footer"),
            ),
            ObjectList(
                [FieldPanel(name) for name, _label in SOCIAL_NETWORKS],
                heading=_("Social media"),
            ),
            ObjectList(
                [InlinePanel("navigation_items", label=_("Menu item"))],
                heading=_("Main navigation"),
            ),
            ObjectList(
                [InlinePanel("text_translations", label=_("Translation"))],
                heading=_("Translations"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """The settings of the request's site, from the cache when fresh."""
        from site_config.chrome import chrome_cached

        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        site_settings = chrome_cached(
            "settings", site.pk, compute=lambda: cls.for_site(site).with_texts()
        )
        site_settings._request = request
        setattr(request, attr_name, site_settings)
        return site_settings

    def with_texts(self) -> "SiteSettings":
        """These settings with their translated texts read (one query), for caching."""
        self._texts = {
            translation.locale.language_code: translation
            for translation in self.text_translations.select_related("locale")
        }
        return self

    def _text(self, name: str) -> str:
        texts = getattr(self, "_texts", None)
        if texts is None:
            texts = self.with_texts()._texts
        translation = texts.get(get_language() or "")
        return getattr(translation, name, "") or getattr(self, name)

    @property
    def local_tagline(self) -> str:
        """The tagline in the active language, else the one written above."""
        return self._text("tagline")

    @property
    def local_footer_text(self) -> str:
        """The footer text in the active language, else the one written above."""
        return self._text("footer_text")

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(network, url) for every network with a link, in display order."""
        return [
            (label, getattr(self, name))
            for name, label in SOCIAL_NETWORKS
            if getattr(self, name)
        ]


class NavigationItem(Orderable):
    """One entry of the main navigation; shown in the reader's language."""

    settings = ParentalKey(
        SiteSettings, on_delete=models.CASCADE, related_name="navigation_items"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(
        _("label"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty to use the page's title in each language."),
    )

    panels = [PageChooserPanel("page"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("menu item")


class SiteSettingsTranslation(Orderable):
    """The settings' texts in one more language; empty fields fall back to English.

    A row per language rather than a column per language: adding a language to
    the site then needs no migration, and editors see only the languages they
    have written.
    """

    settings = ParentalKey(
        SiteSettings, on_delete=models.CASCADE, related_name="text_translations"
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("language"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)

    panels = [FieldPanel("locale"), FieldPanel("tagline"), FieldPanel("footer_text")]

    class Meta(Orderable.Meta):
        verbose_name = _("translation of the settings")
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "locale"],
                name="site_config_settings_translation_one_per_locale",
            )
        ]

    def __str__(self):
        return str(self.locale)
