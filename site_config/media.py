"""Uploaded files (MEDIA_ROOT) reach a reader only after the privacy check.

Partners' files sit in collections under a view restriction until their study
is published, so no file under MEDIA_URL may be served by its path alone:

- `/media/original_images/<name>` and `/media/images/<rendition>` are served
  by `serve_media` when the image's collection and its ancestors have no view
  restriction the request fails; otherwise 404, as for a file that does not
  exist, so a guessed name says nothing.
- Documents are served only by Wagtail's view, `/documents/<id>/<name>`,
  which checks the collection's restrictions; `/media/documents/...` is 404.
- Any other path under MEDIA_URL is 404: nothing is served that is not known.

The bytes are sent by Django in development and tests, and by the proxy in
production: with MEDIA_ACCEL_REDIRECT_LOCATION set, the answer is an empty
response whose `X-Accel-Redirect` names the file under that `internal` proxy
location (deploy/nginx.conf). The same hand-off serves documents: this module
is also Wagtail's SENDFILE_BACKEND (`sendfile` below).

With the uploads in a bucket (MEDIA_STORAGE=s3) the checks are the same and
Django streams what it reads from the storage: the proxy has no file to send,
and no bucket URL reaches the browser (site_config/object_storage.py).
Wagtail's document view streams such a document itself.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotFound
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.utils import sendfile_streaming_backend

ORIGINAL_IMAGES = "original_images/"  # Wagtail's AbstractImage.get_upload_to
RENDITIONS = "images/"  # Wagtail's AbstractRendition.get_upload_to
# How long browsers and shared caches may keep a public image. Short, because
# an image moved into a restricted collection must stop being served.
PUBLIC_MAX_AGE = 60 * 60


def not_found() -> HttpResponse:
    """A plain 404, the same for a refused file and a missing one.

    Not the site's HTML 404 page: a missing image costs no menu or footer.
    """
    return HttpResponseNotFound(b"Not found", content_type="text/plain")


def media_name(path: str) -> str | None:
    """`path` as a storage name, or None when it could leave MEDIA_ROOT.

    Django has already decoded the URL (`%2e%2e` is `..` here). Refused: an
    absolute path, a backslash or NUL, an empty, `.` or `..` segment.
    """
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\x00" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
        or posixpath.normpath(path) != path
    ):
        return None
    return path


def _collection_path(name: str) -> str | None:
    """The tree path of the collection holding this original or rendition."""
    image_model = get_image_model()
    if name.startswith(ORIGINAL_IMAGES):
        rows = image_model.objects.filter(file=name)
        field = "collection__path"
    elif name.startswith(RENDITIONS):
        rows = image_model.get_rendition_model().objects.filter(file=name)
        field = "image__collection__path"
    else:  # documents/ (Wagtail's serve view only) and anything unknown
        return None
    return rows.values_list(field, flat=True).first()


def collection_restrictions(path: str) -> list[CollectionViewRestriction]:
    """The view restrictions on the collection at `path` and on its ancestors.

    The ancestors' paths are prefixes of the collection's (treebeard's
    materialised path), so this is one query, plus one for the groups.
    """
    step = Collection.steplen
    prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
    return list(
        CollectionViewRestriction.objects.filter(
            collection__path__in=prefixes
        ).prefetch_related("groups")
    )


class _SendfileHeaders:
    """Headers as `wagtail.utils.sendfile` sets them after the backend ran.

    It sets `Content-Encoding` to None for a file with no encoding, which
    Django would send as the text "None"; such a value is dropped.
    """

    def __setitem__(self, header, value):
        if value is None:
            return
        super().__setitem__(header, value)


class AccelRedirectResponse(_SendfileHeaders, HttpResponse):
    """An empty answer telling the proxy which internal file to send.

    nginx keeps this response's Content-Type, Content-Disposition and
    Cache-Control and takes the length from the file: a Content-Length set
    here would describe a body that is not there, so it is not set.
    """

    def __init__(self, name: str, *, content_type: str):
        super().__init__(content_type=content_type)
        location = settings.MEDIA_ACCEL_REDIRECT_LOCATION.rstrip("/")
        self.headers["X-Accel-Redirect"] = f"{location}/{quote(name)}"

    def __setitem__(self, header, value):
        if header.lower() == "content-length":
            return
        super().__setitem__(header, value)


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def media_response(request, name: str) -> HttpResponse:
    """The file at `name` (already checked): X-Accel-Redirect or streamed."""
    # (default_storage is a lazy proxy; isinstance sees the storage it wraps.)
    if not isinstance(default_storage, FileSystemStorage):
        return storage_response(name)
    if settings.MEDIA_ACCEL_REDIRECT_LOCATION:
        return AccelRedirectResponse(name, content_type=_content_type(name))
    return static_serve(request, name, document_root=settings.MEDIA_ROOT)


def storage_response(name: str) -> HttpResponse:
    """The file streamed from a storage that is not this machine's disk."""
    try:
        handle = default_storage.open(name, "rb")  # a missing file raises here
    except FileNotFoundError:
        return not_found()
    response = FileResponse(handle, content_type=_content_type(name))
    response["Content-Length"] = handle.size
    return response


@require_safe
def serve_media(request, path: str) -> HttpResponse:
    """An image or rendition under MEDIA_URL, if its collection lets us show it."""
    name = media_name(path)
    collection_path = _collection_path(name) if name else None
    if collection_path is None:
        return not_found()
    restrictions = collection_restrictions(collection_path)
    if not all(restriction.accept_request(request) for restriction in restrictions):
        return not_found()
    response = media_response(request, name)
    if restrictions:
        # The user or session decided; no shared cache may keep it.
        patch_cache_control(response, private=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def sendfile(request, filename, **kwargs) -> HttpResponse:
    """SENDFILE_BACKEND for Wagtail's document view, which has checked access.

    `filename` is the document's absolute path under MEDIA_ROOT.
    """
    if settings.MEDIA_ACCEL_REDIRECT_LOCATION:
        try:
            name = (
                Path(filename)
                .resolve()
                .relative_to(Path(settings.MEDIA_ROOT).resolve())
            )
        except ValueError:
            raise Http404("Not a media file.") from None
        response = AccelRedirectResponse(
            name.as_posix(),
            content_type=kwargs.get("mimetype") or _content_type(filename),
        )
    else:
        response = sendfile_streaming_backend.sendfile(request, filename, **kwargs)
    # A document may be private: never kept by a shared cache. (Django adds
    # Vary: Cookie, but nginx drops Vary on an X-Accel-Redirect.)
    patch_cache_control(response, private=True)
    return response
