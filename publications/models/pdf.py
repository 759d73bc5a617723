"""The text read from PDF documents, page by page, for search (publications.pdf)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publications.choices import DocumentTextStatus


class DocumentText(models.Model):
    """How reading one document's text went, and for which version of its file."""

    document = models.OneToOneField(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="pdf_text",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentTextStatus.choices
    )
    reason = models.TextField(_("reason"), blank=True)
    page_count = models.PositiveIntegerField(_("pages in the file"), default=0)
    pages_read = models.PositiveIntegerField(_("pages read"), default=0)
    read_at = models.DateTimeField(_("read at"))
    # The file this text came from: a rename or a move keeps them, a new file not.
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=40, blank=True)
    thumbnail = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("first page image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")

    def __str__(self):
        return f"{self.document_id}: {self.status}"


class DocumentPageText(models.Model):
    """The text of one page of a document, as read."""

    document_text = models.ForeignKey(
        DocumentText, on_delete=models.CASCADE, related_name="pages"
    )
    page_number = models.PositiveIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("document page text")
        verbose_name_plural = _("document page texts")
        ordering = ["document_text", "page_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_text", "page_number"],
                name="publications_document_page_unique",
            )
        ]

    def __str__(self):
        return f"{self.document_text_id} p. {self.page_number}"
