"""MEDIA_STORAGE chooses where uploads live; a half-configured bucket stops start-up."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from site_config.settings.storage import (
    LOCAL_STORAGE,
    media_storage,
    media_storage_is_local,
)
from tests.site_config.test_settings import PRODUCTION_ENV, run_manage

BUCKET_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "institute-uploads",
    "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "key-id",
    "AWS_SECRET_ACCESS_KEY": "secret",
}


@pytest.mark.parametrize(
    "environ", [{}, {"MEDIA_STORAGE": ""}, {"MEDIA_STORAGE": "Local"}]
)
def test_uploads_stay_on_this_disk_by_default(environ):
    storage = media_storage(environ)

    assert storage == LOCAL_STORAGE
    assert media_storage_is_local(storage)


def test_a_bucket_is_private_and_never_overwrites_an_upload():
    storage = media_storage(BUCKET_ENV)

    assert storage["BACKEND"] == "site_config.object_storage.PrivateS3Storage"
    assert not media_storage_is_local(storage)
    assert storage["OPTIONS"] == {
        "bucket_name": "institute-uploads",
        "endpoint_url": "https://objects.example.org",
        "region_name": "eu-west-1",
        "access_key": "key-id",
        "secret_key": "secret",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "max_memory_size": 2 * 1024 * 1024,
    }


def test_a_bucket_without_a_name_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        media_storage({"MEDIA_STORAGE": "s3"})


def test_an_unknown_storage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'local' or 's3', not 'ftp'"):
        media_storage({"MEDIA_STORAGE": "ftp"})


def _production_media(env: dict[str, str]) -> list[str]:
    show = (
        "from django.conf import settings; "
        "print('media:', settings.STORAGES['default']['BACKEND'], "
        "repr(settings.MEDIA_ACCEL_REDIRECT_LOCATION))"
    )
    result = run_manage("shell", "-c", show, env=env)
    lines = [line for line in result.stdout.splitlines() if line.startswith("media:")]
    assert lines, result.stderr
    return lines[0].split()[1:]


def test_production_with_a_bucket_streams_instead_of_asking_the_proxy():
    # (On disk it asks the proxy: tests/site_config/test_media_privacy.py.)
    assert _production_media({**PRODUCTION_ENV, **BUCKET_ENV}) == [
        "site_config.object_storage.PrivateS3Storage",
        "''",
    ]
