"""The bulk loader lives in the product (`publications.bulk`), shared with
`load_demo_content --scale`; tests import it from here as before."""

from publications.bulk import publications_bulk_create

__all__ = ["publications_bulk_create"]
