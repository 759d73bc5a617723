"""Local development and the `make run` demo: safe defaults, nothing to configure."""

import os

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, STORAGES

DEBUG = True
SECRET_KEY = os.environ.get(  # noqa: S105 (a development-only default)
    "SECRET_KEY", "dev-only-insecure-key-never-use-in-production"
)
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]
STORAGES = {
    **STORAGES,  # uploads: local, or MEDIA_STORAGE=s3 to try a bucket
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# runserver serves static files from the apps in development; nothing to collect.
STATIC_ROOT = None

# The feed client refuses non-public addresses; allow the loopback server that
# local demos serve feeds from: the site itself serves the demo feeds.
FEEDS_ALLOWED_NETWORKS = ["127.0.0.1/32", "::1/128"]
NEWS_DEMO_FEEDS_SERVED = True
