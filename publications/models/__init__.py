from .pages import PublicationIndexPage, PublicationPage, VoicesSeriesPage
from .partners import VoicesPartner
from .pdf import DocumentPageText, DocumentText
from .relations import (
    PublicationAuthor,
    PublicationDownload,
    PublicationOrganisation,
    RelatedPublication,
)
from .taxonomy import Country, Organisation, Person, Programme, TermQuerySet

__all__ = [
    "Country",
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
    "VoicesPartner",
    "VoicesSeriesPage",
]
