"""Helpers for the apps' admin screens."""

import re

from django.http.response import HttpResponseRedirectBase
from django.urls import re_path


class HttpResponsePermanentRedirectKeepingMethod(HttpResponseRedirectBase):
    """308: moved for good, and a POST stays a POST (unlike 301)."""

    status_code = 308


def _moved(request, rest: str, *, old: str, new: str):
    mount = request.path[: len(request.path) - len(old) - len(rest)]
    target = f"{mount}{new}{rest}"
    if query := request.META.get("QUERY_STRING"):
        target = f"{target}?{query}"
    return HttpResponsePermanentRedirectKeepingMethod(target)


def legacy_redirects(moves: dict[str, str]) -> list:
    """Admin URL patterns that send old paths (and all below them) where they moved.

    `moves` maps an old path prefix to its new one, both relative to the admin.
    """
    return [
        re_path(
            rf"^{re.escape(old)}(?P<rest>.*)$",
            _moved,
            {"old": old, "new": new},
            name=f"legacy_{new.strip('/').replace('/', '_')}",
        )
        for old, new in moves.items()
    ]
