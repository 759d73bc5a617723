from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriberStatus(models.TextChoices):
    """Whether a subscriber may receive bulk email at all."""

    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced (hard)")
    COMPLAINED = "complained", _("Complained (spam report)")


class ConsentAction(models.TextChoices):
    """What a consent record records."""

    REQUESTED = "requested", _("Asked to subscribe")
    CONFIRMED = "confirmed", _("Confirmed by email")
    PREFERENCES = "preferences", _("Changed preferences")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    IMPORTED = "imported", _("Imported with consent")
    ADDRESS_CHANGED = "address", _("Address changed by staff: to be confirmed")
    ERASED = "erased", _("Data erased")
    BOUNCED = "bounced", _("Suppressed: the address bounced")
    COMPLAINED = "complained", _("Suppressed: reported as spam")


class SuppressionReason(models.TextChoices):
    """Why an address may not be mailed again without a new double opt-in."""

    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced (hard)")
    COMPLAINED = "complained", _("Complained (spam report)")
    ERASED = "erased", _("Erased on request")


class DispatchStatus(models.TextChoices):
    """Where a dispatch of one issue to one list is."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Sent")
    DONE_WITH_FAILURES = "failures", _("Sent, with failures")


class DeliveryStatus(models.TextChoices):
    """The fate of one message to one subscriber."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The worker stopped between handing the message over and recording the
    # answer: it may or may not have left. Never sent again without staff.
    UNCERTAIN = "uncertain", _("In doubt (the worker stopped while sending)")
    SKIPPED = "skipped", _("Skipped (left before sending)")
    CANCELLED = "cancelled", _("Not sent (dispatch cancelled)")
    NOT_SENT = "not_sent", _("Not sent (staff decision)")


class ProviderEvent(models.TextChoices):
    """What the email provider reported about one message (its webhooks)."""

    DELIVERED = "delivered", _("Delivered")
    DEFERRED = "deferred", _("Delayed (the provider retries)")
    SOFT_BOUNCE = "soft_bounce", _("Bounced (soft)")
    BOUNCED = "bounced", _("Bounced (hard)")
    COMPLAINED = "complained", _("Reported as spam")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed at the provider")
    REJECTED = "rejected", _("Refused by the provider")
    FAILED = "failed", _("Failed at the provider")
    OTHER = "other", _("Other")


class ScheduledSendStatus(models.TextChoices):
    """Where a send planned for later is."""

    PENDING = "pending", _("Waiting")
    STARTED = "started", _("Started")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Not sent (refused when due)")


class SendWhen(models.TextChoices):
    """When staff want an issue sent."""

    NOW = "now", _("Now")
    AT = "at", _("At a date and time")
    ON_PUBLISH = "publish", _("When the page goes live")
