"""The read-only Wagtail API v2: published public pages, images and documents."""

from django.db.models import Q

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Collection, CollectionViewRestriction

# Only reads: anything else is 405, OPTIONS included (no CORS preflight needed).
READ_ONLY_METHODS = ["get", "head"]


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Live pages outside every view restriction, whoever asks.

    Wagtail's own view already hides drafts and, for an anonymous request,
    private pages; `.public()` also hides them from a signed-in editor or a
    reader who has entered a page password, so the API is one public tier.
    """

    http_method_names = READ_ONLY_METHODS

    def get_base_queryset(self):
        # Asked for several times a request; build it once. The locale comes
        # along so listing N pages does not cost N more queries.
        if not hasattr(self, "_public_pages"):
            self._public_pages = (
                super().get_base_queryset().public().select_related("locale")
            )
        return self._public_pages


def restricted_collection_ids() -> set[int]:
    """Every collection under a view restriction, whatever the request."""
    paths = Collection.objects.filter(
        pk__in=CollectionViewRestriction.objects.values("collection_id")
    ).values_list("path", flat=True)
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    if not within:
        return set()
    return set(Collection.objects.filter(within).values_list("pk", flat=True))


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """Images outside restricted collections."""

    http_method_names = READ_ONLY_METHODS

    def get_queryset(self):
        return (
            super().get_queryset().exclude(collection__in=restricted_collection_ids())
        )


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Documents outside restricted collections."""

    http_method_names = READ_ONLY_METHODS

    def get_queryset(self):
        return (
            super().get_queryset().exclude(collection__in=restricted_collection_ids())
        )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
