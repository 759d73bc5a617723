"""Settings for the test suite: fast, isolated, nothing leaves the machine."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="site-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Django streams media itself; tests that play production set the location.
MEDIA_ACCEL_REDIRECT_LOCATION = ""
# The test client's host: links built on BASE_URL resolve against it.
BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# The live server used by browser tests serves static files from the apps.
STATIC_ROOT = None

# The feed client refuses non-public addresses; allow the loopback server that
# tests and local demos serve feeds from.
FEEDS_ALLOWED_NETWORKS = ["127.0.0.1/32", "::1/128"]
# The suite runs beside other work on small CI machines: the parser gets the
# old 15 s there, and the 5 s bound of production is tested explicitly.
FEEDS_PARSE_TIMEOUT = 15

# PDFs are not read on save (demo builds stay fast); tests that need it enable it.
PDF_PROCESS_ON_SAVE = False
PDF_THUMBNAILS = False
