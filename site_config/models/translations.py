from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationRecord(models.Model):
    """Which revision of its source a translated page was made from, or last
    checked against.

    simple_translation copies a page once; this record is what lets editors see
    that the source has been published again since (site_config/translations).
    """

    translation = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("translation"),
        on_delete=models.CASCADE,
        related_name="translation_record",
    )
    source = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("source page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Null when the source had no revision then, or the revision was purged:
    # the translation has never been compared with anything.
    source_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("source revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_alias = models.BooleanField(_("alias"), default=False)
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("translation record")
        verbose_name_plural = _("translation records")
        permissions = [
            ("review_translations", _("Can review translations")),
        ]

    def __str__(self):
        return f"{self.translation_id} ← {self.source_id}@{self.source_revision_id}"
