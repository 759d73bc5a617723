"""Settings of the OAI-PMH provider, each with a default that needs nothing set."""

from django.conf import settings

DEFAULT_RIGHTS = (
    "© the authors and the publisher. Free to read and to quote with "
    "acknowledgement of the source; ask the publisher before republishing."
)


def page_size() -> int:
    """Records (or headers) per answer before a resumption token."""
    return max(1, int(getattr(settings, "OAI_PAGE_SIZE", 100)))


def repository_name() -> str:
    return getattr(settings, "OAI_REPOSITORY_NAME", "") or settings.WAGTAIL_SITE_NAME


def admin_email() -> str:
    return getattr(settings, "OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def rights_statement() -> str:
    """The `dc:rights` of a record whose publication has no licence chosen."""
    return getattr(settings, "OAI_RIGHTS", "") or DEFAULT_RIGHTS


def identifier_domain(default: str) -> str:
    """The domain in `oai:<domain>:publications/<id>`; the site's host name
    unless OAI_REPOSITORY_IDENTIFIER fixes it (keep it once harvested)."""
    return getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "") or default
