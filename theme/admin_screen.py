"""A base for the project's own admin screens."""

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AdminScreenMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin template mixin with the screen's title in the header.

    Without it the header shows only the first breadcrumb, "Home".
    """

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title()},
        ]
