"""Settings of the site that tests/site_config/test_public_address.py starts.

The test settings, with the public address and the database from the
environment (as `make run` gives them) and emails written to files the test
reads.
"""

import os

from site_config.settings.env import env_base_url
from site_config.settings.test import *  # noqa: F403

BASE_URL = WAGTAILADMIN_BASE_URL = env_base_url(default=None)
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
