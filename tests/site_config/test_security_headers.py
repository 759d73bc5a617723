"""The security headers every response carries, read as a browser would."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

import pytest

from tests.utils.migrated import sqlite_template_copy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
    "SECRET_KEY": "a-long-secret-used-only-by-these-tests-0123456789-qwerty",
    "ALLOWED_HOSTS": "example.org",
    "BASE_URL": "https://example.org",
}
# Run under production settings: migrate a copy of the suite's migrated template
# (tests/utils/migrated.py; nothing is left to apply), then ask for a
# public page and the admin's sign-in page over HTTPS behind the proxy.
# Static files are not collected here, so only their storage is swapped for one
# that needs no manifest; every other setting is production's.
PRODUCTION_SCRIPT = """
import json
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
call_command("migrate", verbosity=0)
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https")
out = {}
with override_settings(STORAGES=storages):
    for path in ("/en/search/", "/admin/login/"):
        response = client.get(path)
        out[path] = {"status": response.status_code, **dict(response.headers)}
print("HEADERS" + json.dumps(out))
"""


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture(scope="module")
def production_headers(tmp_path_factory) -> dict[str, dict[str, str]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    database = sqlite_template_copy(tmp_path_factory.mktemp("production") / "db")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("HEADERS"))
    return json.loads(line.removeprefix("HEADERS"))


COMMON = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize("path", ["/en/search/", "/admin/login/"])
def test_production_sends_every_security_header(production_headers, path):
    headers = production_headers[path]

    assert headers["status"] == 200
    for name, value in COMMON.items():
        assert headers[name] == value, name
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert "'unsafe-eval'" not in policy["script-src"]
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def test_production_public_policy_allows_no_inline_code(production_headers):
    policy = directives(production_headers["/en/search/"]["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_production_admin_policy_is_the_admin_one(production_headers):
    policy = directives(production_headers["/admin/login/"]["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_public_page_headers_under_test_settings(client, home_page):
    response = client.get(home_page.url)

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_media_on_another_origin_may_be_shown(client, home_page, settings):
    settings.MEDIA_URL = "https://media.example.net/files/"

    response = client.get(home_page.url)

    policy = directives(response["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "https://media.example.net"]


def test_preview_is_framed_by_the_admin_only(client, home_page, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[home_page.pk]))

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]


def test_no_admin_page_sends_staff_hashes_to_gravatar(client, admin_user, home_page):
    admin_user.email = "staff.member@example.org"
    admin_user.save()
    client.force_login(admin_user)

    for name, args in (
        ("wagtailadmin_home", []),
        ("wagtailadmin_account", []),
        ("wagtailusers_users:index", []),
        ("wagtailadmin_pages:edit", [home_page.pk]),
        ("wagtailadmin_reports:site_history", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert "gravatar" not in response.content.decode().lower(), name
