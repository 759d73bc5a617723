"""The library: its index page, publication pages and the partners' Voices series."""

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from publications import api
from publications.blocks import ReportStoryBlock
from publications.choices import (
    DatePrecision,
    Licence,
    OrganisationRole,
    PublicationType,
)
from publications.forms import PublicationPageForm
from publications.identifiers import DoiField, doi_url
from publications.licences import LicenceInfo, licence_info
from publications.pdf.panels import PdfTextPanel
from theme.address import page_public_url

from .relations import PublicationAuthor


class PublicationIndexPage(RoutablePageMixin, Page):
    """The library of one language: every publication below it, filterable."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["site_config.HomePage"]
    subpage_types = ["publications.PublicationPage", "publications.VoicesSeriesPage"]
    max_count_per_parent = 1
    template = "publications/publication_index_page.html"

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def get_context(self, request, *args, **kwargs):
        from publications.library import library_search

        context = super().get_context(request, *args, **kwargs)
        library = library_search(library=self, params=request.GET)
        query = library.canonical_query
        context["library"] = library
        context["canonical_url"] = page_public_url(self, request) + (
            f"?{query}" if query else ""
        )
        return context

    @path("people/<slug:slug>/", name="person")
    def person(self, request: HttpRequest, slug: str) -> HttpResponse:
        """A person's page: who they are and their publications (404 if none)."""
        from publications.people import person_for_slug, person_page_context

        person = person_for_slug(slug=slug, locale=self.locale)
        if person is None:
            raise Http404
        if person.slug and person.slug != slug:
            # Another language's slug: the address of this language's page.
            return redirect(
                self.url + self.reverse_subpage("person", kwargs={"slug": person.slug}),
                permanent=True,
            )
        context = person_page_context(person=person, library=self, request=request)
        if context is None:
            raise Http404
        return TemplateResponse(
            request,
            "publications/person_page.html",
            {**Page.get_context(self, request), **context},
        )

    def get_sitemap_urls(self, request=None):
        """The library, then the page of each person with publications."""
        from publications.people import people_with_publications, person_path

        urls = super().get_sitemap_urls(request)
        own = page_public_url(self, request)
        if own is None:
            return urls
        slugs = people_with_publications(locale=self.locale).values_list(
            "slug", flat=True
        )
        return urls + [
            {"location": person_path(library_url=own, slug=slug)}
            for slug in sorted(slugs)
        ]

    @path("feed/", name="feed")
    def feed_rss(self, request: HttpRequest) -> HttpResponse:
        """RSS 2.0 of the newest publications, of one programme with ?programme=."""
        from publications.feeds import LibraryRssFeed

        return LibraryRssFeed(library=self)(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request: HttpRequest) -> HttpResponse:
        """Atom 1.0 of the newest publications, of one programme with ?programme=."""
        from publications.feeds import LibraryAtomFeed

        return LibraryAtomFeed(library=self)(request)


class PublicationPage(RoutablePageMixin, Page):
    """A report, map, briefing paper or study, with its files and how to cite it."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    publication_date = models.DateField(
        _("publication date"),
        help_text=_("The day it appeared; the first of the month if only that."),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Month: only the month is known, and citations say no more."),
    )
    publication_type = models.CharField(
        _("type"),
        max_length=30,
        choices=PublicationType.choices,
        default=PublicationType.REPORT,
    )
    summary = models.TextField(
        _("summary"),
        help_text=_("Two to four plain sentences on what the reader will learn."),
    )
    body = StreamField(ReportStoryBlock(), blank=True, verbose_name=_("body"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its description is used as the text alternative."),
    )
    programmes = ParentalManyToManyField(
        "publications.Programme",
        verbose_name=_("programmes"),
        blank=True,
        related_name="publications",
    )
    countries = ParentalManyToManyField(
        "publications.Country",
        verbose_name=_("countries"),
        blank=True,
        related_name="publications",
    )
    external_url = models.URLField(
        _("external link"),
        blank=True,
        help_text=_("E.g. the interactive webmap that goes with the report."),
    )
    external_label = models.CharField(
        _("external link text"),
        max_length=120,
        blank=True,
        help_text=_("E.g. Explore the interactive map."),
    )
    series_name = models.CharField(
        _("series"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Insights on Due Diligence in Mineral Sourcing."),
    )
    series_volume = models.PositiveSmallIntegerField(_("volume"), null=True, blank=True)
    place = models.CharField(
        _("place of publication"),
        max_length=120,
        blank=True,
        default="Antwerp",
        help_text=_("For citations, e.g. Antwerp or Antwerp/Mwanza."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=255,
        default="IPIS",
        help_text=_("For citations and search engines."),
    )

    doi = DoiField(
        _("DOI"),
        max_length=255,
        blank=True,
        help_text=_(
            "E.g. 10.1000/xyz123, or its https://doi.org/ address. Language "
            "versions of one publication may share it."
        ),
    )
    licence = models.CharField(
        _("licence"),
        max_length=30,
        choices=Licence.choices,
        blank=True,
        help_text=_(
            "The terms readers may reuse it under. A new publication starts "
            "with the site's default licence."
        ),
    )

    base_form_class = PublicationPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("publication_date"),
                        FieldPanel("date_precision"),
                        FieldPanel("publication_type"),
                    ]
                ),
                FieldRowPanel([FieldPanel("series_name"), FieldPanel("series_volume")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("publisher")]),
                FieldRowPanel([FieldPanel("doi"), FieldPanel("licence")]),
            ],
            heading=_("Publication"),
        ),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        InlinePanel("authors", heading=_("Authors"), label=_("author")),
        InlinePanel(
            "organisations", heading=_("Organisations"), label=_("organisation")
        ),
        MultiFieldPanel(
            [
                FieldPanel("programmes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
            ],
            heading=_("Filed under"),
        ),
        InlinePanel("downloads", heading=_("Files"), label=_("file")),
        PdfTextPanel(heading=_("Search inside the files")),
        MultiFieldPanel(
            [FieldPanel("external_url"), FieldPanel("external_label")],
            heading=_("External link"),
        ),
        FieldPanel("body"),
        InlinePanel(
            "related_publications",
            heading=_("Related publications"),
            label=_("related publication"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle", boost=1.5),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author_names"),
        index.SearchField("series_name"),
        # The text read from its PDFs, every language (publications.pdf).
        index.SearchField("pdf_text"),
        index.FilterField("publication_date"),
        index.FilterField("publication_type"),
    ]
    # What /api/v2/pages/?type=publications.PublicationPage tells, read-only
    # (publications/api.py). A new public field is one more line here.
    api_fields = [
        APIField("subtitle"),
        APIField("publication_date"),
        APIField("date_precision"),
        APIField("publication_type"),
        APIField("summary"),
        APIField("authors", serializer=api.authors_field),
        APIField("programmes", serializer=api.programmes_field),
        APIField("countries", serializer=api.countries_field),
        APIField("downloads", serializer=api.downloads_field),
        APIField("translations", serializer=api.translations_field),
        APIField("series_name"),
        APIField("series_volume"),
        APIField("voices_series", serializer=api.voices_series_field),
        APIField("place"),
        APIField("publisher"),
        APIField("external_url"),
        APIField("external_label"),
        APIField("doi"),
        APIField("licence"),
    ]

    parent_page_types = [
        "publications.PublicationIndexPage",
        "publications.VoicesSeriesPage",
    ]
    subpage_types: list[str] = []
    template = "publications/publication_page.html"
    # Fetched with the page when it is routed to (site_config.HomePage.route).
    route_select_related = ("cover_image",)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def clean(self):
        super().clean()
        if self.doi and self._doi_used_elsewhere():
            raise ValidationError(
                {
                    "doi": _(
                        "Another publication already has this DOI. Only the "
                        "language versions of one publication may share a DOI."
                    )
                }
            )

    def _doi_used_elsewhere(self) -> bool:
        """Whether a publication that is not a language version of this one
        has the DOI (DOIs are compared without case, as resolvers do)."""
        others = PublicationPage.objects.filter(doi__iexact=self.doi)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        if self.translation_key is not None:
            others = others.exclude(translation_key=self.translation_key)
        return others.exists()

    @property
    def doi_url(self) -> str:
        return doi_url(self.doi)

    @property
    def licence_info(self) -> LicenceInfo | None:
        """The licence's name and address, or None when none was chosen."""
        return licence_info(self.licence)

    @classmethod
    def api_prepare(cls, pages: list["PublicationPage"]) -> None:
        """Fetch what the API tells of a batch of publications at once."""
        api.publications_api_prepare(pages)

    def permissions_for_user(self, user):
        """Wagtail's checks, less copying, moving and deleting for partner authors."""
        from publications.permissions import StudyPermissionTester

        return StudyPermissionTester(user, self)

    # Helpers for templates, feeds and citations. They read the related rows
    # through `.all()`, so a prefetched queryset is used as it is.

    def author_list(self) -> list[PublicationAuthor]:
        """The authors in order, leaving out rows whose person was deleted."""
        return [author for author in self.authors.all() if author.name]

    def author_names(self) -> str:
        """Every author's name, for the search index."""
        return " ".join(author.name for author in self.author_list())

    def pdf_text(self) -> str:
        """The text of its public PDFs in every language, for the search index."""
        from publications.pdf.text import publication_pdf_text

        return publication_pdf_text(publication_id=self.pk) if self.pk else ""

    def author_line(self) -> str:
        """“Hans Merket, Elard Mawala”: the authors as a listing shows them."""
        return ", ".join(author.name for author in self.author_list())

    def organisations_by_role(self) -> list[tuple[str, list]]:
        """(role label, organisations) in the order of the roles' choices."""
        order = {
            value: position for position, value in enumerate(OrganisationRole.values)
        }
        labels = dict(OrganisationRole.choices)
        rows = sorted(
            self.organisations.all(),
            key=lambda row: (order.get(row.role, len(order)), row.sort_order or 0),
        )
        return [
            (
                labels.get(role, role),
                [row.organisation for row in group],
            )
            for role, group in groupby(rows, key=lambda row: row.role)
        ]

    @property
    def series_label(self) -> str:
        """“Voices from Tanzania, vol. 1”, or the series name alone."""
        if not self.series_name:
            return ""
        if self.series_volume:
            return _("%(series)s, vol. %(volume)s") % {
                "series": self.series_name,
                "volume": self.series_volume,
            }
        return self.series_name

    @property
    def full_title(self) -> str:
        """The title and the subtitle, as a citation gives them."""
        if not self.subtitle:
            return self.title
        separator = " " if self.title.rstrip()[-1:] in ":?!" else ": "
        return f"{self.title.rstrip()}{separator}{self.subtitle}"

    def primary_pdf(self):
        """The PDF to cite: the first in the page's language, else the first PDF."""
        pdfs = [row for row in self.downloads.all() if row.is_pdf]
        language = self.locale.language_code
        for row in pdfs:
            if row.language == language:
                return row
        return pdfs[0] if pdfs else None

    def get_context(self, request, *args, **kwargs):
        from publications.publication import publication_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(publication_page_context(publication=self, request=request))
        return context

    @path("cite/bibtex/", name="cite_bibtex")
    def cite_bibtex(self, request: HttpRequest) -> HttpResponse:
        """This publication as a BibTeX file."""
        from publications.citation import citation_bibtex

        return self._citation_response(
            citation_bibtex(publication=self, url=page_public_url(self, request)),
            content_type="application/x-bibtex; charset=utf-8",
            extension="bib",
        )

    @path("cite/ris/", name="cite_ris")
    def cite_ris(self, request: HttpRequest) -> HttpResponse:
        """This publication as an RIS file (EndNote, Zotero, Mendeley)."""
        from publications.citation import citation_ris

        return self._citation_response(
            citation_ris(publication=self, url=page_public_url(self, request)),
            content_type="application/x-research-info-systems; charset=utf-8",
            extension="ris",
        )

    def _citation_response(
        self, text: str, *, content_type: str, extension: str
    ) -> HttpResponse:
        response = HttpResponse(text, content_type=content_type)
        # The slug is letters, digits and hyphens, so it is safe in the header.
        response["Content-Disposition"] = (
            f'attachment; filename="{self.slug}.{extension}"'
        )
        response["X-Robots-Tag"] = "noindex"
        return response


class VoicesSeriesPage(Page):
    """A series of studies written by partner organisations, e.g. Voix du Congo."""

    intro = models.TextField(
        _("introduction"), help_text=_("What the series is and who writes it.")
    )
    partner_organisations = ParentalManyToManyField(
        "publications.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="voices_series",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("partner_organisations", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("partner_organisations", serializer=api.partners_field),
        APIField("translations", serializer=api.translations_field),
    ]

    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types = ["publications.PublicationPage"]
    template = "publications/voices_series_page.html"

    class Meta:
        verbose_name = _("Voices series")
        verbose_name_plural = _("Voices series")

    @classmethod
    def api_prepare(cls, pages: list["VoicesSeriesPage"]) -> None:
        """Fetch what the API tells of a batch of series at once."""
        api.voices_series_api_prepare(pages)

    def studies(self):
        """The live studies of the series, newest first, ready for listing."""
        from publications.cards import card_image_lookups

        return (
            PublicationPage.objects.child_of(self)
            .live()
            .defer_streamfields()
            .select_related("locale", "cover_image")
            .prefetch_related(
                models.Prefetch(
                    "authors",
                    queryset=PublicationAuthor.objects.select_related(
                        "person__organisation"
                    ),
                ),
                *card_image_lookups(),
            )
            .order_by("-publication_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["studies"] = list(self.studies())
        context["partners"] = list(
            self.partner_organisations.all().select_related("country")
        )
        return context
