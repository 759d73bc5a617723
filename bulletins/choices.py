from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinRegion(models.TextChoices):
    """How the Arms Trade Bulletin sorts its articles, in this order."""

    AFRICA = "africa", _("Africa")
    MIDDLE_EAST = "middle_east", _("Middle East")
    EUROPE = "europe", _("Europe")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    GLOBAL = "global", _("Global")
