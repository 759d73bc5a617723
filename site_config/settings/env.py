"""Read configuration from the environment, failing loudly where it must."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_required(name: str, *, hint: str) -> str:
    """Return a required variable, or stop start-up saying what to set."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not set. "
            f"Production settings need it: {hint}"
        )
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """Split a comma-separated variable into a list, ignoring blanks."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def base_url_checked(value: str, *, name: str = "BASE_URL") -> str:
    """`scheme://host[:port]` with no path, query or fragment; no trailing slash.

    The site's one public address: every absolute link (pages, feeds, sitemap,
    citations, emails) is built on it, so a typo must stop start-up, not
    publish dead links.
    """
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError on a port that is not a number
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {value!r}") from error
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or "@" in parts.netloc
    ):
        raise ImproperlyConfigured(
            f"{name} must be scheme://host[:port] (http or https, no path, no "
            f"user), e.g. https://www.example.org, not {value!r}"
        )
    netloc = parts.hostname if port is None else f"{parts.hostname}:{port}"
    if ":" in parts.hostname:  # an IPv6 address keeps its brackets
        netloc = f"[{parts.hostname}]" + (f":{port}" if port is not None else "")
    return f"{parts.scheme}://{netloc}"


def env_base_url(name: str = "BASE_URL", *, default: str | None) -> str:
    """The public address from the environment, checked; required without default."""
    value = os.environ.get(name, "").strip()
    if not value:
        if default is None:
            raise ImproperlyConfigured(
                f"The environment variable {name} is not set. Production settings "
                "need it: the site's public address, e.g. https://www.example.org "
                "(links in pages, feeds, the sitemap and emails are built on it)."
            )
        value = default
    return base_url_checked(value, name=name)
