"""Mailing lists, subscribers, their consent, and dispatches of digests to lists."""

import hmac
import re
import secrets

from django.conf import settings
from django.contrib.admin import display
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, get_page_models
from wagtail.search import index

from briefings.models import DigestPage
from briefings.newsletter.choices import (
    ConsentAction,
    DeliveryStatus,
    DispatchStatus,
    ProviderEvent,
    ScheduledSendStatus,
    SubscriberStatus,
    SuppressionReason,
)


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def digest_kinds() -> list[tuple[str, str]]:
    """The digest page types a list may carry, by model label."""
    return sorted(
        (model._meta.label_lower, model.digest_name)
        for model in get_page_models()
        if issubclass(model, DigestPage)
    )


class MailingListQuerySet(models.QuerySet):
    def with_translations(self, language: str | None = None) -> "MailingListQuerySet":
        """The lists with their name and description in `language` (the active
        one by default) read in the same query."""
        translated = MailingListTranslation.objects.filter(
            mailing_list=models.OuterRef("pk"),
            locale__language_code=language or get_language() or "",
        ).order_by()
        return self.annotate(
            translated_name=models.Subquery(translated.values("name")[:1]),
            translated_description=models.Subquery(
                translated.values("description")[:1]
            ),
        )


class MailingList(index.Indexed, ClusterableModel):
    """A list people subscribe to; it carries one digest and says who sends it."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown on the subscription form.")
    )
    digest_type = models.CharField(
        _("digest it carries"),
        max_length=80,
        choices=digest_kinds,
        blank=True,
        help_text=_("Leave empty for a list that may carry any digest."),
    )
    from_name = models.CharField(_("sender name"), max_length=120)
    from_email = models.EmailField(_("sender address"))
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    is_public = models.BooleanField(_("offered on the public form"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("digest_type"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_name"), FieldPanel("from_email")]),
                FieldPanel("reply_to"),
            ],
            heading=_("Sender"),
        ),
        FieldRowPanel([FieldPanel("is_public"), FieldPanel("sort_order")]),
        InlinePanel(
            "translations",
            label=_("Name and description in another language"),
            heading=_("Translations"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    objects = MailingListQuerySet.as_manager()

    class Meta:
        # Tables keep the names they had before the app had a label of its own.
        db_table = "briefings_mailinglist"
        ordering = ["sort_order", "name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name

    def _translated(self, name: str) -> str:
        if hasattr(self, f"translated_{name}"):  # read by with_translations()
            return getattr(self, f"translated_{name}") or getattr(self, name)
        language = get_language() or ""
        for translation in self.translations.select_related("locale"):
            if translation.locale.language_code == language:
                return getattr(translation, name) or getattr(self, name)
        return getattr(self, name)

    @property
    def local_name(self) -> str:
        """The name in the active language where translated, else the name."""
        return self._translated("name")

    @property
    def local_description(self) -> str:
        """The description in the active language where translated."""
        return self._translated("description")

    def clean(self) -> None:
        """The sender and reply-to are each one plain address (they go in headers)."""
        super().clean()
        errors = {}
        for name in ("from_email", "reply_to"):
            value = getattr(self, name)
            if value and not address_is_plain(value):
                errors[name] = ValidationError(
                    _(
                        "Enter one plain address such as news@example.org: no "
                        "name, quotes, spaces, commas or angle brackets."
                    ),
                    code="plain_address",
                )
        if errors:
            raise ValidationError(errors)

    def carries(self, page) -> bool:
        """Whether an issue of this page type may go to this list."""
        return not self.digest_type or page._meta.label_lower == self.digest_type


class MailingListTranslation(Orderable):
    """A list's name and description in one more language, for its readers."""

    mailing_list = ParentalKey(
        MailingList, on_delete=models.CASCADE, related_name="translations"
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("language"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("locale"), FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("translation of the list")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "locale"],
                name="newsletter_list_translation_one_per_locale",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SubscriberQuerySet(models.QuerySet):
    def receiving(self, mailing_list: MailingList):
        """Confirmed, unsuppressed subscribers with a live subscription to a list."""
        return self.filter(
            status=SubscriberStatus.CONFIRMED,
            subscriptions__mailing_list=mailing_list,
            subscriptions__active=True,
        )


class Subscriber(models.Model):
    """One email address, its language, and whether it may receive mail."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    # The secret behind the links in every email (preferences, unsubscribe).
    # Links carry it signed, never the address or the id.
    key = models.CharField(max_length=64, unique=True, default=_new_key, editable=False)
    # The one confirmation link that may still be used; cleared when used.
    confirmation_nonce = models.CharField(max_length=64, blank=True, editable=False)
    lists = models.ManyToManyField(
        MailingList,
        through="Subscription",
        related_name="subscribers",
        verbose_name=_("lists"),
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        db_table = "briefings_subscriber"
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [
            ("erase_subscriber", _("Can erase a subscriber's data on request"))
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def _active_lists(self) -> list[MailingList]:
        subscriptions = getattr(self, "active_subscriptions", None)
        if subscriptions is None:
            subscriptions = self.subscriptions.filter(active=True).select_related(
                "mailing_list"
            )
        return [subscription.mailing_list for subscription in subscriptions]

    @display(description=_("lists"))
    def list_names(self) -> str:
        return ", ".join(mailing_list.name for mailing_list in self._active_lists())

    @display(description=_("lists"))
    def list_slugs(self) -> str:
        return ";".join(mailing_list.slug for mailing_list in self._active_lists())

    @display(description=_("consent history"))
    def consent_history(self) -> str:
        return "\n".join(
            f"{record.created_at:%Y-%m-%d %H:%M} · {record.get_action_display()}"
            f" · {record.list_names or '—'} · {record.source}"
            for record in self.consents.all()
        )

    @property
    def is_suppressed(self) -> bool:
        return self.status in SUPPRESSED_STATUSES


SUPPRESSED_STATUSES = frozenset(
    {
        SubscriberStatus.UNSUBSCRIBED,
        SubscriberStatus.BOUNCED,
        SubscriberStatus.COMPLAINED,
    }
)


def normalize_email(address: str) -> str:
    """Addresses compare without case and surrounding spaces."""
    return (address or "").strip().lower()


_HASH_SALT = "briefings.newsletter.address"


def _address_hash(address: str, secret) -> str:
    return salted_hmac(
        _HASH_SALT, normalize_email(address), secret=secret, algorithm="sha256"
    ).hexdigest()


def address_hash(address: str) -> str:
    """A keyed hash of an address: it matches the address, and says nothing else.

    Keyed with SECRET_KEY, so that a copy of the database alone cannot test
    guessed addresses against the suppression list.
    """
    return _address_hash(address, settings.SECRET_KEY)


def address_hashes(address: str) -> list[str]:
    """The address's hash under the current key and every fallback key."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_address_hash(address, key) for key in keys]


def address_hash_matches(address: str, value: str) -> bool:
    return any(
        hmac.compare_digest(candidate, value) for candidate in address_hashes(address)
    )


def email_is_valid(address: str) -> bool:
    try:
        validate_email(address)
    except Exception:  # noqa: BLE001 - ValidationError or anything odd in the value
        return False
    return True


# Characters that separate, quote or wrap addresses in a header, and controls.
_ADDRESS_SYNTAX = re.compile(r"[\s,;<>\"()\\\x00-\x1f\x7f]")


def address_is_plain(address: str) -> bool:
    """One bare address: nothing that could add a name, a recipient or a header.

    Django's validator accepts quoted local parts such as
    `"x>,<https://evil.example/u"@example.org`; this does not.
    """
    return (
        bool(address)
        and not _ADDRESS_SYNTAX.search(address)
        and (email_is_valid(address))
    )


class Subscription(models.Model):
    """A subscriber on a list; inactive once they leave that list."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        db_table = "briefings_subscription"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="unique_subscription"
            )
        ]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.mailing_list}"


class ConsentRecord(models.Model):
    """Proof of consent: when, to which lists, through which words.

    It names the address by its hash, so that it can outlive the subscriber
    (kept for NEWSLETTER_CONSENT_RETENTION_DAYS after they leave).
    """

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
    )
    email_hash = models.CharField(
        _("hash of the address"), max_length=64, blank=True, db_index=True
    )
    action = models.CharField(_("action"), max_length=16, choices=ConsentAction.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    list_names = models.TextField(_("lists"), blank=True)
    form_text = models.TextField(_("text the person agreed to"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("The form or the import file that recorded it."),
    )

    class Meta:
        db_table = "briefings_consentrecord"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        who = self.subscriber or self.email_hash[:12]
        return f"{who} · {self.get_action_display()}"


class Suppression(models.Model):
    """An address that may not be mailed again without a new double opt-in.

    Only a keyed hash of the address is kept (see `address_hash`): what is
    left of a person who left or asked to be erased.
    """

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(
        _("reason"), max_length=16, choices=SuppressionReason.choices
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.email_hash[:12]}… · {self.get_reason_display()}"


class Dispatch(models.Model):
    """One issue sent to one list (or a test to one address)."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("issue"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("list"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DispatchStatus.choices,
        default=DispatchStatus.QUEUED,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    # The run that holds the dispatch, and until when: a second worker finds
    # it held and leaves; a worker that died lets its lease run out, and any
    # worker takes the dispatch over then. A live worker renews it (heartbeat).
    runner = models.CharField(max_length=64, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(
        _("last sign of life of its worker"), null=True, blank=True, editable=False
    )
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Why it is paused or stopped, for staff (a bad sender address, a pause…).
    stop_reason = models.TextField(_("why it stopped"), blank=True)

    class Meta:
        db_table = "briefings_dispatch"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        permissions = [("send_digest", _("Can send digests to mailing lists"))]

    def __str__(self) -> str:
        return f"{self.page.title} → {self.mailing_list}"


class Delivery(models.Model):
    """One subscriber's message of a dispatch: recorded before anything is sent."""

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    claim = models.CharField(max_length=64, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("reason of failure"), blank=True)
    # The latest word of the email provider about this message (its webhooks).
    provider_event = models.CharField(
        _("provider's report"),
        max_length=16,
        choices=ProviderEvent.choices,
        blank=True,
    )
    provider_event_at = models.DateTimeField(
        _("reported"), null=True, blank=True, editable=False
    )

    class Meta:
        db_table = "briefings_delivery"
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "subscriber"], name="unique_delivery"
            )
        ]
        indexes = [
            models.Index(fields=["dispatch", "status"]),
            models.Index(fields=["dispatch", "sent_at"], name="delivery_pace"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.dispatch_id} → {self.subscriber_id}: {self.status}"


class DeliveryEvent(models.Model):
    """What the email provider reported about a message (webhooks), kept for staff.

    Deliveries, opens and clicks only update the delivery row; what changes
    whether an address may be mailed (bounces, complaints, unsubscribes,
    refusals) is kept here, on the delivery and the subscriber.
    """

    delivery = models.ForeignKey(
        Delivery,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delivery_events",
    )
    kind = models.CharField(_("event"), max_length=16, choices=ProviderEvent.choices)
    provider = models.CharField(_("provider"), max_length=32)
    # The provider's id of the event: a webhook delivered twice counts once.
    event_id = models.CharField(max_length=128, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"],
                condition=~models.Q(event_id=""),
                name="unique_provider_event",
            )
        ]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")

    def __str__(self) -> str:
        return f"{self.provider} · {self.get_kind_display()}"


class ScheduledSend(models.Model):
    """An issue to send to a list later: at a time, or when the page goes live.

    When it is due it becomes a `Dispatch` through the same checks as a send
    started by hand (`dispatch_create`), or is marked refused with the reason.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        related_name="scheduled_sends",
    )
    # Empty: when the page goes live (Wagtail's scheduled publishing).
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ScheduledSendStatus.choices,
        default=ScheduledSendStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("started or stopped"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("why it was not sent"), blank=True)
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("dispatch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["send_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "mailing_list"],
                condition=models.Q(status=ScheduledSendStatus.PENDING),
                name="one_pending_scheduled_send",
            )
        ]
        indexes = [models.Index(fields=["status", "send_at"])]
        verbose_name = _("scheduled send")
        verbose_name_plural = _("scheduled sends")

    def __str__(self) -> str:
        return f"{self.page_id} → {self.mailing_list_id}: {self.status}"

    @property
    def on_publish(self) -> bool:
        return self.send_at is None


class DispatchLink(models.Model):
    """A link of a dispatched issue and how often it was followed, in total.

    Only the count: nothing says who followed the link (no subscriber, no
    address, no IP address, no browser, no time of each click).
    """

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.CASCADE, related_name="links"
    )
    url = models.CharField(_("link"), max_length=2000)
    position = models.PositiveIntegerField(_("order in the email"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        ordering = ["dispatch", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "url"], name="unique_dispatch_link"
            )
        ]
        verbose_name = _("link of a dispatch")
        verbose_name_plural = _("links of dispatches")

    def __str__(self) -> str:
        return f"{self.dispatch_id} · {self.url}: {self.clicks}"


class DispatchArchive(models.Model):
    """The issue exactly as a dispatch sent it in one language (the links to
    unsubscribe and to the preferences left as placeholders)."""

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.CASCADE, related_name="archives"
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.TextField(_("subject"))
    html = models.TextField(_("HTML"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["dispatch", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "language"], name="unique_dispatch_archive"
            )
        ]
        verbose_name = _("sent issue")
        verbose_name_plural = _("sent issues")

    def __str__(self) -> str:
        return f"{self.dispatch_id} · {self.language}"
