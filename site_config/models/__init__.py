from .operations import SchedulerHeartbeat
from .pages import HomePage, StandardPage
from .settings import NavigationItem, SiteSettings
from .translations import TranslationRecord

__all__ = [
    "HomePage",
    "NavigationItem",
    "SchedulerHeartbeat",
    "SiteSettings",
    "StandardPage",
    "TranslationRecord",
]
