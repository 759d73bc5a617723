"""Production: secrets come from the environment; start-up stops without them."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES
from .env import env_base_url, env_bool, env_list, env_required
from .logs import logging_config
from .queue import task_queue
from .storage import media_storage_is_local

DEBUG = False

SECRET_KEY = env_required("SECRET_KEY", hint="a long random string, kept secret.")
# Old keys after a rotation: links already emailed (unsubscribe, preferences)
# and the subscribers' suppression hashes keep working with them.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
env_required("ALLOWED_HOSTS", hint="the site's host names, comma-separated.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
env_required(
    "DATABASE_URL",
    hint="e.g. postgres://user:password@host:5432/dbname (SQLite is for demos).",
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# No default: links mailed or indexed with a wrong address cannot be recalled.
BASE_URL = env_base_url(default=None)
WAGTAILADMIN_BASE_URL = BASE_URL

# The task queue: the database (`db_worker`), or Redis with RQ across machines
# (`TASKS_BACKEND=rq` and `REDIS_URL`; see site_config/settings/queue.py).
_queue = task_queue(
    os.environ.get("TASKS_BACKEND", "database"),
    redis_url=os.environ.get("REDIS_URL", ""),
)
TASKS, RQ_QUEUES = _queue["TASKS"], _queue["RQ_QUEUES"]
INSTALLED_APPS = [*INSTALLED_APPS, *_queue["APPS"]]

# The proxy sends allowed media files (deploy/nginx.conf); set it to an empty
# string only when no proxy understands X-Accel-Redirect. Uploads in a bucket
# (MEDIA_STORAGE=s3) are streamed by Django: the proxy has no file to send.
MEDIA_ACCEL_REDIRECT_LOCATION = os.environ.get(
    "MEDIA_ACCEL_REDIRECT_LOCATION",
    "/internal-media/" if media_storage_is_local(STORAGES["default"]) else "",
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# SMTP, or a provider through django-anymail (see "Sending" in base.py).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)

# One JSON object per line on stderr, for the log collector (LOG_FORMAT=text
# for a terminal); INFO and above, so each dispatch and feed poll is recorded.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"), root_level="INFO")
