"""Who sends a digest's email, as its footer names them.

The digests do not know the project that runs them: the project names a
provider in the `BRIEFINGS_SITE_IDENTITY` setting (a dotted path to a function
of a Wagtail `Site`, or None, that returns a `SiteIdentity`).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class EmailLogo:
    """A raster logo for the masthead, drawn at `width` × `height` CSS pixels.

    The image behind `url` should hold twice as many pixels each way, so that
    it stays sharp on 2× screens. `url` may be root-relative: the renderer
    makes it absolute.
    """

    url: str
    width: int
    height: int


@dataclass(frozen=True)
class SiteIdentity:
    name: str
    address_lines: list[str] = field(default_factory=list)
    contact_email: str = ""
    logo: EmailLogo | None = None


def site_identity_default(site) -> SiteIdentity:
    """The site's name from the settings, with no address."""
    return SiteIdentity(name=getattr(settings, "WAGTAIL_SITE_NAME", ""))


def site_identity(site) -> SiteIdentity:
    """The identity the provider named in the settings gives for this site."""
    path = getattr(
        settings,
        "BRIEFINGS_SITE_IDENTITY",
        "briefings.email.identity.site_identity_default",
    )
    return import_string(path)(site)
