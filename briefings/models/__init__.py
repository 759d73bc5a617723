from .mailing import (
    ConsentRecord,
    Delivery,
    Dispatch,
    MailingList,
    Subscriber,
    Subscription,
)
from .news import NewsItem, NewsSource
from .pages import BriefingIndexPage, BriefingPage, DigestIndexPage, DigestPage

__all__ = [
    "BriefingIndexPage",
    "BriefingPage",
    "ConsentRecord",
    "Delivery",
    "DigestIndexPage",
    "DigestPage",
    "Dispatch",
    "MailingList",
    "NewsItem",
    "NewsSource",
    "Subscriber",
    "Subscription",
]
