"""RSS 2.0 and Atom feeds of a library's newest publications."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from publications.models import (
    Programme,
    PublicationAuthor,
    PublicationIndexPage,
    PublicationPage,
)
from theme.address import page_public_url, public_url

FEED_SIZE = 20


def library_feed_items(
    *, library: PublicationIndexPage, programme: Programme | None = None
) -> list[PublicationPage]:
    """The newest live publications under the library, of one programme if given."""
    publications = PublicationPage.objects.live().public().descendant_of(library)
    if programme is not None:
        through = PublicationPage.programmes.through
        publications = publications.filter(
            pk__in=through.objects.filter(programme__slug=programme.slug).values(
                "publicationpage_id"
            )
        )
    return list(
        publications.defer_streamfields()
        .select_related("locale")
        .prefetch_related(
            "programmes",
            Prefetch(
                "authors", queryset=PublicationAuthor.objects.select_related("person")
            ),
        )
        .order_by("-publication_date", "-pk")[:FEED_SIZE]
    )


def _programme_for(library: PublicationIndexPage, slug: str) -> Programme:
    """The programme of this slug, in the library's language where translated."""
    programmes = list(Programme.objects.filter(slug=slug[:255]))
    if not programmes:
        raise Http404("No programme with this slug.")
    for programme in programmes:
        if programme.locale_id == library.locale_id:
            return programme
    return programmes[0]


class LibraryRssFeed(Feed):
    """RSS 2.0: `?programme=<slug>` narrows it to one programme."""

    def __init__(self, *, library: PublicationIndexPage):
        super().__init__()
        self.library = library
        self.language = library.locale.language_code

    def get_object(self, request: HttpRequest, *args, **kwargs):
        slug = request.GET.get("programme", "").strip()
        programme = _programme_for(self.library, slug) if slug else None
        self.request = request
        return programme

    def title(self, programme):
        if programme is None:
            return self.library.title
        return f"{self.library.title}: {programme.name}"

    def link(self, programme):
        return page_public_url(self.library, self.request)

    def feed_url(self, programme):
        return public_url(self.request.get_full_path())

    def description(self, programme):
        if programme is not None:
            return programme.summary
        return self.library.intro or _("The newest publications.")

    def items(self, programme):
        return library_feed_items(library=self.library, programme=programme)

    def item_title(self, item: PublicationPage):
        return item.full_title

    def item_description(self, item: PublicationPage):
        return item.summary

    def item_link(self, item: PublicationPage):
        return page_public_url(item, self.request)

    def item_guid(self, item: PublicationPage):
        return page_public_url(item, self.request)

    def item_pubdate(self, item: PublicationPage):
        # Midnight UTC, so the date survives the conversion to UTC that feed
        # readers make.
        return datetime.datetime.combine(
            item.publication_date, datetime.time.min, tzinfo=datetime.UTC
        )

    def item_updateddate(self, item: PublicationPage):
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item: PublicationPage):
        return item.author_line() or None

    def item_categories(self, item: PublicationPage):
        return [programme.name for programme in item.programmes.all()]


class LibraryAtomFeed(LibraryRssFeed):
    """Atom 1.0 of the same items."""

    feed_type = Atom1Feed

    def subtitle(self, programme):
        return self.description(programme)
