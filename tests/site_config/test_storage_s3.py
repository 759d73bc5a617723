"""Uploads in an S3-compatible bucket, served only through the site.

A real S3 server (moto's server mode) listens on a free loopback port; the
site's storage (MEDIA_STORAGE=s3, site_config/settings/storage.py) talks to it
over HTTP with boto3, as it would to Amazon, MinIO or Garage. Documents,
images and renditions are written there, never to MEDIA_ROOT, and read back
through the site's URLs: no answer ever names the bucket's address.
"""

import io
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import Client

import boto3
import pytest
import wagtail_factories
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from PIL import Image

from site_config.settings.storage import media_storage
from tests.publications.factories import PdfDocumentFactory
from tests.publications.partner_setup import voices  # noqa: F401

pytestmark = pytest.mark.django_db

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a free port of 127.0.0.1, for this module's tests."""
    # Its request log (werkzeug's) would fill every failure report.
    request_log = logging.getLogger("werkzeug")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    request_log.setLevel(level)


@pytest.fixture
def bucket(s3_endpoint, settings) -> Iterator[dict]:
    """A fresh private bucket as the site's upload storage."""
    name = f"uploads-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(
            {
                "MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": name,
                "AWS_S3_ENDPOINT_URL": s3_endpoint,
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_LOCATION": "media",
                **CREDENTIALS,
            }
        ),
    }
    yield {"client": client, "name": name, "endpoint": s3_endpoint}


def _keys(bucket) -> set[str]:
    listing = bucket["client"].list_objects_v2(Bucket=bucket["name"])
    return {item["Key"] for item in listing.get("Contents", [])}


def _object(bucket, name: str) -> bytes:
    answer = bucket["client"].get_object(Bucket=bucket["name"], Key=f"media/{name}")
    return answer["Body"].read()


def _assert_no_bucket_address(response, bucket) -> None:
    host = bucket["endpoint"].removeprefix("http://")
    for header, value in response.headers.items():
        assert host not in value, header
        assert bucket["name"] not in value, header


def _body(response) -> bytes:
    return response.getvalue()


def test_uploads_and_renditions_are_written_to_the_bucket_not_the_disk(
    bucket, settings
):
    document = PdfDocumentFactory(title="Artisanal mining in Ituri")
    # A name no other test writes to this worker's local MEDIA_ROOT.
    image = wagtail_factories.ImageFactory(
        title="Bunia market", file__filename=f"bunia-market-{uuid.uuid4().hex}.jpg"
    )

    rendition = image.get_rendition("fill-80x60")

    assert _keys(bucket) == {
        f"media/{document.file.name}",
        f"media/{image.file.name}",
        f"media/{rendition.file.name}",
    }
    for name in (document.file.name, image.file.name, rendition.file.name):
        assert not (Path(settings.MEDIA_ROOT) / name).exists(), name
    # The rendition was drawn from the original read back from the bucket.
    with Image.open(io.BytesIO(_object(bucket, rendition.file.name))) as drawn:
        assert drawn.size == (80, 60)


def test_a_second_upload_of_the_same_name_does_not_overwrite_the_first(bucket):
    first = PdfDocumentFactory(
        title="Notes", file=ContentFile(b"%PDF-1.4 first", name="notes.pdf")
    )
    second = PdfDocumentFactory(
        title="Notes", file=ContentFile(b"%PDF-1.4 second", name="notes.pdf")
    )

    assert first.file.name != second.file.name
    assert _object(bucket, first.file.name) == b"%PDF-1.4 first"


def test_public_images_are_served_through_the_site_from_the_bucket(bucket, settings):
    # Even when a proxy location is set: the proxy has no file to send.
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = "/internal-media/"
    image = wagtail_factories.ImageFactory(title="Bunia market")
    html = Template("{% load wagtailimages_tags %}{% image photo fill-80x60 %}").render(
        Context({"photo": image})
    )
    rendition = image.get_rendition("fill-80x60")

    # The page names the site's URL, never the bucket's.
    assert f'src="/media/{rendition.file.name}"' in html
    assert bucket["endpoint"] not in html
    for name in (rendition.file.name, image.file.name):
        response = Client().get(f"/media/{name}")
        assert response.status_code == 200, name
        assert _body(response) == _object(bucket, name)
        assert response["Content-Type"].startswith("image/")
        assert int(response["Content-Length"]) == len(_object(bucket, name))
        assert "public" in response["Cache-Control"]
        assert "X-Accel-Redirect" not in response
        _assert_no_bucket_address(response, bucket)


def test_a_file_missing_from_the_bucket_is_a_plain_404(bucket):
    image = wagtail_factories.ImageFactory(title="Bunia market")
    key = f"media/{image.file.name}"
    bucket["client"].delete_object(Bucket=bucket["name"], Key=key)

    response = Client().get(f"/media/{image.file.name}")

    assert response.status_code == 404


def test_public_documents_are_streamed_by_the_documents_view(bucket, settings):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = "/internal-media/"
    document = PdfDocumentFactory(title="Artisanal mining in Ituri")

    response = Client().get(f"/documents/{document.pk}/{document.filename}")

    assert response.status_code == 200
    assert _body(response) == _object(bucket, document.file.name)
    assert "X-Accel-Redirect" not in response
    _assert_no_bucket_address(response, bucket)
    # Never by its storage path, on disk or in a bucket.
    assert Client().get(document.file.url).status_code == 404


@pytest.fixture
def private_files(bucket, voices):  # noqa: F811
    """Partner A's private PDF, photo and rendition, stored in the bucket."""
    document = voices.document_a
    image = voices.image_a
    rendition = image.get_rendition("fill-80x60")
    assert f"media/{document.file.name}" in _keys(bucket)
    return {
        "voices": voices,
        "urls": {
            f"/documents/{document.pk}/{document.filename}": document.file.name,
            f"/media/{document.file.name}": document.file.name,
            f"/media/{image.file.name}": image.file.name,
            f"/media/{rendition.file.name}": rendition.file.name,
        },
    }


def test_only_the_partner_gets_its_private_files_and_nobody_the_bucket(
    bucket, private_files
):
    partners = private_files["voices"]
    outsiders = {"anonymous": Client(), "other partner": Client()}
    outsiders["other partner"].force_login(partners.author_b)
    for who, client in outsiders.items():
        for url, name in private_files["urls"].items():
            response = client.get(url)
            # 404 for a media path; Wagtail's document view sends strangers to
            # the site's own sign-in page.
            assert response.status_code in (302, 403, 404), (who, url)
            if response.status_code == 302:
                location = response["Location"]
                assert location.startswith("/") and "/login/?next=" in location
            assert _object(bucket, name) not in _body(response), (who, url)
            _assert_no_bucket_address(response, bucket)

    member = Client()
    member.force_login(partners.author_a)
    for url, name in private_files["urls"].items():
        response = member.get(url)
        if url.startswith("/media/documents/"):
            assert response.status_code == 404  # documents only by their view
            continue
        assert response.status_code == 200, url
        assert _body(response) == _object(bucket, name), url
        assert "private" in response["Cache-Control"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        _assert_no_bucket_address(response, bucket)
