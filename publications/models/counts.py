"""What the library records about its own use and its harvesters: download
totals per month, and the publications withdrawn from OAI-PMH."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DownloadCount(models.Model):
    """How many times a publication's PDFs were downloaded in one month.

    A total and nothing else: no address, user, cookie or browser is stored.
    """

    publication = models.ForeignKey(
        "publications.PublicationPage",
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="download_counts",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "month"],
                name="publications_downloadcount_unique_month",
            )
        ]

    def __str__(self):
        return f"{self.publication_id} {self.month:%Y-%m}: {self.count}"


class OaiTombstone(models.Model):
    """A publication that harvesters saw and that is no longer public.

    OAI-PMH answers it as a deleted record (deletedRecord=persistent) until
    the page is published again. Keyed by the page's id, which the record's
    identifier carries, so it outlives the page.
    """

    page_id = models.PositiveBigIntegerField(_("page id"), unique=True)
    deleted_at = models.DateTimeField(_("withdrawn at"), db_index=True)
    # " programme:natural-resources type:report ": the sets the record was in,
    # space-delimited on both sides so that one set is matched by `contains`.
    set_specs = models.TextField(_("sets"), blank=True)

    class Meta:
        verbose_name = _("withdrawn publication (OAI-PMH)")
        verbose_name_plural = _("withdrawn publications (OAI-PMH)")

    def __str__(self):
        return f"{self.page_id} ({self.deleted_at:%Y-%m-%d})"

    def set_spec_list(self) -> list[str]:
        return self.set_specs.split()
