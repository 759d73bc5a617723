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


class LibraryEntry(models.Model):
    """One publication as the library counts it: live, public, in one library.

    Kept by `publications.library.tally` whenever a publication is saved,
    published, unpublished, moved, restricted or deleted, in the same
    transaction. Its facet values are stored flat, so the library filters and
    orders on this narrow table and a search's matches are counted in one
    GROUP BY; `LibraryFacetCell` holds the same rows counted by signature.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="library_entry",
    )
    library = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    # The library's translation key, the same for all its languages: the
    # library lists every language's entries newest first by walking one
    # index range (an IN over the library's pages would sort them all).
    library_key = models.UUIDField()
    publication_date = models.DateField()
    publication_type = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=16)
    # The translation keys of its programmes and of its countries, sorted and
    # separated by spaces: the translations of a term count as one term.
    programmes = models.TextField(blank=True)
    countries = models.TextField(blank=True)
    signature = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("library entry")
        verbose_name_plural = _("library entries")
        indexes = [
            models.Index(
                fields=["library_key", "publication_date", "page"],
                name="publications_entry_newest",
            ),
            models.Index(
                fields=["publication_date", "page"], name="publications_entry_date"
            ),
        ]

    def __str__(self):
        return f"{self.page_id} in {self.library_id}"


class LibraryFacetCell(models.Model):
    """How many publications of one library share one set of facet values.

    Every publication is in exactly one cell (its type, year, language,
    programmes and countries), so any facet's counts under any choice of the
    other facets are sums over the cells: a few hundred rows at most, however
    many publications the library holds.
    """

    library = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    signature = models.CharField(max_length=40)
    publication_type = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=16)
    programmes = models.TextField(blank=True)
    countries = models.TextField(blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("library facet count")
        verbose_name_plural = _("library facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "signature"],
                name="publications_facetcell_unique_signature",
            )
        ]

    def __str__(self):
        return f"{self.library_id} {self.signature}: {self.count}"


class LibraryFacetCount(models.Model):
    """How many publications of one library have one facet value.

    The library with nothing chosen shows exactly these counts: a few dozen
    rows, read in one query, however many publications and cells there are.
    Kept with the cells (`publications.library.tally`).
    """

    library = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("library facet total")
        verbose_name_plural = _("library facet totals")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "facet", "value"],
                name="publications_facetcount_unique_value",
            )
        ]

    def __str__(self):
        return f"{self.library_id} {self.facet}={self.value}: {self.count}"
