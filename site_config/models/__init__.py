from .pages import HomePage, StandardPage
from .settings import NavigationItem, SiteSettings, SiteSettingsTranslation

__all__ = [
    "HomePage",
    "NavigationItem",
    "SiteSettings",
    "SiteSettingsTranslation",
    "StandardPage",
]
