import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from briefings.feeds import DigestRssFeed
from briefings.news.views import demo_feed_view
from briefings.newsletter.webhooks import webhook_urlpatterns
from bulletins.feeds import BulletinRssFeed
from publications.admin_guards import admin_urlpatterns_guarded
from publications.oai.views import oai_endpoint
from site_config import media, views
from site_config.api import api_router
from site_config.sitemaps import MultilingualSitemap

handler404 = "site_config.views.page_not_found"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Partner authors meet a gate before each admin view (publications.admin_guards).
    path("admin/", include(admin_urlpatterns_guarded(wagtailadmin_urls.urlpatterns))),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": MultilingualSitemap}},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # OAI-PMH 2.0 for research aggregators (publications/oai/).
    path("oai/", oai_endpoint, name="oai"),
    # The demo's news feeds, served only when NEWS_DEMO_FEEDS_SERVED (dev).
    path("demo-feeds/<str:name>", demo_feed_view, name="news_demo_feed"),
    # The email provider's webhooks (django-anymail), outside /<lang>/, refused
    # while no ANYMAIL_WEBHOOK_SECRET is set: bounces, complaints and unsubscribes
    # feed suppression (briefings/newsletter/webhooks.py).
    path("anymail/", include(webhook_urlpatterns())),
    # Uploads, whatever DEBUG says: images only when their collection lets the
    # request see them; documents only through /documents/ (site_config/media.py).
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)\Z",
        media.serve_media,
        name="media",
    ),
]

# Wagtail's page URLs, except that no page lives under <lang>/api/ or
# <lang>/media/. Otherwise LocaleMiddleware turns every API or media 404 (a
# draft's id, a refused file) into a redirect to /en/api/... or /en/media/...,
# because Wagtail's catch-all makes that path look valid.
wagtail_page_urls = [
    *(p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"),
    re_path(
        wagtail_urls.serve_pattern.replace("^", r"^(?!api/|media/)", 1),
        wagtail_views.serve,
        name="wagtail_serve",
    ),
]

urlpatterns += i18n_patterns(
    # Before Wagtail's catch-all, which would otherwise look for a page "search".
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("newsletter/", include("briefings.newsletter.urls")),
    path("briefings/feed/", DigestRssFeed(), name="briefings_feed"),
    path("bulletins/feed/", BulletinRssFeed(), name="bulletins_feed"),
    path("", include(wagtail_page_urls)),
    prefix_default_language=True,
)
