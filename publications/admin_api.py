"""The admin API's document and image endpoints, limited to what the user may use."""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy

from rest_framework.authentication import SessionAuthentication

USE_ACTIONS = ["add", "change", "choose"]


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
                collection__in=document_policy.collections_user_has_any_permission_for(
                    self.request.user, USE_ACTIONS
                )
            )
        )


class CollectionScopedImagesAPIViewSet(ImagesAdminAPIViewSet):
    """Images in collections where the user may add, change or choose them."""

    # The site's API settings authenticate nobody; the admin API uses the session
    # (the admin's URLs already require a signed-in user who may use the admin).
    authentication_classes = [SessionAuthentication]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(
                collection__in=image_policy.collections_user_has_any_permission_for(
                    self.request.user, USE_ACTIONS
                )
            )
        )
