"""What a publication lists in order: authors, organisations, files, related items."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.models import Orderable

from publications.choices import DownloadLanguage, OrganisationRole


class PublicationAuthor(Orderable):
    """One author of a publication: a person we know, or a name as printed."""

    page = ParentalKey(
        "publications.PublicationPage",
        on_delete=models.CASCADE,
        related_name="authors",
    )
    person = models.ForeignKey(
        "publications.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        # A deleted person leaves an empty row, which is never shown.
        on_delete=models.SET_NULL,
        related_name="authorships",
    )
    external_name = models.CharField(
        _("or name"),
        max_length=255,
        blank=True,
        help_text=_("For authors who are not in the people list, e.g. Elise Foubert."),
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=255,
        blank=True,
        help_text=_(
            "Shown after the name; for a person, their organisation otherwise."
        ),
    )
    is_organisation = models.BooleanField(
        _("the author is an organisation"),
        default=False,
        help_text=_("Cite the name as written, e.g. IPIS or a coalition."),
    )

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("external_name")]),
        FieldRowPanel([FieldPanel("affiliation"), FieldPanel("is_organisation")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        has_person = self.person_id is not None
        has_name = bool(self.external_name.strip())
        if has_person == has_name:
            message = _("Choose a person or type a name (one of the two).")
            raise ValidationError({"person": message, "external_name": message})
        self.external_name = self.external_name.strip()

    @property
    def name(self) -> str:
        if self.person_id is not None and self.person is not None:
            return self.person.name
        return self.external_name

    @property
    def affiliation_label(self) -> str:
        """The affiliation as given, else the person's organisation (by acronym)."""
        if self.affiliation:
            return self.affiliation
        person = self.person if self.person_id is not None else None
        organisation = person.organisation if person is not None else None
        if organisation is None:
            return ""
        return organisation.acronym or organisation.name


class PublicationOrganisation(Orderable):
    """An organisation that funded, commissioned or worked on a publication."""

    page = ParentalKey(
        "publications.PublicationPage",
        on_delete=models.CASCADE,
        related_name="organisations",
    )
    organisation = models.ForeignKey(
        "publications.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="publication_roles",
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=OrganisationRole.choices,
        default=OrganisationRole.SUPPORTED_BY,
    )

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.get_role_display()}: {self.organisation}"


class PublicationDownload(Orderable):
    """A file of the publication (usually a PDF) in one language."""

    page = ParentalKey(
        "publications.PublicationPage",
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=DownloadLanguage.choices,
        default=DownloadLanguage.EN,
    )
    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("E.g. Full report, Summary, Annexes. “Full report” otherwise."),
    )

    panels = [
        FieldPanel("document"),
        FieldRowPanel([FieldPanel("language"), FieldPanel("label")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    def __str__(self):
        return f"{self.label or self.document} ({self.language})"

    @property
    def is_pdf(self) -> bool:
        return self.document.file_extension.lower() == "pdf"


class RelatedPublication(Orderable):
    """Another publication to read next, in the editors' order."""

    page = ParentalKey(
        "publications.PublicationPage",
        on_delete=models.CASCADE,
        related_name="related_publications",
    )
    related = models.ForeignKey(
        "publications.PublicationPage",
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("related", page_type="publications.PublicationPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related publication")
        verbose_name_plural = _("related publications")

    def __str__(self):
        return str(self.related)
