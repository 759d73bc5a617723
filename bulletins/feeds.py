"""RSS 2.0 of the newest Arms Trade Bulletins."""

from briefings.feeds import DigestRssFeed
from bulletins.models import BulletinIndexPage, BulletinPage


class BulletinRssFeed(DigestRssFeed):
    index_model = BulletinIndexPage
    issue_model = BulletinPage
