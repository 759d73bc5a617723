"""The site's one public address: every absolute link is built here.

Pages, feeds, the sitemap, robots.txt, citations and emails all name the site
by `settings.BASE_URL` (`scheme://host[:port]`, checked at start-up), never by
the host a request came in on nor by a Wagtail Site's host name, so that a
link copied from any of them leads to the same place.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from wagtail.models import Page


def base_url() -> str:
    """`https://www.example.org`: the public address, without a trailing slash."""
    return settings.BASE_URL.rstrip("/")


def public_host() -> str:
    """The public address's host name (for Message-IDs, List-Id)."""
    return urlsplit(base_url()).hostname or "localhost"


def public_url(path: str) -> str:
    """A site path (`/en/about/`) as a full URL; an absolute URL is kept as it is.

    Media on object storage already has its own absolute address.
    """
    if path.startswith(("http://", "https://")):
        return path
    if path.startswith("//"):  # protocol-relative: another host, our scheme
        return f"{urlsplit(base_url()).scheme}:{path}"
    return f"{base_url()}/{path.lstrip('/')}"


def page_public_url(page: Page, request: HttpRequest | None = None) -> str | None:
    """The page's full URL on the public address; None if no site routes to it.

    Uses Wagtail's routing for the path (so a request's cached site roots save
    queries) and replaces the Site's host with BASE_URL.
    """
    parts = page.get_url_parts(request=request)
    if parts is None:
        return None
    _site_id, _root_url, path = parts
    return public_url(path)
