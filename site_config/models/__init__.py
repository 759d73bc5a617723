from .pages import HomePage, StandardPage
from .programmes import ProgrammePage
from .settings import NavigationItem, SiteSettings, SiteSettingsTranslation

__all__ = [
    "HomePage",
    "NavigationItem",
    "ProgrammePage",
    "SiteSettings",
    "SiteSettingsTranslation",
    "StandardPage",
]
