"""PDF downloads counted per publication and month, and nothing else.

When Wagtail serves a document (its `document_served` signal, sent once the
collection's view restrictions have let the request through), every
publication listing that PDF gets one more download for the current month.
No address, user, cookie or browser is stored. Not counted: robots (by their
user agent), requests other than GET, range requests that do not start at
the first byte (a reader's PDF viewer fetching the rest of a file it already
counted), and conditional requests for a copy the browser already holds.
"""

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from publications.models import DownloadCount, PublicationDownload, PublicationPage

ROBOT_RE = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|bingpreview|"
    r"mediapartners|headless|lighthouse|pingdom|uptime|monitor|python-|curl/|"
    r"wget/|httpclient|okhttp|scrapy|feedfetcher|go-http-client|java/|libwww|"
    r"preview|validator|checker|fetcher",
    re.IGNORECASE,
)
RANGE_RE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-")


def is_robot(user_agent: str) -> bool:
    """Whether a user agent names a crawler, a script or a monitor (or nothing)."""
    return not user_agent.strip() or bool(ROBOT_RE.search(user_agent))


def download_is_counted(*, request: HttpRequest, file_hash: str = "") -> bool:
    """Whether this request for a file is a reader's download."""
    if request.method != "GET":
        return False
    if is_robot(request.headers.get("User-Agent", "")):
        return False
    ranges = request.headers.get("Range")
    if ranges is not None:
        match = RANGE_RE.match(ranges)
        if match is None or match.group(1) == "" or int(match.group(1)) != 0:
            return False
    # A conditional request for the same file is answered 304: already counted.
    return not (file_hash and file_hash in request.headers.get("If-None-Match", ""))


def month_of(moment: datetime.datetime | None = None) -> datetime.date:
    """The first day of the month, in the site's time zone."""
    return timezone.localdate(moment).replace(day=1)


def download_count_add(*, publication_id: int, month: datetime.date) -> None:
    """One more download of a publication in a month, safe against races."""
    rows = DownloadCount.objects.filter(publication_id=publication_id, month=month)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(
                publication_id=publication_id, month=month, count=1
            )
    except IntegrityError:
        # Another request created the row between our update and insert.
        rows.update(count=F("count") + 1)


def document_download_record(*, document, request: HttpRequest) -> list[int]:
    """Count a served document for each publication that lists it as a PDF;
    return those publications' ids (none when the request is not counted)."""
    if document.file_extension.lower() != "pdf":
        return []
    if not download_is_counted(
        request=request, file_hash=getattr(document, "file_hash", "") or ""
    ):
        return []
    publication_ids = sorted(
        set(
            PublicationDownload.objects.filter(document_id=document.pk).values_list(
                "page_id", flat=True
            )
        )
    )
    month = month_of()
    for publication_id in publication_ids:
        download_count_add(publication_id=publication_id, month=month)
    return publication_ids


def on_document_served(sender, instance, request, **kwargs):
    document_download_record(document=instance, request=request)


def connect() -> None:
    from wagtail.documents.models import document_served

    document_served.connect(
        on_document_served, dispatch_uid="publications_download_counts"
    )


# Reports -----------------------------------------------------------------------


def months_back(
    count: int, *, today: datetime.date | None = None
) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, this one last."""
    month = (today or timezone.localdate()).replace(day=1)
    months = [month]
    for _ in range(count - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def downloads_ranking(*, today: datetime.date | None = None):
    """Publications with downloads, most downloaded in the last 12 months first,
    each annotated with `downloads_recent` and `downloads_total` (one query)."""
    since = months_back(12, today=today)[0]
    return (
        PublicationPage.objects.annotate(
            downloads_total=Sum("download_counts__count"),
            downloads_recent=Sum(
                "download_counts__count",
                filter=Q(download_counts__month__gte=since),
                default=0,
            ),
        )
        .filter(downloads_total__gt=0)
        .select_related("locale")
        .defer_streamfields()
        .order_by("-downloads_recent", "-downloads_total", "title", "pk")
    )


def downloads_by_month(
    *,
    publication: PublicationPage,
    months: int = 24,
    today: datetime.date | None = None,
) -> list[tuple[datetime.date, int]]:
    """(month, downloads) for the last `months` months, oldest first (one query)."""
    wanted = months_back(months, today=today)
    counts = dict(
        DownloadCount.objects.filter(
            publication=publication, month__gte=wanted[0]
        ).values_list("month", "count")
    )
    return [(month, counts.get(month, 0)) for month in wanted]
