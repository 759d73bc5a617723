"""The demo feeds, served by the running site itself in development.

Only when `NEWS_DEMO_FEEDS_SERVED` is true (development settings): the demo's
news sources point here, so "Fetch now" fetches them through the same guarded
client as any feed (development settings allow it loopback addresses).
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from briefings.news.demo import DEMO_FEEDS_DIR, DEMO_SOURCES

CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
}


@require_GET
def demo_feed_view(request, name: str):
    """One demo feed file, by the name a demo source gives (nothing else)."""
    if not getattr(settings, "NEWS_DEMO_FEEDS_SERVED", False):
        raise Http404
    if name not in {spec.file for spec in DEMO_SOURCES}:
        raise Http404
    path = DEMO_FEEDS_DIR / name
    return HttpResponse(path.read_bytes(), content_type=CONTENT_TYPES[path.suffix])
