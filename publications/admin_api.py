"""The admin API's document and image endpoints, limited to what the user may use."""

from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

from rest_framework.authentication import SessionAuthentication

USE_ACTIONS = ["add", "change", "choose"]


def _usable_collections(model, user):
    policy = policy_registry.get_by_type(model)
    return policy.collections_user_has_any_permission_for(user, USE_ACTIONS)


class CollectionScopedDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """Documents in collections where the user may add, change or choose them."""

    # The site's API settings authenticate nobody; the admin API uses the session
    # (the admin's URLs already require a signed-in user who may use the admin).
    authentication_classes = [SessionAuthentication]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(
                collection__in=_usable_collections(
                    get_document_model(), self.request.user
                )
            )
        )


class CollectionScopedImagesAPIViewSet(ImagesAdminAPIViewSet):
    """Images in collections where the user may add, change or choose them."""

    authentication_classes = [SessionAuthentication]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(
                collection__in=_usable_collections(get_image_model(), self.request.user)
            )
        )
