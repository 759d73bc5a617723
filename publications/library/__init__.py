"""The library listing: facets, full-text search, sorting and pages."""

from .facets import library_scope
from .listing import PER_PAGE, LibraryResults, library_search
from .params import (
    MAX_QUERY_LENGTH,
    LibraryParams,
    library_params_clean,
    library_query_clean,
    library_query_terms,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "PER_PAGE",
    "LibraryParams",
    "LibraryResults",
    "library_params_clean",
    "library_query_clean",
    "library_query_terms",
    "library_scope",
    "library_search",
]
