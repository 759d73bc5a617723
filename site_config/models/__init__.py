from .operations import SchedulerHeartbeat
from .pages import HomePage, StandardPage
from .settings import NavigationItem, SiteSettings

__all__ = [
    "HomePage",
    "NavigationItem",
    "SchedulerHeartbeat",
    "SiteSettings",
    "StandardPage",
]
