from .operations import SchedulerHeartbeat
from .pages import HomePage, StandardPage
from .programmes import ProgrammePage
from .settings import NavigationItem, SiteSettings, SiteSettingsTranslation
from .translations import TranslationRecord

__all__ = [
    "HomePage",
    "NavigationItem",
    "ProgrammePage",
    "SchedulerHeartbeat",
    "SiteSettings",
    "SiteSettingsTranslation",
    "StandardPage",
    "TranslationRecord",
]
