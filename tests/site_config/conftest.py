"""The library's fixtures (a taxonomy, an English and a French library), for the
site-wide tests that read publications (the API)."""

from tests.publications.conftest import fr_library, library, taxonomy

__all__ = ["fr_library", "library", "taxonomy"]
