"""What the head of every public page tells search engines and social sites.

A description, the canonical address, OpenGraph and a Twitter card, built from
the page in the context (any page type: the fields are read where they exist)
or, for the views that are no page (search, the newsletter's forms), from what
those views put in the context. Every address is on BASE_URL (theme.address).

A page reached through a link token (the newsletter's confirm, preferences and
unsubscribe pages) or an error page gets no canonical or og:url: they would
echo a secret or a made-up path back to whoever reads the head.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Page

from site_config.chrome import chrome_cached
from site_config.models import SiteSettings
from theme.address import page_public_url, public_url

SOCIAL_IMAGE_SPEC = "fill-1200x630"
DESCRIPTION_LENGTH = 300
# Views that are no Wagtail page but stand at a stable public address of their
# own (no token in it): their canonical is that address, without a query.
CANONICAL_VIEWS = frozenset(
    {"search", "newsletter:subscribe", "newsletter:check_inbox", "newsletter:privacy"}
)
# OpenGraph wants language_TERRITORY; one territory per language of the site.
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR", "sw": "sw_TZ"}


@dataclass(frozen=True)
class SocialImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str | None
    og_type: str = "website"
    image: SocialImage | None = None
    locale: str = ""
    alternate_locales: list[str] = field(default_factory=list)
    published_time: str = ""
    site_name: str = ""


def _one_line(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def page_description(page: Page | None, *, fallback: str) -> str:
    """search_description, else the page's summary, intro or standfirst, else
    the fallback (the site's tagline)."""
    if page is not None:
        for name in ("search_description", "summary", "standfirst", "intro"):
            value = getattr(page, name, "")
            if isinstance(value, str) and value.strip():
                return _one_line(value)
    return _one_line(fallback)


def image_social(image) -> SocialImage | None:
    """The 1200×630 rendition of an image, with its size and text alternative."""
    if image is None:
        return None
    rendition = image.get_rendition(SOCIAL_IMAGE_SPEC)
    return SocialImage(
        url=public_url(rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=image.default_alt_text or image.title,
    )


def site_social_image(site_settings: SiteSettings) -> SocialImage | None:
    """The site's default social image (site settings), cached with the chrome."""
    if not site_settings.social_image_id:
        return None
    value = chrome_cached(
        "social-image",
        site_settings.pk,
        site_settings.social_image_id,
        compute=lambda: image_social(site_settings.social_image) or False,
    )
    return value or None


def _page_image(page: Page | None) -> SocialImage | None:
    if page is None:
        return None
    for name in ("cover_image", "hero_image"):
        if getattr(page, f"{name}_id", None):
            return image_social(getattr(page, name))
    return None


def _published_time(page: Page | None) -> str:
    """The content's own date (publication or issue date), for articles."""
    for name in ("publication_date", "issue_date"):
        value = getattr(page, name, None)
        if isinstance(value, datetime.date):
            return value.isoformat()
    return ""


def _view_canonical(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in CANONICAL_VIEWS:
        return None
    return public_url(reverse(match.view_name))


def _view_title(context) -> str:
    if context.get("heading"):
        return str(context["heading"])
    search = context.get("search")
    if search is not None:
        return _("Search")
    return ""


def _site_settings(request: HttpRequest | None) -> SiteSettings | None:
    if request is None:
        return None
    try:
        return SiteSettings.for_request(request)
    except SiteSettings.DoesNotExist:  # no site answers this host
        return None


def page_meta(*, context, request: HttpRequest) -> PageMeta:
    """Everything `{% page_meta_tags %}` writes, for the page being rendered."""
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    site_settings = _site_settings(request)
    site_name = (
        site_settings.organisation_name if site_settings else ""
    ) or settings.WAGTAIL_SITE_NAME
    tagline = site_settings.tagline if site_settings else ""
    if page is not None:
        # A publication's title with its subtitle, as it is cited.
        title = page.seo_title or getattr(page, "full_title", "") or page.title
        canonical = context.get("canonical_url") or page_public_url(page, request)
    else:
        title = _view_title(context) or site_name
        canonical = _view_canonical(request) if request else None
    # A page's sub-route that shows something else (a person's page in the
    # library) names its own title, description and image.
    title = context.get("meta_title") or title
    description = (
        _one_line(context["meta_description"])
        if context.get("meta_description")
        else page_description(page, fallback=tagline or site_name)
    )
    published = "" if context.get("meta_title") else _published_time(page)
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    image = (
        image_social(context.get("meta_image"))
        if context.get("meta_image")
        else _page_image(page)
    ) or (site_social_image(site_settings) if site_settings else None)
    return PageMeta(
        title=title,
        description=description,
        canonical=canonical,
        og_type=context.get("meta_og_type") or ("article" if published else "website"),
        image=image,
        locale=OG_LOCALES.get(language, language),
        alternate_locales=[
            OG_LOCALES.get(code, code)
            for code, _name in settings.LANGUAGES
            if code != language
        ],
        published_time=published,
        site_name=site_name,
    )
