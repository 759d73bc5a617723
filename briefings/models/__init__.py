from .news import NewsItem, NewsSource
from .pages import BriefingIndexPage, BriefingPage, DigestIndexPage, DigestPage

__all__ = [
    "BriefingIndexPage",
    "BriefingPage",
    "DigestIndexPage",
    "DigestPage",
    "NewsItem",
    "NewsSource",
]
