"""RSS 2.0 of the newest issues of a digest, in the language of the URL."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils import translation

from wagtail.models import Locale

from briefings.models import BriefingIndexPage, BriefingPage
from theme.address import page_public_url, public_url

FEED_SIZE = 20


class DigestRssFeed(Feed):
    """The newest live issues under the archive of the request's language."""

    index_model = BriefingIndexPage
    issue_model = BriefingPage

    def get_object(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        locale = Locale.objects.filter(language_code=translation.get_language()).first()
        archive = (
            self.index_model.objects.live().filter(locale=locale).first()
            if locale
            else None
        )
        if archive is None:
            raise Http404("This digest has no archive in this language.")
        self.language = locale.language_code
        return archive

    def title(self, archive):
        return archive.title

    def description(self, archive):
        return archive.intro or archive.title

    def link(self, archive):
        return page_public_url(archive, self.request)

    def feed_url(self, archive):
        return public_url(self.request.get_full_path())

    def items(self, archive):
        return list(
            self.issue_model.objects.child_of(archive)
            .live()
            .public()
            .defer_streamfields()
            .select_related("author")
            .order_by("-issue_date", "-pk")[:FEED_SIZE]
        )

    def item_title(self, issue):
        return f"{issue.title}: {issue.focus_title}"

    def item_description(self, issue):
        return issue.standfirst or issue.focus_title

    def item_link(self, issue):
        return page_public_url(issue, self.request)

    def item_guid(self, issue):
        return page_public_url(issue, self.request)

    def item_pubdate(self, issue):
        # The issue's own date, never the moment its page went live; midnight
        # UTC, so the day survives the conversion feed readers make.
        return datetime.datetime.combine(
            issue.issue_date, datetime.time.min, tzinfo=datetime.UTC
        )

    def item_author_name(self, issue):
        return issue.author.name if issue.author else None
