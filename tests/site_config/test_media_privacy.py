"""A partner's private files are never served to anyone outside the partner.

Attacker's side: an anonymous visitor and a partner of another organisation
ask for partner A's private PDF and photo (and one of its renditions) under
every URL that could serve it: Wagtail's document view, the file's path under
/media/, the rendition's path, the public API. Only A's authors (and the
reviewers) get the bytes; `/media/documents/` serves nobody. The same holds
with DEBUG on (the URLconf imported as `make run` imports it) and under
production settings, where Django hands allowed files to the proxy with
X-Accel-Redirect and sends no body.
"""

import importlib
from pathlib import Path

from django.conf import settings as django_settings
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

import pytest

from publications.partners import library_collection
from tests.publications.partner_setup import voices_shared  # noqa: F401
from tests.site_config.test_settings import PRODUCTION_ENV, ROOT, run_manage

pytestmark = pytest.mark.django_db

ACCEL = "/internal-media/"


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    """DEBUG off, or on with site_config.urls imported under it, as `make run` does."""
    import site_config.urls

    settings.DEBUG = request.param
    if request.param:
        importlib.reload(site_config.urls)
        clear_url_caches()
    yield request.param
    if request.param:
        settings.DEBUG = False
        importlib.reload(site_config.urls)
        clear_url_caches()


@pytest.fixture
def files(voices_shared):  # noqa: F811
    """A's private PDF, photo and a rendition of it, with their URL forms."""
    document = voices_shared.document_a
    image = voices_shared.image_a
    rendition = image.get_rendition("fill-80x60")
    return {
        "voices": voices_shared,
        "document": document,
        "image": image,
        "rendition": rendition,
        "serve": f"/documents/{document.pk}/{document.filename}",
        "media_document": f"/media/{document.file.name}",
        "original": f"/media/{image.file.name}",
        "rendition_url": f"/media/{rendition.file.name}",
    }


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _body(response) -> bytes:
    return response.getvalue()


def _bytes(field) -> bytes:
    return Path(field.path).read_bytes()


def _outsiders(files):
    return {"anonymous": _client(), "other partner": _client(files["voices"].author_b)}


def _assert_refused(response, secret: bytes):
    # 404 for a path; Wagtail's document view sends strangers to the login.
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert "/login/?next=" in response["Location"]
    assert "X-Accel-Redirect" not in response
    assert secret not in _body(response)


@pytest.mark.parametrize("accel", [False, True], ids=["streamed", "x-accel"])
def test_outsiders_get_no_private_file_under_any_url(files, debug, settings, accel):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = ACCEL if accel else ""
    secrets = {
        "serve": _bytes(files["document"].file),
        "media_document": _bytes(files["document"].file),
        "original": _bytes(files["image"].file),
        "rendition_url": _bytes(files["rendition"].file),
    }
    for who, client in _outsiders(files).items():
        for form, secret in secrets.items():
            response = client.get(files[form])
            _assert_refused(response, secret)
            if form != "serve":
                assert response.status_code == 404, (who, form)


def test_member_gets_the_files_streamed(files, debug):
    member = _client(files["voices"].author_a)
    for form, field in (
        ("serve", files["document"].file),
        ("original", files["image"].file),
        ("rendition_url", files["rendition"].file),
    ):
        response = member.get(files[form])
        assert response.status_code == 200, form
        assert _body(response) == _bytes(field), form
        assert "private" in response["Cache-Control"], form
        assert response["X-Content-Type-Options"] == "nosniff"
    # Reviewers see partners' drafts, and their files.
    editor = _client(files["voices"].editor)
    assert editor.get(files["original"]).status_code == 200


def test_nobody_gets_a_document_by_its_media_path(files, debug, settings):
    secret = _bytes(files["document"].file)
    for accel in ("", ACCEL):
        settings.MEDIA_ACCEL_REDIRECT_LOCATION = accel
        for user in (files["voices"].author_a, files["voices"].editor):
            response = _client(user).get(files["media_document"])
            assert response.status_code == 404
            assert secret not in _body(response)
            assert "X-Accel-Redirect" not in response
    files["document"].collection = library_collection()
    files["document"].save()
    assert _client().get(files["media_document"]).status_code == 404


def test_production_hands_allowed_files_to_the_proxy_without_a_body(files, settings):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = ACCEL
    member = _client(files["voices"].author_a)

    response = member.get(files["serve"])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == ACCEL + files["document"].file.name
    assert response["Content-Type"] == "application/pdf"
    assert files["document"].filename in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert response.get("Content-Length", "0") == "0"
    assert response.get("Content-Encoding") is None
    assert _body(response) == b""

    for form, field in (("original", "image"), ("rendition_url", "rendition")):
        response = member.get(files[form])
        assert response.status_code == 200, form
        assert response["X-Accel-Redirect"] == ACCEL + files[field].file.name
        assert response["Content-Type"].startswith("image/"), form
        assert "private" in response["Cache-Control"]
        assert _body(response) == b""


def test_published_files_are_served_to_anyone(files, debug, settings):
    library = library_collection()
    for key in ("document", "image"):
        files[key].collection = library
        files[key].save()
    visitor = _client()
    for form, field in (
        ("serve", files["document"].file),
        ("original", files["image"].file),
        ("rendition_url", files["rendition"].file),
    ):
        response = visitor.get(files[form])
        assert response.status_code == 200, form
        assert _body(response) == _bytes(field), form
    assert "public" in visitor.get(files["original"])["Cache-Control"]

    settings.MEDIA_ACCEL_REDIRECT_LOCATION = ACCEL
    response = visitor.get(files["rendition_url"])
    assert response["X-Accel-Redirect"] == ACCEL + files["rendition"].file.name


def test_a_restriction_on_an_ancestor_collection_counts(files):
    """A sub-collection of a partner's private one is private too."""
    child = files["voices"].apde.collection.add_child(name="Field photos")
    files["image"].collection = child
    files["image"].save()
    other = _client(files["voices"].author_b)
    assert _client().get(files["original"]).status_code == 404
    assert other.get(files["rendition_url"]).status_code == 404
    assert _client(files["voices"].author_a).get(files["original"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/../site_config/settings/base.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/original_images/%2e%2e/documents/{document}",
        "/media/original_images/..%2fdocuments%2f{document}",
        "/media/images/../documents/{document}",
        "/media//etc/passwd",
        "/media/%2fetc%2fpasswd",
        "/media/./documents/{document}",
        "/media/original_images/.%2e/documents/{document}",
        "/media/original_images\\..\\documents\\{document}",
        "/media/original_images/%00{document}",
        "/media/documents/{document}",
        "/media/",
        "/media/original_images/",
        "/media/unknown/file.jpg",
    ],
)
def test_path_tricks_find_nothing(files, debug, settings, path):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = ""
    document = Path(files["document"].file.name).name
    library = library_collection()
    files["document"].collection = library  # even a public one: never by path
    files["document"].save()
    response = _client(files["voices"].author_a).get(path.format(document=document))
    assert response.status_code == 404
    assert _bytes(files["document"].file) not in _body(response)


def test_only_safe_methods(files):
    member = _client(files["voices"].author_a)
    assert member.post(files["original"]).status_code == 405
    assert member.head(files["original"]).status_code == 200


def test_the_media_route_does_not_depend_on_debug(debug):
    """One route serves /media/ in every setting; Django's static() is gone."""
    import site_config.urls

    media_routes = [
        p for p in site_config.urls.urlpatterns if "media" in str(p.pattern)
    ]
    assert [p.name for p in media_routes] == ["media"]


def test_wagtail_has_no_image_serving_route():
    # Wagtail's signed-URL image view would serve any image to anyone.
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=["sig", 1, "original"])


def test_the_public_api_shows_no_private_file(files):
    visitor, other = _client(), _client(files["voices"].author_b)
    for client in (visitor, other):
        for kind, obj in (("images", files["image"]), ("documents", files["document"])):
            detail = client.get(f"/api/v2/{kind}/{obj.pk}/")
            assert detail.status_code == 404
            listing = client.get(f"/api/v2/{kind}/", {"limit": 50})
            assert listing.status_code == 200
            assert obj.pk not in {item["id"] for item in listing.json()["items"]}
            assert obj.title not in listing.content.decode()
            found = client.get(f"/api/v2/{kind}/find/", {"id": obj.pk})
            assert found.status_code == 404


def test_documents_are_served_by_the_checked_view():
    assert django_settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert django_settings.SENDFILE_BACKEND == "site_config.media"


def _nginx_location(conf: str, prefix: str) -> str:
    """The text of `location <prefix> { ... }` in deploy/nginx.conf."""
    start = conf.index(f"location {prefix} {{")
    depth, end = 0, start
    for end in range(start, len(conf)):
        if conf[end] == "{":
            depth += 1
        elif conf[end] == "}":
            depth -= 1
            if depth == 0:
                break
    return conf[start : end + 1]


def test_the_proxy_config_keeps_the_rules():
    """deploy/nginx.conf: /media/ goes to Django, files leave by the internal
    location production names, documents never by their path."""
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.MEDIA_ACCEL_REDIRECT_LOCATION,"
        " s.WAGTAILDOCS_SERVE_METHOD, s.SENDFILE_BACKEND)",
        env=PRODUCTION_ENV,
    )
    location, serve_method, backend = result.stdout.splitlines()[-1].split()
    assert (serve_method, backend) == ("serve_view", "site_config.media")
    conf = "\n".join(
        line.split("#", 1)[0]
        for line in (ROOT / "deploy" / "nginx.conf").read_text().splitlines()
    )
    media = _nginx_location(conf, "/media/")
    assert "proxy_pass http://site_gunicorn;" in media
    assert "alias" not in media
    assert " root " not in media
    assert "return 404;" in _nginx_location(conf, "/media/documents/")
    internal = _nginx_location(conf, location)
    assert "internal;" in internal
    assert "alias /srv/site/var/media/;" in internal
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
