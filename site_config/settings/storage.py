"""Where uploads live: the local disk (MEDIA_ROOT) or an S3-compatible bucket.

`MEDIA_STORAGE=local` (the default) keeps documents, images and renditions
under MEDIA_ROOT. `MEDIA_STORAGE=s3` keeps them in one bucket through
django-storages, configured by the variables django-storages and boto3 know:

    AWS_STORAGE_BUCKET_NAME   the bucket (required)
    AWS_S3_ENDPOINT_URL       another provider than Amazon, e.g. MinIO, Garage
    AWS_S3_REGION_NAME        the bucket's region
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   or any credential boto3 finds
    AWS_LOCATION              a prefix inside the bucket (e.g. "media")
    AWS_S3_ADDRESSING_STYLE   "path" for servers without virtual hosts

The bucket stays private: nothing is uploaded with a public ACL and no bucket
URL is ever given to a browser. Every file is served through the site, which
checks the collection's restrictions first (site_config/media.py), exactly as
for files on disk; see site_config/object_storage.py for why.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

LOCAL_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_STORAGE_BACKEND = "site_config.object_storage.PrivateS3Storage"
# Environment variable -> django-storages option, for the optional ones.
S3_OPTIONAL = {
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_ACCESS_KEY_ID": "access_key",
    "AWS_SECRET_ACCESS_KEY": "secret_key",
    "AWS_SESSION_TOKEN": "security_token",
    "AWS_LOCATION": "location",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
}


def s3_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES entry for a private bucket named in `environ`."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME, the bucket that "
            "holds the uploads (and AWS_S3_ENDPOINT_URL for a provider other "
            "than Amazon S3)."
        )
    options = {
        "bucket_name": bucket,
        # Uploads never overwrite one another: a second "report.pdf" gets a
        # new name, as on disk (django-storages overwrites by default).
        "file_overwrite": False,
        # No ACL header: the bucket's own policy (private) applies.
        "default_acl": None,
        # The site never hands out the bucket's URLs (PrivateS3Storage.url),
        # but should anything ask boto for one, it is signed and short-lived.
        "querystring_auth": True,
        "querystring_expire": 60,
        # A file read to be served is spooled to a temporary file past 2 MB,
        # not held whole in memory (a document may weigh 50 MB).
        "max_memory_size": 2 * 1024 * 1024,
    }
    for variable, option in S3_OPTIONAL.items():
        if value := environ.get(variable, "").strip():
            options[option] = value
    return {"BACKEND": S3_STORAGE_BACKEND, "OPTIONS": options}


def media_storage(environ: Mapping[str, str]) -> dict:
    """STORAGES["default"] for `MEDIA_STORAGE` in `environ`: local or s3."""
    choice = (environ.get("MEDIA_STORAGE", "") or "local").strip().lower()
    if choice == "local":
        return dict(LOCAL_STORAGE)
    if choice == "s3":
        return s3_storage(environ)
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE must be 'local' or 's3', not {choice!r}."
    )


def media_storage_is_local(storage: Mapping) -> bool:
    """Whether files of this STORAGES entry sit on this machine's disk."""
    return storage["BACKEND"] == LOCAL_STORAGE["BACKEND"]
