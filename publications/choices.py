from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """Where a country sits, as the institute groups its work."""

    CENTRAL_AFRICA = "central_africa", _("Central Africa")
    EAST_AFRICA = "east_africa", _("East Africa")
    GREAT_LAKES = "great_lakes", _("Great Lakes")
    WEST_AFRICA = "west_africa", _("West Africa")
    SOUTHERN_AFRICA = "southern_africa", _("Southern Africa")
    HORN_OF_AFRICA = "horn_of_africa", _("Horn of Africa")
    NORTH_AFRICA = "north_africa", _("North Africa")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST = "middle_east", _("Middle East")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    GLOBAL = "global", _("Global")


class OrganisationKind(models.TextChoices):
    """How an organisation works with the institute."""

    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    BOTH = "both", _("Partner and funder")
    OTHER = "other", _("Other")


class PersonGroup(models.TextChoices):
    """The group a person is listed under on the team page."""

    BOARD = "board", _("Board")
    STAFF = "staff", _("Staff")
    RESEARCHER = "researcher", _("Researcher")
    ASSOCIATE = "associate", _("Associate")
    EXTERNAL = "external", _("External")
