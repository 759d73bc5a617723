"""The taxonomy of the institute's research: programmes, countries, organisations
and people. All are translatable snippets, one row per locale."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index

from publications.choices import OrganisationKind, PersonGroup, Region
from publications.identifiers import OrcidField, orcid_url

ISO_CODE_PATTERN = re.compile(r"[A-Z]{2}")


def _is_taken_in_locale(instance: TranslatableMixin, **lookups) -> bool:
    """Whether another row in the instance's locale already has these values."""
    locale_id = instance.locale_id or instance.get_default_locale().pk
    others = type(instance)._default_manager.filter(locale_id=locale_id, **lookups)
    if instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    return others.exists()


def name_in_locale(model, *, locale_id: int, key: str = "translation_key"):
    """An expression: the name of the term at `key` in `locale_id`, else its own.

    `key` is the path to the term's translation key from the rows queried
    (``"countries__translation_key"`` from publications). No query of its own.
    """
    own = key.removesuffix("translation_key") + "name"
    return Coalesce(
        Subquery(
            model._default_manager.filter(
                translation_key=OuterRef(key), locale_id=locale_id
            )
            .order_by()
            .values("name")[:1]
        ),
        F(own),
    )


class TermQuerySet(models.QuerySet):
    """Terms of the taxonomy, which exist once per language they are translated into."""

    def with_local_name(self, locale_id: int) -> "TermQuerySet":
        """Each term with `local_name`: its name in `locale_id` where translated."""
        return self.annotate(local_name=name_in_locale(self.model, locale_id=locale_id))

    def one_per_translation(self, locale: Locale | None = None) -> "TermQuerySet":
        """Each term once, in `locale` (the active language by default) where it
        has a translation.

        A term without a row in `locale` is given in the default language, and
        one in neither in whichever language it was created in (its first row),
        so that a term written only in French still appears in English. The
        choice is made by `EXISTS` subqueries: no query of its own.
        """
        language = (
            locale.language_code
            if locale is not None
            else get_supported_content_language_variant(get_language())
        )
        default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        siblings = self.model._default_manager.filter(
            translation_key=OuterRef("translation_key")
        )
        in_language = Exists(siblings.filter(locale__language_code=language))
        in_default = Exists(siblings.filter(locale__language_code=default))
        first_row = ~Exists(siblings.filter(pk__lt=OuterRef("pk")))
        return self.filter(
            Q(locale__language_code=language)
            | (Q(locale__language_code=default) & ~in_language)
            | (~in_language & ~in_default & first_row)
        )


class Programme(TranslatableMixin, index.Indexed, models.Model):
    """A research programme; publications and people are filed under it."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        help_text=_("Used in addresses and filters; unique within a language."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two plain sentences, shown on cards."),
    )
    description = RichTextField(
        _("description"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )
    landing_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("landing page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page that presents this programme."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"),
        default=0,
        help_text=_("Programmes with lower numbers are listed first."),
    )

    objects = TermQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("landing_page"),
        FieldPanel("sort_order"),
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"],
                name="publications_programme_unique_slug_per_locale",
                violation_error_message=_(
                    "Another programme in this language already uses this slug."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # The locale is not a form field, so the unique constraint is not
        # checked by the form; check it here to show an error, not a crash.
        if self.slug and _is_taken_in_locale(self, slug=self.slug):
            raise ValidationError(
                {
                    "slug": _(
                        "Another programme in this language already uses this slug."
                    )
                }
            )


class Country(TranslatableMixin, index.Indexed, models.Model):
    """A country the research covers, grouped by region."""

    name = models.CharField(_("name"), max_length=100)
    iso_code = models.CharField(
        _("ISO code"),
        max_length=2,
        help_text=_("Two-letter ISO 3166-1 code in capitals, e.g. CD or TZ."),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    objects = TermQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("iso_code"),
        FieldPanel("region"),
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("iso_code"),
        index.AutocompleteField("iso_code"),
        index.FilterField("region"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "iso_code"],
                name="publications_country_unique_iso_code_per_locale",
                violation_error_message=_(
                    "Another country in this language already has this ISO code."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.iso_code = (self.iso_code or "").strip().upper()
        # Empty and over-long codes are already refused by the field itself;
        # only report what the field cannot see, so no error is shown twice.
        if len(self.iso_code) in (1, 2) and not ISO_CODE_PATTERN.fullmatch(
            self.iso_code
        ):
            raise ValidationError(
                {
                    "iso_code": _(
                        "Enter the country's two-letter ISO 3166-1 code "
                        "(letters A to Z only), e.g. CD or TZ."
                    )
                }
            )
        if self.iso_code and _is_taken_in_locale(self, iso_code=self.iso_code):
            raise ValidationError(
                {
                    "iso_code": _(
                        "Another country in this language already has this ISO code."
                    )
                }
            )


class OrganisationQuerySet(TermQuerySet):
    def partners(self):
        """Organisations the institute works with, including those that also fund it."""
        return self.filter(kind__in=[OrganisationKind.PARTNER, OrganisationKind.BOTH])

    def funders(self):
        """Organisations that fund the institute, including partners that do."""
        return self.filter(kind__in=[OrganisationKind.FUNDER, OrganisationKind.BOTH])


class Organisation(TranslatableMixin, index.Indexed, models.Model):
    """A partner, funder or other organisation the institute works with."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    description = models.TextField(_("description"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("kind"),
        FieldPanel("logo"),
        FieldPanel("website"),
        FieldPanel("country"),
        FieldPanel("description"),
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("acronym", boost=2),
        index.AutocompleteField("acronym"),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind in (OrganisationKind.PARTNER, OrganisationKind.BOTH)

    @property
    def is_funder(self) -> bool:
        return self.kind in (OrganisationKind.FUNDER, OrganisationKind.BOTH)


class Person(TranslatableMixin, index.Indexed, models.Model):
    """A member of the board, staff or research network, or an external author."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        blank=True,
        allow_unicode=False,
        help_text=_(
            "The end of the address of their page in the library, e.g. "
            "hans-merket; made from the name when left empty."
        ),
    )
    orcid = OrcidField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        help_text=_(
            "Their ORCID iD, e.g. 0000-0002-1825-0097, or its orcid.org address."
        ),
    )
    role = models.CharField(
        _("role"),
        max_length=255,
        blank=True,
        help_text=_("E.g. director, researcher, board member."),
    )
    group = models.CharField(_("group"), max_length=20, choices=PersonGroup.choices)
    email = models.EmailField(_("email"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("biography"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"),
        default=0,
        help_text=_("People with lower numbers are listed first in their group."),
    )

    objects = TermQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("orcid"),
        FieldPanel("role"),
        FieldPanel("group"),
        FieldPanel("email"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("organisation"),
        FieldPanel("sort_order"),
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.AutocompleteField("role"),
        index.SearchField("bio"),
        index.FilterField("group"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Groups are shown as separate lists, so within the table the editors'
        # order comes first; alphabetical group codes would be meaningless.
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"],
                condition=~Q(slug=""),
                name="publications_person_unique_slug_per_locale",
                violation_error_message=_(
                    "Another person in this language already uses this slug."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.slug and _is_taken_in_locale(self, slug=self.slug):
            raise ValidationError(
                {"slug": _("Another person in this language already uses this slug.")}
            )

    @property
    def orcid_url(self) -> str:
        return orcid_url(self.orcid)

    def _free_slug(self) -> str:
        """A slug made from the name, numbered if another person has it.

        A translation takes the slug of the person it translates, so that a
        person's page has the same address in every language.
        """
        if self.translation_key is not None:
            shared = (
                type(self)
                ._default_manager.filter(translation_key=self.translation_key)
                .exclude(slug="")
                .exclude(pk=self.pk)
                .values_list("slug", flat=True)
                .first()
            )
            if shared and not _is_taken_in_locale(self, slug=shared):
                return shared
        base = slugify(self.name)[:240] or "person"
        slug, number = base, 1
        while _is_taken_in_locale(self, slug=slug):
            number += 1
            slug = f"{base}-{number}"
        return slug
