"""Uploads in a private S3-compatible bucket, served only through the site.

Chosen by `MEDIA_STORAGE=s3` (site_config/settings/storage.py). Every file,
public or not, keeps the URL it has on disk: `/media/<name>` for images and
renditions, `/documents/<id>/<name>` for documents. So a file's URL never
names the bucket, and the privacy check of site_config/media.py (images) and
of Wagtail's document view (documents) runs for every file, whichever storage
holds it. The site streams the bytes it read from the bucket.

Why not links into the bucket:
- a public bucket URL for public files would need a second, public place for
  them, and moving a file into a restricted collection (a partner's draft)
  would have to move the object too, or it stays readable by its old URL;
- a signed URL handed out after the check can be forwarded while it lives,
  needs the bucket reachable from every reader, and would skip the download
  counts Wagtail's document view records when it streams;
- the cost of streaming is small where it matters: public images carry
  `Cache-Control: public` (served once per hour per front cache), and nginx
  buffers a document's answer (up to 1 GB by default, uploads stop at 50 MB),
  so a web worker is held only while the file crosses the local network.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A bucket whose files are addressed by the site's MEDIA_URL, as on disk."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The site's URL for the file (`/media/<name>`), never the bucket's."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))
