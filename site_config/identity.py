"""The institute as its emails name it, from the site settings editors keep.

Named in the `BRIEFINGS_SITE_IDENTITY` setting, so that the digests' email
renderer reaches the site settings without importing the project.
"""

from briefings.email.identity import SiteIdentity, site_identity_default
from site_config.models import SiteSettings


def site_identity(site) -> SiteIdentity:
    """Name, postal address and contact address of the site's institute."""
    if site is None:
        return site_identity_default(site)
    settings = SiteSettings.for_site(site)
    return SiteIdentity(
        name=settings.organisation_name,
        address_lines=settings.address_lines,
        contact_email=settings.email,
    )
