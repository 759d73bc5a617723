from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsStatus(models.TextChoices):
    """Where a news item is in the editors' workflow."""

    NEW = "new", _("New")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    USED = "used", _("Used")
    DISMISSED = "dismissed", _("Dismissed")


class FetchOutcome(models.TextChoices):
    """What the last poll of a source came to."""

    CHANGED = "changed", _("New content")
    NOT_MODIFIED = "not_modified", _("Not modified (304)")
    UNCHANGED = "unchanged", _("Same content as last time")
    FAILED = "failed", _("Failed")
