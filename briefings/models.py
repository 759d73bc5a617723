"""Digest pages: an issue with an editorial, published on the web (and by email)."""

import uuid
from itertools import groupby

from django.db import models
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from briefings import api
from briefings.blocks import DigestSectionsBlock
from briefings.email.render import render_digest_email
from briefings.outline import digest_outline
from publications.api import translations_field

EDITORIAL_FEATURES = ["h3", "bold", "italic", "link", "document-link", "ol", "ul"]
_INBOX = reverse_lazy("news_newsitem_modeladmin_index")
# Shown above the sections: where the items to compose with are waiting.
INBOX_HELP = format_lazy(
    '<p>{} <a href="{}?status=shortlisted">{}</a> · <a href="{}?status=used">{}</a>'
    "</p>",
    _("In the news inbox:"),
    _INBOX,
    _("shortlisted items"),
    _INBOX,
    _("items already used"),
)


class DigestPage(Page):
    """What every digest shares: an issue with an editorial, then sections of items.

    What differs from one digest to another (the name of what a mailing list
    carries, the headings offered to editors, how a section is found, made and
    headed) is a class attribute or method that a subclass overrides.
    """

    issue_date = models.DateField(
        _("issue date"), help_text=_("The day the issue appears; orders the archive.")
    )
    period_label = models.CharField(
        _("period"),
        max_length=60,
        blank=True,
        help_text=_("For issues covering several months, e.g. “May–June 2019”."),
    )
    focus_title = models.CharField(_("focus"), max_length=255)
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_(
            "One or two sentences shown in lists, feeds and the email preheader."
        ),
    )
    editorial = RichTextField(_("editorial"), features=EDITORIAL_FEATURES)
    author = models.ForeignKey(
        "publications.Person",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("issue_date"), FieldPanel("period_label")]),
                FieldPanel("focus_title"),
                FieldPanel("standfirst"),
            ],
            heading=_("Issue"),
        ),
        FieldPanel("editorial"),
        FieldPanel("author"),
        HelpPanel(content=INBOX_HELP),
        FieldPanel("sections"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("focus_title"),
        index.SearchField("standfirst"),
        index.SearchField("editorial"),
        index.FilterField("issue_date"),
    ]
    # What /api/v2/pages/?type=<app>.<Digest>Page tells, read-only
    # (briefings/api.py): the issue as its web page shows it.
    api_fields = [
        APIField("issue_date"),
        APIField("period", serializer=api.period_field),
        APIField("focus_title"),
        APIField("standfirst"),
        APIField("editorial"),
        APIField("author", serializer=api.author_field),
        APIField("sections", serializer=api.sections_field),
        APIField("translations", serializer=translations_field),
    ]

    feed_url_name = "briefings_feed"
    # What a mailing list that carries this digest says it carries.
    digest_name = _("Digest")
    # Headings offered when editors add inbox items to an issue.
    section_suggestions: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def section_matches(cls, value: dict, heading: str) -> bool:
        """Whether items added under `heading` belong in this section (raw value)."""
        return (value.get("heading") or "").strip().casefold() == heading.casefold()

    @classmethod
    def section_new(cls, heading: str) -> dict:
        """The raw value of a new, empty section for items added under `heading`."""
        return {"heading": heading, "intro": "", "items": []}

    @classmethod
    def section_raw_for(cls, sections: list[dict], heading: str) -> dict:
        """The section of `sections` that takes `heading`, else a new one at the end."""
        for section in sections:
            if cls.section_matches(section["value"], heading):
                return section
        section = {
            "type": "section",
            "id": str(uuid.uuid4()),
            "value": cls.section_new(heading),
        }
        sections.append(section)
        return section

    @classmethod
    def section_heading(cls, value: dict) -> str:
        """The heading readers see for a section (raw value); "" when it has none."""
        return (value.get("heading") or "").strip()

    @classmethod
    def api_prepare(cls, pages: list["DigestPage"]) -> None:
        """Fetch what the API tells of a batch of issues at once."""
        api.digests_api_prepare(pages)

    @property
    def preview_modes(self):
        return [("", _("Web page")), ("email", _("Email"))]

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            email = render_digest_email(self)
            return HttpResponse(email.html, content_type="text/html; charset=utf-8")
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = digest_outline(
            self, url_of=lambda target: _relative_url(target, request)
        )
        context["archive"] = self.get_parent()
        context["feed_url"] = reverse(self.feed_url_name)
        # For the subscribe call to action, which ticks this digest's lists.
        context["digest_name"] = self.digest_name
        context["digest_label"] = self._meta.label_lower
        return context

    @classmethod
    def latest_in_locale(cls, locale_id: int) -> "DigestPage | None":
        """The newest live issue of this digest in one language."""
        return (
            cls.objects.live()
            .filter(locale_id=locale_id)
            .order_by("-issue_date")
            .first()
        )

    @property
    def period(self) -> str:
        """“May–June 2019”, or the month of the issue date."""
        return self.period_label or formats.date_format(self.issue_date, "F Y")


def _relative_url(target, request) -> str:
    if isinstance(target, str):
        return target
    return target.get_url(request=request) or ""


class DigestIndexPage(Page):
    """The archive of one digest: its issues newest first, by year."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        abstract = True

    issue_model: type[DigestPage]

    def issues(self):
        return (
            self.issue_model.objects.child_of(self)
            .live()
            .select_related("author")
            .order_by("-issue_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = list(self.issues())
        context["latest_issue"] = issues[0] if issues else None
        context["feed_url"] = reverse(self.issue_model.feed_url_name)
        context["digest_name"] = self.issue_model.digest_name
        context["digest_label"] = self.issue_model._meta.label_lower
        context["issues_by_year"] = [
            (year, list(group))
            for year, group in groupby(issues, key=lambda issue: issue.issue_date.year)
        ]
        return context


class BriefingPage(DigestPage):
    """The monthly Briefing: an editorial on one focus topic, then curated news."""

    sections = StreamField(
        DigestSectionsBlock(),
        blank=True,
        verbose_name=_("sections"),
        help_text=_(
            "News, publications and links, in sections. Add news items from the "
            "inbox with “Add to the draft digest chosen”."
        ),
    )

    digest_name = _("Monthly Briefing")
    section_suggestions = (
        "Natural resources",
        "Conflict and security",
        "Business and human rights",
        "Arms trade",
        "Our publications",
    )

    parent_page_types = ["briefings.BriefingIndexPage"]
    subpage_types: list[str] = []
    template = "briefings/digest_page.html"

    class Meta:
        verbose_name = _("Briefing")
        verbose_name_plural = _("Briefings")


class BriefingIndexPage(DigestIndexPage):
    issue_model = BriefingPage

    parent_page_types = ["site_config.HomePage"]
    subpage_types = ["briefings.BriefingPage"]
    max_count_per_parent = 1
    template = "briefings/digest_index_page.html"

    class Meta:
        verbose_name = _("Briefing archive")


def digest_page_models() -> list[type[DigestPage]]:
    """Every concrete page type built on DigestPage, whichever app defines it."""
    return [model for model in get_page_models() if issubclass(model, DigestPage)]
