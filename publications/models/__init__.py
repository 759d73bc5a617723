from .counts import DownloadCount, OaiTombstone
from .pages import PublicationIndexPage, PublicationPage, VoicesSeriesPage
from .partners import VoicesPartner
from .relations import (
    PublicationAuthor,
    PublicationDownload,
    PublicationOrganisation,
    RelatedPublication,
)
from .taxonomy import (
    Country,
    Organisation,
    Person,
    Programme,
    TermQuerySet,
    name_in_locale,
)

__all__ = [
    "Country",
    "DownloadCount",
    "OaiTombstone",
    "Organisation",
    "Person",
    "Programme",
    "PublicationAuthor",
    "PublicationDownload",
    "PublicationIndexPage",
    "PublicationOrganisation",
    "PublicationPage",
    "RelatedPublication",
    "TermQuerySet",
    "name_in_locale",
    "VoicesPartner",
    "VoicesSeriesPage",
]
