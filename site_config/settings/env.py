"""Read configuration from the environment, failing loudly where it must."""

import os

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
