"""The read-only Wagtail API v2: published public pages, images and documents.

A page type tells what its `api_fields` list (publications/api.py,
briefings/api.py); a type that must fetch related rows for them has an
`api_prepare(pages)` classmethod, called once for each batch of pages the API
serialises (a listing's page of results, or one page in detail), so the
number of queries does not grow with the number of pages.
"""

from collections import defaultdict

from django.db.models import Q

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Collection, CollectionViewRestriction

from theme.address import page_public_url

# Only reads: anything else is 405, OPTIONS included (no CORS preflight needed).
READ_ONLY_METHODS = ["get", "head"]


def pages_prepared(pages: list) -> list:
    """The pages, each type's `api_prepare` having fetched what its fields need."""
    by_type = defaultdict(list)
    for page in pages:
        by_type[type(page)].append(page)
    for model, batch in by_type.items():
        prepare = getattr(model, "api_prepare", None)
        if prepare is not None:
            prepare(batch)
    return pages


class PublicHtmlUrlField(PageHtmlUrlField):
    """The page's address on the site's public address, as every other link."""

    def to_representation(self, page):
        return page_public_url(page, self.context.get("request"))


class PublicPageSerializer(PageSerializer):
    html_url = PublicHtmlUrlField(read_only=True)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Live pages outside every view restriction, whoever asks.

    Wagtail's own view already hides drafts and, for an anonymous request,
    private pages; `.public()` also hides them from a signed-in editor or a
    reader who has entered a page password, so the API is one public tier.
    """

    http_method_names = READ_ONLY_METHODS
    base_serializer_class = PublicPageSerializer

    def get_base_queryset(self):
        # Asked for several times a request; build it once. The locale comes
        # along so listing N pages does not cost N more queries.
        if not hasattr(self, "_public_pages"):
            self._public_pages = (
                super().get_base_queryset().public().select_related("locale")
            )
        return self._public_pages

    def get_queryset(self):
        # With ?type=, Wagtail lists that model's rows (whose api_fields can then
        # be asked for): they need their locale too.
        return super().get_queryset().select_related("locale")

    def paginate_queryset(self, queryset):
        return pages_prepared(list(super().paginate_queryset(queryset)))

    def get_object(self):
        if not hasattr(self, "_prepared_object"):
            self._prepared_object = pages_prepared([super().get_object()])[0]
        return self._prepared_object


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
