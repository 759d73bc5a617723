"""The read-only "Search inside the files" panel of the publication edit screen."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

ADVICE = {
    "ok": _("Readers can find this publication by the words in this file."),
    "no_text": _(
        "It looks scanned: its pages are pictures without a text layer. Run OCR "
        "on it (e.g. with OCRmyPDF or Acrobat) and upload the result as a new "
        "version of the file."
    ),
    "encrypted": _(
        "It is protected by a password. Upload a copy without a password so its "
        "text can be read."
    ),
    "too_large": _(
        "It is too large to read. Upload a smaller file: compressed, or split "
        "into parts."
    ),
    "timed_out": _(
        "Reading it took too long; only the pages read before that are "
        "searchable. Upload a simpler export of it, or ask an administrator to "
        "run “manage.py read_pdfs”."
    ),
    "failed": _(
        "It could not be read. Check that it opens in a PDF reader, save it as "
        "PDF again and upload it as a new version of the file."
    ),
    "not_pdf": _("It is not a PDF although its name says so. Upload the PDF."),
}
NOT_READ = _("Not read yet: it is read in the background after its file is saved.")
PRIVATE = _(
    "It is in a private collection: its words are not searched or quoted until "
    "the file is public."
)


@dataclass(frozen=True)
class FileReading:
    """One PDF of the publication as the panel lists it."""

    title: str
    language: str
    status: str
    status_label: str
    pages: str
    advice: str
    private: bool


def publication_files_reading(*, publication) -> list[FileReading]:
    """How reading went for each PDF of a saved publication (one query)."""
    from publications.choices import DocumentTextStatus, DownloadLanguage
    from publications.models import PublicationDownload
    from publications.pdf.text import collection_restricted

    if publication.pk is None:
        return []
    rows = (
        PublicationDownload.objects.filter(page_id=publication.pk)
        .select_related("document__pdf_text")
        .annotate(private=collection_restricted("document__collection__path"))
        .order_by("sort_order", "pk")
    )
    languages = dict(DownloadLanguage.choices)
    statuses = dict(DocumentTextStatus.choices)
    files = []
    for row in rows:
        if not row.is_pdf:
            continue
        text = getattr(row.document, "pdf_text", None)
        if text is None:
            status, label, pages, advice = "", _("Not read yet"), "", NOT_READ
        else:
            status, label = text.status, statuses.get(text.status, text.status)
            pages = _("%(read)s of %(total)s pages read") % {
                "read": text.pages_read,
                "total": text.page_count,
            }
            advice = " ".join(
                part for part in (str(ADVICE.get(status, "")), text.reason) if part
            )
        files.append(
            FileReading(
                title=row.document.title,
                language=str(languages.get(row.language, row.language)),
                status=status,
                status_label=str(label),
                pages=str(pages),
                advice=str(advice),
                private=bool(row.private),
            )
        )
    return files


class PdfTextPanel(Panel):
    """Each PDF of the publication: read or not, how many pages, what to do."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publications/admin/pdf_text_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["files"] = publication_files_reading(publication=self.instance)
            context["private_note"] = PRIVATE
            return context
