from .counts import (
    DownloadCount,
    LibraryEntry,
    LibraryFacetCell,
    LibraryFacetCount,
    OaiTombstone,
)
from .pages import PublicationIndexPage, PublicationPage, VoicesSeriesPage
from .partners import VoicesPartner
from .pdf import DocumentPageText, DocumentText
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
    "LibraryEntry",
    "LibraryFacetCell",
    "LibraryFacetCount",
    "OaiTombstone",
    "DocumentPageText",
    "DocumentText",
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
