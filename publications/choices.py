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


class PublicationType(models.TextChoices):
    """What kind of publication a library item is; a facet of the library."""

    REPORT = "report", _("Report")
    BRIEFING_PAPER = "briefing_paper", _("Briefing paper")
    MAP = "map", _("Map or webmap")
    INSIGHT = "insight", _("Insight (series volume)")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    LEGAL_OPINION = "legal_opinion", _("Legal opinion")
    ARTICLE = "article", _("Article")
    PARTNER_STUDY = "partner_study", _("Partner study")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    """How much of a publication's date is known: citations say no more."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year only")


class OrganisationRole(models.TextChoices):
    """How an organisation took part in a publication."""

    SUPPORTED_BY = "supported_by", _("Supported by")
    IN_COOPERATION_WITH = "in_cooperation_with", _("In cooperation with")
    COMMISSIONED_BY = "commissioned_by", _("Commissioned by")
    PUBLISHED_WITH = "published_with", _("Published with")


class DownloadLanguage(models.TextChoices):
    """The language of one downloadable file of a publication."""

    EN = "en", _("English")
    FR = "fr", _("French")
    SW = "sw", _("Swahili")
    NL = "nl", _("Dutch")
    PT = "pt", _("Portuguese")
    OTHER = "other", _("Other language")


class DocumentTextStatus(models.TextChoices):
    """What reading a PDF's text gave (publications.pdf.sandbox's statuses)."""

    OK = "ok", _("Read")
    NO_TEXT = "no_text", _("No text layer (scanned)")
    ENCRYPTED = "encrypted", _("Encrypted")
    TOO_LARGE = "too_large", _("Too large")
    TIMED_OUT = "timed_out", _("Timed out")
    FAILED = "failed", _("Failed")
    NOT_PDF = "not_pdf", _("Not a PDF")


class Licence(models.TextChoices):
    """The terms a publication may be reused under (publications.licences)."""

    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA = (
        "cc-by-sa-4.0",
        _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"),
    )
    CC_BY_NC = (
        "cc-by-nc-4.0",
        _("Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)"),
    )
    CC_BY_NC_ND = (
        "cc-by-nc-nd-4.0",
        _(
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 "
            "(CC BY-NC-ND 4.0)"
        ),
    )
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
