"""The admin API's document and image endpoints, limited to what the user may use."""

from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

from rest_framework.authentication import SessionAuthentication

USE_ACTIONS = ["add", "change", "choose"]


class CollectionScopedMixin:
    """Only objects in collections where the user may add, change or choose them."""

    # The site's API settings authenticate nobody; the admin API uses the session
    # (the admin's URLs already require a signed-in user who may use the admin).
    authentication_classes = [SessionAuthentication]

    def scoped_model(self):
        raise NotImplementedError

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.scoped_model())
        usable = policy.collections_user_has_any_permission_for(
            self.request.user, USE_ACTIONS
        )
        return super().get_queryset().filter(collection__in=usable)


class CollectionScopedDocumentsAPIViewSet(
    CollectionScopedMixin, DocumentsAdminAPIViewSet
):
    def scoped_model(self):
        return get_document_model()


class CollectionScopedImagesAPIViewSet(CollectionScopedMixin, ImagesAdminAPIViewSet):
    def scoped_model(self):
        return get_image_model()
