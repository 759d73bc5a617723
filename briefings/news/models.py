"""News sources (feeds) and the items they bring into the editors' inbox."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin import display
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from briefings.news.choices import FetchOutcome, NewsStatus
from briefings.news.ingest.fetch import FetchError, url_precheck


def feed_url_validate(value: str) -> None:
    """Refuse what the feed client would refuse without looking anything up."""
    try:
        url_precheck(value)
    except FetchError as error:
        raise ValidationError(error.message) from None


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "?"
    return date_format(timezone.localtime(moment), "j M Y, H:i")


@dataclass(frozen=True)
class SourceState:
    """A source's state: a kind for styling and the words shown to staff."""

    kind: str  # inactive, unfetched, healthy or failing
    text: str

    def __str__(self) -> str:
        return self.text


class NewsSourceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def due(self, *, now=None):
        """Active sources whose next poll time has come (or was never set)."""
        now = now or timezone.now()
        return self.active().filter(
            models.Q(next_poll_at__isnull=True) | models.Q(next_poll_at__lte=now)
        )


class NewsSource(models.Model):
    """An RSS or Atom feed polled for news, with its fetch health."""

    title = models.CharField(_("title"), max_length=255)
    feed_url = models.URLField(
        _("feed address"),
        max_length=2000,
        unique=True,
        validators=[URLValidator(schemes=["http", "https"]), feed_url_validate],
        help_text=_("The address of the RSS or Atom feed (http or https)."),
    )
    site_url = models.URLField(_("website"), max_length=2000, blank=True)
    category = models.CharField(
        _("category"),
        max_length=100,
        blank=True,
        help_text=_("A free label to group sources, e.g. “Great Lakes press”."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language most items of this feed are written in."),
    )
    default_programmes = models.ManyToManyField(
        "publications.Programme",
        verbose_name=_("default programmes"),
        blank=True,
        related_name="+",
        help_text=_("New items from this source are tagged with these programmes."),
    )
    default_countries = models.ManyToManyField(
        "publications.Country",
        verbose_name=_("default countries"),
        blank=True,
        related_name="+",
        help_text=_("New items from this source are tagged with these countries."),
    )
    include_keywords = models.TextField(
        _("include keywords"),
        blank=True,
        help_text=_(
            "One word or phrase per line. When set, only items that mention at "
            "least one of them enter the inbox; the others are dismissed."
        ),
    )
    exclude_keywords = models.TextField(
        _("exclude keywords"),
        blank=True,
        help_text=_(
            "One word or phrase per line. Items that mention any of them are "
            "dismissed on arrival."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive sources are not polled.")
    )
    poll_interval = models.PositiveIntegerField(
        _("poll interval (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(7 * 24 * 60)],
    )

    # Conditional GET and change detection.
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(
        _("Last-Modified"), max_length=100, blank=True, editable=False
    )
    last_body_hash = models.CharField(max_length=64, blank=True, editable=False)

    # Health, shown to staff.
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_outcome = models.CharField(
        _("last outcome"), max_length=20, choices=FetchOutcome.choices, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_note = models.TextField(
        _("last parse note"),
        blank=True,
        help_text=_("What the parser noticed about the last document."),
    )
    failure_count = models.PositiveIntegerField(_("consecutive failures"), default=0)
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        help_text=_("When the current run of failed polls began."),
    )
    next_poll_at = models.DateTimeField(
        _("next poll"), null=True, blank=True, db_index=True
    )
    ingest_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsSourceQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("feed_url"),
        FieldPanel("site_url"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("language")]),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("poll_interval")]),
        MultiFieldPanel(
            [FieldPanel("default_programmes"), FieldPanel("default_countries")],
            heading=_("Tags for new items"),
        ),
        MultiFieldPanel(
            [FieldPanel("include_keywords"), FieldPanel("exclude_keywords")],
            heading=_("Keyword rules"),
            help_text=_(
                "Use “Test rules” in the sources list to try rules on recent "
                "items before saving them."
            ),
        ),
    ]

    class Meta:
        # Tables keep the names they had before the app had a label of its own.
        db_table = "briefings_newssource"
        verbose_name = _("news source")
        verbose_name_plural = _("news sources")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def is_failing(self) -> bool:
        return self.failure_count > 0

    def state(self) -> "SourceState":
        """The source's state in words, claiming nothing it does not know."""
        if not self.is_active:
            return SourceState("inactive", str(_("Inactive: not polled")))
        if self.failure_count:
            since = self.failing_since or self.last_error_at or self.last_fetched_at
            text = ngettext(
                "Failing since %(since)s (%(count)d failed poll in a row)",
                "Failing since %(since)s (%(count)d failed polls in a row)",
                self.failure_count,
            ) % {"since": _when(since), "count": self.failure_count}
            if self.next_poll_at:
                text += "; " + str(
                    _("backing off until %(when)s") % {"when": _when(self.next_poll_at)}
                )
            return SourceState("failing", text)
        if not self.last_fetched_at:
            return SourceState("unfetched", str(_("Not fetched yet")))
        if self.next_poll_at:
            return SourceState(
                "healthy",
                str(
                    _("Healthy; next poll %(when)s")
                    % {"when": _when(self.next_poll_at)}
                ),
            )
        return SourceState("healthy", str(_("Healthy; polled when due")))

    def backoff_seconds(self) -> float:
        """How long to wait after the current run of failures (capped)."""
        if not self.failure_count:
            return self.poll_interval * 60
        base = settings.FEEDS_BACKOFF_BASE
        exponent = min(self.failure_count - 1, 30)
        return float(min(base * 2**exponent, settings.FEEDS_BACKOFF_MAX))

    def poll_delay(self, *, retry_after: float | None = None) -> timedelta:
        seconds = self.backoff_seconds()
        if retry_after is not None:
            seconds = max(seconds, min(retry_after, settings.FEEDS_RETRY_AFTER_MAX))
        return timedelta(seconds=seconds)


class NewsItemQuerySet(models.QuerySet):
    def inbox(self):
        """One row per article: duplicates from other sources are folded in."""
        return self.filter(duplicate_of__isnull=True)

    def for_listing(self):
        return self.select_related("source", "used_in").prefetch_related(
            "programmes", "countries", "duplicates__source"
        )


class NewsItem(models.Model):
    """One entry of a feed, cleaned on the way in, curated by staff."""

    source = models.ForeignKey(
        NewsSource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    identity = models.CharField(
        max_length=64,
        editable=False,
        help_text=_("SHA-256 of the GUID, else the link, else the title and date."),
    )
    guid = models.CharField(_("GUID"), max_length=1000, blank=True, editable=False)
    link = models.URLField(_("link"), max_length=2000, blank=True)
    canonical_url = models.URLField(
        _("canonical address"), max_length=2000, blank=True, editable=False
    )
    canonical_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    summary_html = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Cleaned HTML: only the tags and links the policy allows."),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NewsStatus.choices,
        default=NewsStatus.NEW,
        db_index=True,
    )
    rule_note = models.CharField(
        _("rule note"),
        max_length=300,
        blank=True,
        help_text=_("Why a keyword rule dismissed this item on arrival."),
    )
    programmes = models.ManyToManyField(
        "publications.Programme",
        verbose_name=_("programmes"),
        blank=True,
        related_name="news_items",
    )
    countries = models.ManyToManyField(
        "publications.Country",
        verbose_name=_("countries"),
        blank=True,
        related_name="news_items",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        editable=False,
        help_text=_("The same article, first received from another source."),
    )
    used_in = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("used in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The digest issue this item was last added to."),
    )
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("status"),
        FieldPanel("programmes"),
        FieldPanel("countries"),
    ]

    class Meta:
        db_table = "briefings_newsitem"
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "identity"],
                name="briefings_newsitem_unique_identity_per_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="briefings_news_status_date"
            ),
        ]

    def __str__(self):
        return self.title

    def original_url(self) -> str:
        """Where the article is: the canonical address, else the link as given."""
        return self.canonical_url or self.link

    @display(description=_("link"))
    def original_link(self):
        url = self.original_url()
        if not url:
            return ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer nofollow">{}</a>',
            url,
            _("Original"),
        )

    def all_sources(self) -> list[NewsSource]:
        """This item's source, then the sources its duplicates came from."""
        sources = [self.source]
        for duplicate in self.duplicates.all():
            if duplicate.source not in sources:
                sources.append(duplicate.source)
        return sources
