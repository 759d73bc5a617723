"""Local development and the `make run` demo: safe defaults, nothing to configure."""

import os

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS

DEBUG = True
SECRET_KEY = os.environ.get(  # noqa: S105 (a development-only default)
    "SECRET_KEY", "dev-only-insecure-key-never-use-in-production"
)
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# runserver serves static files from the apps in development; nothing to collect.
STATIC_ROOT = None
