"""The institute as its emails name it, from the site settings editors keep.

Named in the `BRIEFINGS_SITE_IDENTITY` setting, so that the digests' email
renderer reaches the site settings without importing the project.
"""

from briefings.email.identity import EmailLogo, SiteIdentity, site_identity_default
from site_config.models import SiteSettings

# Drawn at half these sizes (at most 240 × 48 CSS pixels): sharp on 2× screens.
LOGO_RENDITION = "max-480x96|format-png"


def site_identity(site) -> SiteIdentity:
    """Name, postal address and contact address of the site's institute."""
    if site is None:
        return site_identity_default(site)
    settings = SiteSettings.for_site(site)
    return SiteIdentity(
        name=settings.organisation_name,
        address_lines=settings.address_lines,
        contact_email=settings.email,
        logo=_email_logo(settings.logo),
    )


def _email_logo(image) -> EmailLogo | None:
    if image is None:
        return None
    rendition = image.get_rendition(LOGO_RENDITION)
    return EmailLogo(
        url=rendition.url,
        width=max(1, rendition.width // 2),
        height=max(1, rendition.height // 2),
    )
